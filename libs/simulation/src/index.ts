export * from './world';
export * from './seeded-random';
