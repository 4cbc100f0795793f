/**
 * The snapshot folder a collection writes (docs/formats.md), atomically: everything goes into
 * `DIR.tmp-<pid>` and is renamed to DIR at the end, so an interrupted collection never leaves a
 * folder that looks complete (a folder without manifest.json is refused by `scan --snapshot`).
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError, type Gap } from '../model/index.js';

/** A snapshot folder being written. */
export interface SnapshotWriter {
  /** The temporary folder everything is written into. */
  readonly temporary: string;
  /** Writes `content` at `path` (relative to the folder), creating folders. */
  write(path: string, content: string | Uint8Array): Promise<void>;
  /** Writes the manifest and moves the folder into place. */
  commit(manifest: { producer: string; createdAt: string; gaps: readonly Gap[] }): Promise<void>;
  /** Removes the temporary folder (after a failure). */
  abandon(): Promise<void>;
}

async function entriesOf(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new InputError(dir, '', 'expected a folder for --out, found a file', { cause: error });
    throw error;
  }
}

/**
 * Starts writing the snapshot folder `out`. A folder that exists and is not empty is refused
 * unless `force` (then it is replaced only when the new one is complete).
 */
export async function startSnapshotFolder(
  out: string,
  options: { force: boolean; pid?: number },
): Promise<SnapshotWriter> {
  const target = resolve(out);
  const existing = await entriesOf(target);
  if (existing && existing.length > 0 && !options.force)
    throw new InputError(
      out,
      '',
      'the folder is not empty; choose a new folder for --out, or add --force to replace it',
    );
  const temporary = `${target}.tmp-${options.pid ?? process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  return {
    temporary,
    async write(path, content) {
      const full = join(temporary, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    },
    async commit(manifest) {
      const gaps = [...manifest.gaps].sort(
        (a, b) =>
          (a.accountId ?? '').localeCompare(b.accountId ?? '') ||
          a.source.localeCompare(b.source) ||
          (a.region ?? '').localeCompare(b.region ?? '') ||
          a.detail.localeCompare(b.detail),
      );
      await writeFile(
        join(temporary, 'manifest.json'),
        JSON.stringify(
          {
            schema: 'iamsight.snapshot/v1',
            createdAt: manifest.createdAt,
            producer: manifest.producer,
            gaps,
          },
          null,
          2,
        ) + '\n',
      );
      const now = await entriesOf(target);
      if (now === null) {
        await rename(temporary, target);
        return;
      }
      // Replace the old folder only now that the new one is complete.
      const old = `${target}.old-${options.pid ?? process.pid}`;
      await rename(target, old);
      await rename(temporary, target);
      await rm(old, { recursive: true, force: true });
    },
    async abandon() {
      await rm(temporary, { recursive: true, force: true });
    },
  };
}
