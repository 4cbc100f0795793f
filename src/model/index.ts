export * from './arn.js';
export * from './errors.js';
export * from './snapshot.js';
