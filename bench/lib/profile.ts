/**
 * Node arguments for the service processes a bench starts: BENCH_PROFILE_DIR=dir writes a V8 CPU
 * profile of each there (open in Chrome DevTools); BENCH_NODE_ARGS adds any others (V8 flags).
 */
export const profileArgs = (): string[] => [
  ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
  ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
];
