// One jest run for the whole workspace: unit tests (*.test.ts beside the code) and integration
// tests (each project's test/*.test.ts, against the real stack). `npm test` brings the stack up.
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];
const base = { transform: { '^.+\\.ts$': swc }, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  testTimeout: 120_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,schemas,migrations,faults}/**/src/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,migrations}/*/test/**/*.test.ts', '<rootDir>/{migrations,scripts}/test/**/*.test.ts'],
      globalSetup: '<rootDir>/libs/test-support/src/global-setup.ts',
    },
  ],
};
