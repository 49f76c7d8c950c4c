// The fault suite restarts the broker and the registry, so it runs alone and in band:
//   npm run test:faults
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];
module.exports = {
  rootDir: '..',
  testMatch: ['<rootDir>/faults/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  testTimeout: 300_000,
  globalSetup: '<rootDir>/libs/test-support/src/global-setup.ts',
};
