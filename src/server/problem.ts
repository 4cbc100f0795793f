/** The server's error answered to the client, and its version. */
import { createRequire } from 'node:module';
import type { ErrorCode } from './api-schema.js';

export const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

/** An error answered with its code and message (never logged as internal). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
