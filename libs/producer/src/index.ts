export * from './publisher';
export * from './tracker';
