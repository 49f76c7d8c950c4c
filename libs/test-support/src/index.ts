export * from './stack';
export * from './database';
export * from './kafka';
export * from './process';
export * from './pipeline';
export * from './tcp-proxy';
export * from './fresh-registry';
export * from './routes';
