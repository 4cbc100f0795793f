/**
 * Finding and reading CloudTrail log files: the S3 delivery layout
 * (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`), or any files and folders of
 * `.json` / `.json.gz`. One file is read, decompressed and scanned at a time, so memory holds one
 * file (at most the input limit) besides the aggregate.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { InputError } from '../../model/index.js';
import type { RecordReader } from './record.js';
import { ScanError, scanCloudTrail } from './scan.js';

/** A log file to read. */
export interface TrailFile {
  readonly file: string;
}

/** Folders CloudTrail writes beside the logs that hold no API records (digests, Insights events). */
const SKIPPED_FOLDERS = new Set(['CloudTrail-Digest', 'CloudTrail-Insight']);

function isLogFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.json') || lower.endsWith('.json.gz');
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Lists a folder tree synchronously: for thousands of small folders, 10× faster than awaiting each. */
function walk(dir: string, out: TrailFile[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new InputError(dir, '', 'cannot be read: ' + describeFsError(error), { cause: error });
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, out);
    } else if (entry.isFile() && isLogFileName(entry.name)) {
      out.push({ file: path });
    } else if (entry.isSymbolicLink() && isLogFileName(entry.name)) {
      // Symbolic links are followed to files only, never to folders (no cycles).
      let info;
      try {
        info = statSync(path);
      } catch {
        continue; // a dangling link is not a log file
      }
      if (info.isFile()) out.push({ file: path });
    }
  }
}

/**
 * A snapshot folder (docs/formats.md: `manifest.json`, `accounts/`, `cloudtrail/`): only its
 * `cloudtrail/` holds logs; its other JSON files are not CloudTrail.
 */
function isSnapshotFolder(dir: string): boolean {
  try {
    return (
      statSync(join(dir, 'manifest.json')).isFile() &&
      statSync(join(dir, 'cloudtrail')).isDirectory()
    );
  } catch {
    return false; // either is missing: an ordinary folder of logs
  }
}

/**
 * The log files under `paths` (files are taken as named, whatever their extension; folders are
 * searched for `.json` and `.json.gz`; a snapshot folder for its `cloudtrail/`), sorted and
 * without repeats. A path that does not exist, or
 * a folder without log files, is an {@link InputError}.
 */
export async function listTrailFiles(paths: readonly string[]): Promise<TrailFile[]> {
  const found = new Map<string, TrailFile>();
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new InputError(path, '', 'cannot be read: ' + describeFsError(error), { cause: error });
    }
    if (info.isDirectory()) {
      const files: TrailFile[] = [];
      walk(isSnapshotFolder(path) ? join(path, 'cloudtrail') : path, files);
      if (files.length === 0) {
        throw new InputError(
          path,
          '',
          'expected CloudTrail log files (.json or .json.gz, e.g. AWSLogs/<account>/CloudTrail/...) in this folder, found none',
        );
      }
      for (const file of files) found.set(file.file, file);
    } else {
      found.set(path, { file: path });
    }
  }
  return [...found.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function mebibytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.floor(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`;
}

/**
 * An output buffer as large as the file decompresses to, so that zlib writes it in one piece
 * instead of 16 KiB chunks concatenated at the end. The size comes from the gzip trailer (ISIZE,
 * the length modulo 2³²): only a hint, bounded by the limit and by a generous ratio, since a cut
 * or crafted file can say anything there.
 */
function outputChunkSize(gzip: Buffer, maxBytes: number): number {
  const hinted = gzip.length >= 18 ? gzip.readUInt32LE(gzip.length - 4) + 1 : 0;
  return Math.max(64 * 1024, Math.min(hinted, gzip.length * 64, maxBytes + 1, 2 ** 30));
}

/**
 * Reads one log file into `reader`. Nothing here throws: a file that cannot be read to the end is
 * listed in the stats' `unreadableFiles` with the reason, and the records read before the problem
 * stay counted.
 */
export function readTrailFile(entry: TrailFile, reader: RecordReader, maxBytes: number): void {
  const stats = reader.aggregate.stats;
  const unreadable = (reason: string): void => {
    stats.unreadableFiles.push({ file: entry.file, reason });
  };
  stats.files++;
  let bytes: Buffer;
  try {
    const size = statSync(entry.file).size;
    stats.bytes += size;
    if (size > maxBytes) {
      unreadable(
        `is ${mebibytes(size)}, over the ${mebibytes(maxBytes)} limit for one input file (raise it with --max-input-size)`,
      );
      return;
    }
    bytes = readFileSync(entry.file);
  } catch (error) {
    unreadable('cannot be read: ' + describeFsError(error));
    return;
  }
  let cut: string | null = null;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, {
        maxOutputLength: maxBytes,
        chunkSize: outputChunkSize(bytes, maxBytes),
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        unreadable(
          `decompresses to more than the ${mebibytes(maxBytes)} limit for one input file (raise it with --max-input-size)`,
        );
        return;
      }
      if (code !== 'Z_BUF_ERROR') {
        unreadable(`is not valid gzip data (${(error as Error).message})`);
        return;
      }
      // The gzip stream ends early (a cut download): keep what decompresses.
      cut = 'the gzip data ends early (is the file truncated?)';
      try {
        bytes = gunzipSync(bytes, {
          maxOutputLength: maxBytes,
          finishFlush: constants.Z_SYNC_FLUSH,
        });
      } catch {
        // Nothing decompresses at all: the reason above says why.
        bytes = Buffer.alloc(0);
      }
    }
  }
  const before = stats.records;
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  try {
    scanCloudTrail(start === 0 ? bytes : bytes.subarray(start), reader.add, reader.malformed);
    if (cut !== null) unreadable(cut);
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    const counted = stats.records - before;
    const kept =
      counted > 0 ? `; the ${counted.toLocaleString('en')} records before it were read` : '';
    unreadable(`${cut ?? error.message}${kept}`);
  }
}
