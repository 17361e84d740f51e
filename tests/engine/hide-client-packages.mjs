// Loaded with `node --import` by missing-client.test.ts: module resolution then fails for the two
// optional database clients, as on a machine where they are not installed.
import { register } from 'node:module';

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === '@clickhouse/client' || specifier === '@duckdb/node-api') {
    const error = new Error("Cannot find package '" + specifier + "'");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
