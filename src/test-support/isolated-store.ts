/**
 * Vitest setup (vitest.config.ts): every test file gets its own empty store folder, so commands
 * that record scans by default (`iamsight scan`) never write to the person's own store
 * (~/.local/share/iamsight) and test files do not see each other's scans.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'iamsight-test-store-'));
process.env.IAMSIGHT_STORE = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
