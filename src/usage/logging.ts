/**
 * What CloudTrail can tell about an action. An action CloudTrail never records (`iam:PassRole` is a
 * permission, not an API call) or records only when the trail enables data events (S3 object
 * reads, Lambda invocations, DynamoDB items, …) can never be shown unused by the logs: it is
 * "unknown", never "unused" (DESIGN.md §3.4, anchors.md §C.2).
 *
 * Data events are judged per category: once the Usage holds at least one event of a category
 * (any principal, any account), the trail logs that category and its actions are judged like any
 * other. A trail may log data events for some buckets or tables only; that cannot be seen from
 * the logs, and is the documented limit of this rule (docs/detections.md).
 */
import { loadCatalog, type ActionSet } from '../catalog/index.js';

/** Categories of events CloudTrail records only when the trail asks for them. */
export type DataEventCategory =
  | 's3-objects'
  | 'lambda-invoke'
  | 'dynamodb-items'
  | 'sns-publish'
  | 'sqs-messages'
  | 'kinesis-records'
  | 'cloudwatch-metrics'
  | 'logs-events';

/** How CloudTrail sees an action. */
export type Logging =
  | { readonly kind: 'logged' }
  | { readonly kind: 'data-event'; readonly category: DataEventCategory }
  | { readonly kind: 'not-logged'; readonly reason: string };

/** The actions of each data-event category (S3's object actions come from the catalog). */
const DATA_EVENT_ACTIONS: Readonly<Record<DataEventCategory, readonly string[]>> = {
  's3-objects': [
    's3:ListBucket',
    's3:ListBucketVersions',
    's3:ListBucketMultipartUploads',
    's3:ListMultipartUploadParts',
  ],
  'lambda-invoke': ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl', 'lambda:InvokeAsync'],
  'dynamodb-items': [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchGetItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PartiQLSelect',
    'dynamodb:PartiQLInsert',
    'dynamodb:PartiQLUpdate',
    'dynamodb:PartiQLDelete',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
  ],
  'sns-publish': ['sns:Publish'],
  'sqs-messages': [
    'sqs:SendMessage',
    'sqs:ReceiveMessage',
    'sqs:DeleteMessage',
    'sqs:ChangeMessageVisibility',
  ],
  'kinesis-records': [
    'kinesis:PutRecord',
    'kinesis:PutRecords',
    'kinesis:GetRecords',
    'kinesis:GetShardIterator',
    'kinesis:SubscribeToShard',
  ],
  'cloudwatch-metrics': [
    'cloudwatch:PutMetricData',
    'cloudwatch:GetMetricData',
    'cloudwatch:GetMetricStatistics',
    'cloudwatch:ListMetrics',
  ],
  'logs-events': ['logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
};

/** Actions CloudTrail never records as themselves, and why. */
const NOT_LOGGED: Readonly<Record<string, string>> = {
  'iam:PassRole': 'a permission checked when a role is passed to a service, not an API call',
  'sts:TagSession': 'checked inside AssumeRole*, not an API call of its own',
  'sts:SetSourceIdentity': 'checked inside AssumeRole*, not an API call of its own',
  'sts:SetContext': 'checked inside AssumeRole*, not an API call of its own',
  'xray:PutTraceSegments': 'X-Ray trace data is not recorded by CloudTrail',
  'xray:PutTelemetryRecords': 'X-Ray telemetry is not recorded by CloudTrail',
};

/** Whole services CloudTrail does not record calls of. */
const NOT_LOGGED_SERVICES: Readonly<Record<string, string>> = {
  'execute-api': 'API Gateway invocations are not recorded by CloudTrail',
  ssmmessages: 'Session Manager channel calls are not recorded by CloudTrail',
  ec2messages: 'Systems Manager agent message calls are not recorded by CloudTrail',
};

interface LoggingTables {
  readonly byIndex: Map<number, Logging>;
  readonly categories: ReadonlyMap<DataEventCategory, ActionSet>;
  readonly notLogged: ActionSet;
  /** {@link unobservableActions} by the sorted categories seen (at most 2⁸ keys). */
  readonly unobservable: Map<string, ActionSet>;
}

let tables: LoggingTables | null = null;

function build(): LoggingTables {
  const catalog = loadCatalog();
  const byIndex = new Map<number, Logging>();
  const categories = new Map<DataEventCategory, ActionSet>();
  const s3Objects = (catalog.actionsOfService('s3')?.toActions() ?? []).filter((name) =>
    (catalog.resourceTypesOfAction(name) ?? []).some((r) => r.name === 'object'),
  );
  for (const [category, names] of Object.entries(DATA_EVENT_ACTIONS) as [
    DataEventCategory,
    readonly string[],
  ][]) {
    const all = category === 's3-objects' ? [...names, ...s3Objects] : names;
    const set = catalog.setOf(all.filter((name) => catalog.isKnownAction(name)));
    categories.set(category, set);
    set.forEach((index) => byIndex.set(index, { kind: 'data-event', category }));
  }
  let notLogged = catalog.emptySet();
  for (const [name, reason] of Object.entries(NOT_LOGGED)) {
    const index = catalog.actionIndex(name);
    if (index === undefined) continue;
    byIndex.set(index, { kind: 'not-logged', reason });
    notLogged = notLogged.union(catalog.setOf([index]));
  }
  for (const [service, reason] of Object.entries(NOT_LOGGED_SERVICES)) {
    const set = catalog.actionsOfService(service);
    if (!set) continue;
    set.forEach((index) => byIndex.set(index, { kind: 'not-logged', reason }));
    notLogged = notLogged.union(set);
  }
  return { byIndex, categories, notLogged, unobservable: new Map() };
}

function loggingTables(): LoggingTables {
  tables ??= build();
  return tables;
}

const LOGGED: Logging = { kind: 'logged' };

/** How CloudTrail sees an action (any casing); unknown actions count as logged. */
export function loggingOf(action: string): Logging {
  const index = loadCatalog().actionIndex(action);
  return index === undefined ? LOGGED : (loggingTables().byIndex.get(index) ?? LOGGED);
}

/** The data-event category of an action, or null. */
export function dataEventCategoryOf(action: string): DataEventCategory | null {
  const logging = loggingOf(action);
  return logging.kind === 'data-event' ? logging.category : null;
}

/**
 * The actions whose use the logs cannot show, given the data-event categories the logs hold:
 * never-logged actions, and the actions of every category not seen.
 */
export function unobservableActions(seen: ReadonlySet<DataEventCategory>): ActionSet {
  const t = loggingTables();
  const key = [...seen].sort().join(',');
  let set = t.unobservable.get(key);
  if (set === undefined) {
    set = t.notLogged;
    for (const [category, actions] of t.categories)
      if (!seen.has(category)) set = set.union(actions);
    t.unobservable.set(key, set);
  }
  return set;
}

/** Why the use of `action` cannot be judged from logs with these categories, or null when it can. */
export function whyUnobservable(
  action: string,
  seen: ReadonlySet<DataEventCategory>,
): string | null {
  const logging = loggingOf(action);
  if (logging.kind === 'not-logged') return logging.reason;
  if (logging.kind === 'data-event' && !seen.has(logging.category))
    return `a CloudTrail data event (${logging.category}) and the logs hold none: the trail does not seem to log them`;
  return null;
}

/** The curated lists, for docs and tests. */
export const LOGGING_RULES = {
  dataEvents: DATA_EVENT_ACTIONS,
  notLogged: NOT_LOGGED,
  notLoggedServices: NOT_LOGGED_SERVICES,
} as const;
