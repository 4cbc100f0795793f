export * from './action-index.js';
export * from './action-pattern.js';
export * from './action-set.js';
export * from './catalog.js';
export * from './default-catalog.js';
export * from './iam-data-source.js';
export * from './rcp-services.js';
