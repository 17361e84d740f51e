/**
 * telco-analytics: the analytical half of a mobile operator's CRM, as typed functions.
 * Each capability is also its own subpath (`telco-analytics/rfm`, ...) for smaller imports.
 *
 * @packageDocumentation
 */

export * from './association/index.js';
export * from './churn/index.js';
export * from './data/index.js';
export * from './engine/index.js';
export * from './fraud/index.js';
export * from './olap/index.js';
export * from './report/index.js';
export * from './rfm/index.js';
export * from './segmentation/index.js';
export * from './simulation/index.js';
export * from './value/index.js';
