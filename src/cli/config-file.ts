/** Finds and reads the scan configuration (`--config FILE`, else ./iamsight.config.{yaml,yml,json}). */
import { existsSync } from 'node:fs';
import { EMPTY_CONFIG, parseConfig, type ScanConfig } from '../findings/config.js';
import { readTextFile } from '../ingest/read-input.js';

/** Configuration files are small: anything larger is a mistake, refused before reading. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export async function loadConfig(file: string | undefined): Promise<ScanConfig> {
  const found =
    file ??
    ['iamsight.config.yaml', 'iamsight.config.yml', 'iamsight.config.json'].find((name) =>
      existsSync(name),
    );
  if (!found) return EMPTY_CONFIG;
  return parseConfig(await readTextFile(found, { maxBytes: MAX_CONFIG_BYTES }), found);
}
