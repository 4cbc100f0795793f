/**
 * IAM's service last accessed details (Access Advisor) of an account's users, roles and groups:
 * `accounts/<id>/service-last-accessed.json` of a snapshot folder (docs/formats.md), close to the
 * GetServiceLastAccessedDetails response, one entry per principal ARN.
 */
import { z } from 'zod';
import type { ServiceAccessReport } from '../model/index.js';
import { InputError, formatJsonPath } from '../model/index.js';
import {
  awsDateSchema,
  boundedTextSchema,
  parseWithSchema,
  readJsonFile,
  type ReadOptions,
} from './read-input.js';
import type { SnapshotPart } from './snapshot-part.js';

/** Bounds of the file: IAM has a few hundred services and tracks a few hundred actions each. */
export const SERVICE_LAST_ACCESSED_LIMITS = {
  bytes: 128 * 1024 * 1024,
  principals: 100_000,
  servicesPerPrincipal: 2_000,
  actionsPerService: 5_000,
  text: 2_048,
} as const;

const L = SERVICE_LAST_ACCESSED_LIMITS;

const text = (what: string) => boundedTextSchema(what, L.text);
const date = awsDateSchema;

const actionSchema = z.looseObject({
  ActionName: text('ActionName, the action without its service prefix'),
  LastAccessedTime: date('LastAccessedTime').nullish(),
  LastAccessedRegion: text('LastAccessedRegion').nullish(),
  LastAccessedEntity: text('LastAccessedEntity').nullish(),
});

const serviceSchema = z.looseObject({
  ServiceNamespace: text('ServiceNamespace, the IAM service prefix such as "s3"').regex(
    /^[a-z0-9-]+$/,
    { error: 'expected ServiceNamespace, the IAM service prefix such as "s3"' },
  ),
  ServiceName: text('ServiceName').nullish(),
  LastAuthenticated: date('LastAuthenticated').nullish(),
  LastAuthenticatedEntity: text('LastAuthenticatedEntity').nullish(),
  LastAuthenticatedRegion: text('LastAuthenticatedRegion').nullish(),
  TotalAuthenticatedEntities: z
    .number({ error: 'expected TotalAuthenticatedEntities as a number' })
    .int()
    .min(0)
    .nullish(),
  TrackedActionsLastAccessed: z
    .array(actionSchema, { error: 'expected TrackedActionsLastAccessed as a list' })
    .max(L.actionsPerService, { error: `expected at most ${L.actionsPerService} actions` })
    .nullish(),
});

const principalSchema = z.looseObject({
  Arn: text('Arn, the ARN of the user, role or group').regex(
    /^arn:[\w-]+:iam::\d{12}:(user|role|group)\/.+$/,
    { error: 'expected Arn, the ARN of an IAM user, role or group' },
  ),
  JobId: text('JobId').nullish(),
  JobCompletionDate: date('JobCompletionDate').nullish(),
  ServicesLastAccessed: z
    .array(serviceSchema, { error: 'expected ServicesLastAccessed as a list' })
    .max(L.servicesPerPrincipal, {
      error: `expected at most ${L.servicesPerPrincipal} services`,
    }),
});

const fileSchema = z.looseObject(
  {
    Principals: z
      .array(principalSchema, {
        error: 'expected "Principals": a list of {Arn, JobCompletionDate, ServicesLastAccessed}',
      })
      .max(L.principals, { error: `expected at most ${L.principals} principals` }),
  },
  { error: 'expected an object with "Principals"' },
);

/** The service last accessed reports of one file, by principal ARN. */
export interface ServiceLastAccessedInput {
  readonly file: string;
  readonly reports: ReadonlyMap<string, ServiceAccessReport>;
}

/**
 * Maps a parsed service-last-accessed.json. `accountId` (the snapshot folder's account, when
 * known) must own every principal.
 */
export function mapServiceLastAccessed(
  value: unknown,
  file: string,
  accountId: string | null = null,
): SnapshotPart {
  const parsed = parseWithSchema(fileSchema, value, file);
  const reports = new Map<string, ServiceAccessReport>();
  parsed.Principals.forEach((principal, index) => {
    const owner = principal.Arn.split(':')[4];
    if (accountId !== null && owner !== accountId)
      throw new InputError(
        file,
        formatJsonPath(['Principals', index, 'Arn']),
        `expected a principal of account ${accountId}, the folder the file is in (found ${owner ?? ''})`,
      );
    if (reports.has(principal.Arn))
      throw new InputError(
        file,
        formatJsonPath(['Principals', index, 'Arn']),
        'expected each principal once (this ARN appears earlier in the list)',
      );
    reports.set(principal.Arn, {
      jobCompletionDate: principal.JobCompletionDate ?? null,
      services: principal.ServicesLastAccessed.map((service) => ({
        namespace: service.ServiceNamespace,
        lastAuthenticated: service.LastAuthenticated ?? null,
        lastAuthenticatedEntity: service.LastAuthenticatedEntity ?? null,
        lastAuthenticatedRegion: service.LastAuthenticatedRegion ?? null,
        totalAuthenticatedEntities: service.TotalAuthenticatedEntities ?? null,
        actions: (service.TrackedActionsLastAccessed ?? []).map((action) => ({
          action: action.ActionName,
          lastAccessed: action.LastAccessedTime ?? null,
          region: action.LastAccessedRegion ?? null,
          entity: action.LastAccessedEntity ?? null,
        })),
      })),
    });
  });
  return { serviceLastAccessed: [{ file, reports }] };
}

/** Reads a service-last-accessed.json (size-bounded) into a snapshot part. */
export async function importServiceLastAccessed(
  file: string,
  options: ReadOptions & { readonly accountId?: string | null } = {},
): Promise<SnapshotPart> {
  const value = await readJsonFile(file, { maxBytes: options.maxBytes ?? L.bytes });
  return mapServiceLastAccessed(value, file, options.accountId ?? null);
}
