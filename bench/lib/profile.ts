/** BENCH_PROFILE_DIR=dir: node arguments that write a V8 CPU profile of a service process there (open in Chrome DevTools). */
export const profileArgs = (): string[] => (process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []);
