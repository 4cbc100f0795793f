/** Used versus granted: CloudTrail usage, the tracking period, least-privilege suggestions. */
export * from './insights.js';
export * from './last-use.js';
export * from './logging.js';
export * from './permissions.js';
export * from './suggest-policy.js';
export * from './tracking.js';
export * from './usage-index.js';
