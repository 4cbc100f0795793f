export * from './arn.js';
export * from './credential-report.js';
export * from './errors.js';
export * from './snapshot.js';
export * from './usage.js';
