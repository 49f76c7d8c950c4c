/**
 * The layers, enforced (`npm run lint:deps`, part of `npm test`); docs/ARCHITECTURE.md draws them.
 *
 *   services/*            one process each; never import each other
 *   libs (I/O)            event-codec, kafka-runner, aggregation, producer, db, observability
 *   libs (pure)           events, read-contract, config, simulation, failures — no I/O, no I/O libs
 *   schemas, migrations   data the rest builds on
 *
 * Test support is for tests only.
 */
const PURE = '^libs/(events|read-contract|config|simulation|failures)/';
const IO_LIBS = '^libs/(event-codec|kafka-runner|aggregation|producer|db|observability)/';
const IO_MODULES =
  '^(node:)?(fs|net|http|https|child_process|dgram|tls)$|(^|/)node_modules/(kafkajs|pg|pg-copy-streams|ioredis|express|avsc|@kafkajs|prom-client|pino|jsonwebtoken)/';

module.exports = {
  forbidden: [
    {
      name: 'services-are-independent',
      comment: 'A service never imports another service: shared code moves to libs/.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-upward-imports',
      comment: 'libs, schemas and migrations never import services, benchmarks or the fault suite.',
      severity: 'error',
      from: { path: '^(libs|schemas|migrations)/' },
      to: { path: '^(services|bench|faults)/' },
    },
    {
      name: 'pure-stays-pure',
      comment: 'The pure libs (event model, read contract, config, simulation) import neither I/O libs nor I/O modules.',
      severity: 'error',
      from: { path: PURE, pathNot: '\\.test\\.ts$' },
      to: { path: [IO_LIBS, '^migrations/', '^libs/test-support/', IO_MODULES] },
    },
    {
      name: 'schemas-read-only-their-files',
      comment: 'schemas/ loads its .avsc and levels.json (fs only) and imports nothing of ours.',
      severity: 'error',
      from: { path: '^schemas/' },
      to: { path: ['^(libs|services|migrations)/', IO_MODULES], pathNot: '^(node:)?fs$' },
    },
    {
      name: 'test-support-only-in-tests',
      comment: 'Production code never imports the test helpers.',
      severity: 'error',
      from: { path: '^(libs|services|migrations)/', pathNot: ['\\.test\\.ts$', '/test/', '^libs/test-support/'] },
      to: { path: '^libs/test-support/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|\\.local|\\.nx)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
