/**
 * CloudTrail records for an account, as delivered to S3: `{"Records": [...]}` files under
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`. Every principal that was used within the
 * window calls what its usage lists; roles get the AssumeRole* record that starts each session;
 * planted events (root sign-in, escalation APIs, enumeration) come first.
 */
import type { UsagePrincipalKind } from '../model/index.js';
import { daysBefore, isoZ } from './dates.js';
import type { AccountBuilder, PlantedEvent, RoleEntity, Usage, UserEntity } from './estate.js';
import { COMMONLY_DENIED } from './personas.js';
import { HEX, IAM_ID_ALPHABET, type Random } from './random.js';
import { uuid } from './resources.js';

/**
 * What an account's generated records say, aggregated the way src/model/usage.ts defines it and
 * recorded as each call is written (from the generator's own knowledge of who acts, not from the
 * records): ground truth for the CloudTrail reader's tests.
 */
export interface CloudTrailTruth {
  /** Per principal key × IAM action; `denied` counts refused calls. */
  readonly calls: readonly {
    readonly principal: string;
    readonly kind: UsagePrincipalKind;
    readonly action: string;
    readonly count: number;
    readonly denied: number;
    readonly firstSeen: string;
    readonly lastSeen: string;
    /** ARNs in the `resources` of successful calls. */
    readonly resources: readonly string[];
  }[];
  /** Long-lived (AKIA…) keys used. */
  readonly accessKeys: readonly {
    readonly accessKeyId: string;
    readonly principal: string;
    readonly count: number;
    readonly lastSeen: string;
  }[];
  /** Successful AssumeRole* calls. */
  readonly assumptions: readonly {
    readonly role: string;
    readonly assumedBy: string;
    readonly count: number;
    readonly lastSeen: string;
  }[];
  /** Successful console sign-ins of users and root. */
  readonly consoleLogins: readonly { readonly principal: string; readonly lastSeen: string }[];
}

/** One CloudTrail log file. */
export interface CloudTrailFile {
  /** Path relative to the snapshot folder, e.g. `cloudtrail/AWSLogs/…/x.json.gz`. */
  readonly path: string;
  readonly records: Record<string, unknown>[];
}

type CloudTrailRecord = Record<string, unknown>;

const GLOBAL_SOURCES = new Set([
  'iam',
  'organizations',
  'signin',
  'ce',
  'budgets',
  'support',
  'cloudfront',
  'route53',
]);
const SOURCE_HOST: Record<string, string> = {
  cloudwatch: 'monitoring.amazonaws.com',
  'ec2-instance-connect': 'ec2-instance-connect.amazonaws.com',
  elasticmapreduce: 'elasticmapreduce.amazonaws.com',
};
const LAMBDA_NAMES: Record<string, string> = {
  ListFunctions: 'ListFunctions20150331',
  GetFunction: 'GetFunction20150331v2',
  UpdateFunctionCode: 'UpdateFunctionCode20150331v2',
  UpdateFunctionConfiguration: 'UpdateFunctionConfiguration20150331v2',
  AddPermission: 'AddPermission20150331v2',
  CreateFunction: 'CreateFunction20150331',
  GetPolicy: 'GetPolicy20150331v2',
  InvokeFunction: 'Invoke',
  CreateEventSourceMapping: 'CreateEventSourceMapping20150331',
};
const DATA_EVENTS = new Set([
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'sqs:SendMessage',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'lambda:InvokeFunction',
  'sns:Publish',
]);

/** The CloudTrail event source, name and category of an IAM action. */
export function eventOf(action: string): {
  source: string;
  name: string;
  readOnly: boolean;
  data: boolean;
} {
  const [service = '', operation = ''] = action.split(':');
  const name =
    service === 'lambda'
      ? (LAMBDA_NAMES[operation] ?? `${operation}20150331`)
      : action === 's3:ListAllMyBuckets'
        ? 'ListBuckets'
        : operation;
  return {
    source: SOURCE_HOST[service] ?? `${service}.amazonaws.com`,
    name,
    readOnly: /^(Get|List|Describe|Lookup|Query|Scan|BatchGet|Search|Head|Filter|View)/.test(
      operation,
    ),
    data: DATA_EVENTS.has(action),
  };
}

const CLI =
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#';
const BOTO_LAMBDA =
  'Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.223-232.873.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145';
const SDK_JS =
  'aws-sdk-js/3.621.0 ua/2.1 os/linux#5.10.220-209.869.amzn2.x86_64 lang/js md/nodejs#20.15.1 api/';
const TERRAFORM =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.3 (+https://www.terraform.io) terraform-provider-aws/5.61.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64';
const CONSOLE_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36';

interface Caller {
  readonly identity: Record<string, unknown>;
  /** The principal key (src/model/usage.ts) the caller acts for: ground truth. */
  readonly actsFor: { readonly key: string; readonly kind: UsagePrincipalKind };
  readonly sourceIp: string;
  readonly userAgent: (service: string) => string;
  readonly console: boolean;
}

type TruthCall = {
  -readonly [K in keyof CloudTrailTruth['calls'][number]]: CloudTrailTruth['calls'][number][K];
} & { resources: string[] };

class TrailWriter {
  readonly records: CloudTrailRecord[] = [];
  private readonly truthCalls = new Map<string, TruthCall>();
  private readonly truthKeys = new Map<
    string,
    { principal: string; count: number; lastSeen: string }
  >();
  private readonly truthAssumptions = new Map<
    string,
    { role: string; assumedBy: string; count: number; lastSeen: string }
  >();
  private readonly truthLogins = new Map<string, string>();
  private readonly windowStart: Date;

  constructor(
    private readonly b: AccountBuilder,
    private readonly rng: Random,
  ) {
    this.windowStart = daysBefore(b.now, b.org.windowDays);
  }

  /** Evenly spread instants in [from, to], sorted, the last one exactly `to`. */
  times(from: Date, to: Date, count: number): Date[] {
    const start = Math.max(from.getTime(), this.windowStart.getTime());
    const end = Math.max(start, Math.min(to.getTime(), this.b.now.getTime()));
    const out: number[] = [];
    for (let i = 0; i < count - 1; i++) out.push(start + this.rng.next() * (end - start));
    out.sort((x, y) => x - y);
    out.push(end);
    return out.map((t) => new Date(Math.floor(t / 1000) * 1000));
  }

  /**
   * `count` instants grouped into sessions of up to `maxLength` calls a few minutes apart; the
   * sessions start between `from` and `to`, the last one exactly at `to`.
   */
  sessions(from: Date, to: Date, count: number, maxLength: number): Date[][] {
    const sizes: number[] = [];
    for (let left = count; left > 0;) {
      const size = Math.min(left, this.rng.int(2, maxLength));
      sizes.push(size);
      left -= size;
    }
    const starts = this.times(from, to, sizes.length);
    const end = this.b.now.getTime();
    return sizes.map((size, i) => {
      const start = starts[i] as Date;
      const out = [start];
      let t = start.getTime();
      for (let k = 1; k < size; k++) {
        t += this.rng.int(1, 240) * 1000;
        out.push(new Date(Math.min(t, end)));
      }
      return out;
    });
  }

  inWindow(date: Date | null): date is Date {
    return (
      date !== null &&
      date.getTime() >= this.windowStart.getTime() &&
      date.getTime() <= this.b.now.getTime()
    );
  }

  private regionFor(source: string, region: string): string {
    return GLOBAL_SOURCES.has(source.split('.')[0] ?? '') ? 'us-east-1' : region;
  }

  private requestParameters(
    action: string,
    resources: readonly string[],
    region: string,
  ): Record<string, unknown> | null {
    const [service = '', operation = ''] = action.split(':');
    const resource = resources.find((arn) => arn.split(':')[2] === service) ?? null;
    const tail = resource
      ? resource.slice(resource.lastIndexOf(resource.includes('/') ? '/' : ':') + 1)
      : null;
    switch (service) {
      case 's3': {
        if (operation === 'ListAllMyBuckets') return { Host: 's3.amazonaws.com' };
        const bucket = resource
          ? resource.replace('arn:aws:s3:::', '').split('/')[0]
          : `${this.b.account.name}-logs-${this.b.id}`;
        return operation.endsWith('Object')
          ? {
              bucketName: bucket,
              Host: `${bucket}.s3.${region}.amazonaws.com`,
              key: `data/${this.rng.chars(HEX, 12)}.json`,
            }
          : { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com` };
      }
      case 'dynamodb':
        return tail ? { tableName: resource?.split('/')[1] ?? tail } : null;
      case 'sqs':
        return resource
          ? {
              queueUrl: `https://sqs.${region}.amazonaws.com/${this.b.id}/${resource.split(':')[5]}`,
            }
          : null;
      case 'kms':
        return operation === 'Decrypt'
          ? { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', ...(resource ? { keyId: resource } : {}) }
          : resource
            ? { keyId: resource }
            : null;
      case 'secretsmanager':
        return resource ? { secretId: resource } : null;
      case 'lambda':
        return operation === 'ListFunctions'
          ? null
          : { functionName: tail ?? `${this.b.account.theme}-api` };
      case 'ec2':
        return operation === 'DescribeInstances'
          ? { instancesSet: {}, filterSet: {} }
          : operation.startsWith('Describe')
            ? {}
            : null;
      case 'ssm':
        return operation.startsWith('GetParameter')
          ? { name: `/${this.b.account.theme}/config`, withDecryption: true }
          : null;
      default:
        return null;
    }
  }

  /** Notes one call in the ground truth (every error the generator writes is a refusal). */
  private remember(caller: Caller, action: string, time: string, record: CloudTrailRecord): void {
    const failed = record.errorCode !== undefined;
    const key = `${caller.actsFor.key}\n${action}`;
    let call = this.truthCalls.get(key);
    if (!call) {
      call = {
        principal: caller.actsFor.key,
        kind: caller.actsFor.kind,
        action,
        count: 0,
        denied: 0,
        firstSeen: time,
        lastSeen: time,
        resources: [],
      };
      this.truthCalls.set(key, call);
    }
    call.count++;
    if (failed) call.denied++;
    if (time < call.firstSeen) call.firstSeen = time;
    if (time > call.lastSeen) call.lastSeen = time;
    const resources = (record.resources as { ARN: string }[] | undefined) ?? [];
    if (!failed)
      for (const { ARN } of resources) if (!call.resources.includes(ARN)) call.resources.push(ARN);
    const keyId = String(caller.identity.accessKeyId ?? '');
    if (keyId.startsWith('AKIA')) {
      const use = this.truthKeys.get(keyId) ?? {
        principal: caller.actsFor.key,
        count: 0,
        lastSeen: time,
      };
      use.count++;
      if (time > use.lastSeen) use.lastSeen = time;
      this.truthKeys.set(keyId, use);
    }
    const roleArn = (record.requestParameters as { roleArn?: string } | null)?.roleArn;
    if (!failed && action.startsWith('sts:AssumeRole') && roleArn) {
      const pair = `${roleArn}\n${caller.actsFor.key}`;
      const use = this.truthAssumptions.get(pair) ?? {
        role: roleArn,
        assumedBy: caller.actsFor.key,
        count: 0,
        lastSeen: time,
      };
      use.count++;
      if (time > use.lastSeen) use.lastSeen = time;
      this.truthAssumptions.set(pair, use);
    }
    const signedIn = (record.responseElements as { ConsoleLogin?: string } | null)?.ConsoleLogin;
    if (action === 'signin:ConsoleLogin' && signedIn === 'Success') {
      const last = this.truthLogins.get(caller.actsFor.key);
      if (last === undefined || time > last) this.truthLogins.set(caller.actsFor.key, time);
    }
  }

  /** The ground truth of every record written so far. */
  truth(): CloudTrailTruth {
    return {
      calls: [...this.truthCalls.values()],
      accessKeys: [...this.truthKeys].map(([accessKeyId, use]) => ({ accessKeyId, ...use })),
      assumptions: [...this.truthAssumptions.values()],
      consoleLogins: [...this.truthLogins].map(([principal, lastSeen]) => ({
        principal,
        lastSeen,
      })),
    };
  }

  /** Appends one API call record. */
  call(
    caller: Caller,
    time: Date,
    action: string,
    region: string,
    options: {
      resources?: readonly string[];
      requestParameters?: Record<string, unknown> | null;
      responseElements?: Record<string, unknown> | null;
      errorCode?: string | null;
      recordResources?: Record<string, unknown>[];
      additional?: Record<string, unknown>;
      eventType?: string;
      sharedEventId?: boolean;
    } = {},
  ): void {
    const event = eventOf(action);
    const awsRegion = this.regionFor(event.source, region);
    const errorCode = options.errorCode ?? null;
    const record: CloudTrailRecord = {
      eventVersion: event.data ? '1.10' : '1.09',
      userIdentity: caller.identity,
      eventTime: isoZ(time),
      eventSource: event.source,
      eventName: event.name,
      awsRegion,
      sourceIPAddress: caller.sourceIp,
      userAgent: caller.userAgent(event.source.split('.')[0] ?? ''),
    };
    if (errorCode) {
      const service = action.split(':')[0];
      const target = options.resources?.find((arn) => arn.split(':')[2] === service) ?? '*';
      record.errorCode = errorCode;
      record.errorMessage =
        errorCode === 'Client.UnauthorizedOperation'
          ? 'You are not authorized to perform this operation.'
          : `User: ${String(caller.identity.arn ?? 'anonymous')} is not authorized to perform: ${action} on resource: ${target} because no identity-based policy allows the ${action} action`;
    }
    record.requestParameters =
      options.requestParameters !== undefined
        ? options.requestParameters
        : this.requestParameters(action, options.resources ?? [], awsRegion);
    record.responseElements = errorCode ? null : (options.responseElements ?? null);
    if (options.additional) record.additionalEventData = options.additional;
    record.requestID =
      event.source === 's3.amazonaws.com' ? this.rng.chars('0123456789ABCDEF', 16) : uuid(this.rng);
    record.eventID = uuid(this.rng);
    record.readOnly = event.readOnly;
    if (options.recordResources) record.resources = options.recordResources;
    record.eventType = options.eventType ?? 'AwsApiCall';
    record.managementEvent = !event.data;
    record.recipientAccountId = this.b.id;
    if (options.sharedEventId) record.sharedEventID = uuid(this.rng);
    record.eventCategory = event.data ? 'Data' : 'Management';
    if (!caller.console && !caller.sourceIp.endsWith('amazonaws.com')) {
      record.tlsDetails = {
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        clientProvidedHostHeader:
          awsRegion === 'us-east-1' && GLOBAL_SOURCES.has(event.source.split('.')[0] ?? '')
            ? event.source
            : event.source.replace('.amazonaws.com', `.${awsRegion}.amazonaws.com`),
      };
    }
    if (caller.console) record.sessionCredentialFromConsole = 'true';
    this.records.push(record);
    this.remember(caller, action, record.eventTime as string, record);
  }

  humanIp(): string {
    return this.rng.chance(0.8)
      ? `203.0.113.${this.rng.int(10, 40)}`
      : `198.51.100.${this.rng.int(1, 254)}`;
  }

  accessKey(prefix: 'ASIA' | 'AKIA'): string {
    return prefix + this.rng.chars(IAM_ID_ALPHABET, 16);
  }
}

function userCaller(
  w: TrailWriter,
  user: UserEntity,
  accessKeyId: string,
  console: boolean,
  sessionStart: Date,
  ip: string,
): Caller {
  const identity: Record<string, unknown> = {
    type: 'IAMUser',
    principalId: user.id,
    arn: user.arn,
    accountId: user.arn.split(':')[4],
    accessKeyId,
    userName: user.name,
  };
  if (console)
    identity.sessionContext = {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: { creationDate: isoZ(sessionStart), mfaAuthenticated: String(user.mfa) },
    };
  const ci = user.name.startsWith('svc-') || user.name.startsWith('ci-');
  return {
    identity,
    actsFor: { key: user.arn, kind: 'user' },
    sourceIp: ip,
    userAgent: (service) =>
      console ? CONSOLE_UA : ci ? `${SDK_JS}${service}#3.621.0` : `${CLI}${service}`,
    console,
  };
}

function roleCaller(
  role: RoleEntity,
  accountId: string,
  sessionName: string,
  accessKeyId: string,
  sessionStart: Date,
  ip: string,
  invokedBy: string | null,
  webProvider: string | null,
): Caller {
  const identity: Record<string, unknown> = {
    type: 'AssumedRole',
    principalId: `${role.id}:${sessionName}`,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    accountId,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: role.id,
        arn: role.arn,
        accountId,
        userName: role.name,
      },
      webIdFederationData: webProvider ? { federatedProvider: webProvider, attributes: {} } : {},
      attributes: { creationDate: isoZ(sessionStart), mfaAuthenticated: 'false' },
    },
  };
  if (invokedBy) identity.invokedBy = invokedBy;
  const lambda = role.session.kind === 'service' && role.session.service === 'lambda.amazonaws.com';
  return {
    identity,
    actsFor: { key: role.arn, kind: 'role' },
    sourceIp: invokedBy ?? ip,
    userAgent: (service) =>
      invokedBy
        ? invokedBy
        : lambda
          ? BOTO_LAMBDA
          : role.session.kind === 'web-identity'
            ? TERRAFORM
            : `${SDK_JS}${service}#3.621.0`,
    console: role.session.kind === 'saml',
  };
}

function sessionNameFor(rng: Random, role: RoleEntity): string {
  const session = role.session;
  switch (session.kind) {
    case 'service':
      if (session.service === 'ec2.amazonaws.com') return `i-0${rng.chars(HEX, 16)}`;
      if (session.service === 'ecs-tasks.amazonaws.com') return rng.chars(HEX, 32);
      if (session.service === 'lambda.amazonaws.com') return role.name.replace(/-lambda$/, '');
      return `${session.service.split('.')[0]}-${rng.chars('0123456789', 10)}`;
    case 'service-linked':
      return `${session.service.split('.')[0]}-session`;
    case 'saml':
      return session.users.length > 0 ? rng.pick(session.users) : 'federated-user';
    case 'web-identity':
      return 'GitHubActions';
    default:
      return `botocore-session-${rng.chars('0123456789', 10)}`;
  }
}

/** Appends the record that starts a role session (AssumeRole, …WithSAML, …WithWebIdentity). */
function startSession(
  w: TrailWriter,
  b: AccountBuilder,
  rng: Random,
  role: RoleEntity,
  time: Date,
  sessionName: string,
  accessKeyId: string,
): void {
  const session = role.session;
  const response = {
    credentials: { accessKeyId, expiration: expirationOf(new Date(time.getTime() + 3_600_000)) },
    assumedRoleUser: {
      assumedRoleId: `${role.id}:${sessionName}`,
      arn: `arn:aws:sts::${b.id}:assumed-role/${role.name}/${sessionName}`,
    },
  };
  const resources = [{ accountId: b.id, type: 'AWS::IAM::Role', ARN: role.arn }];
  const params = { roleArn: role.arn, roleSessionName: sessionName };
  const service = (name: string): Caller => ({
    identity: { type: 'AWSService', invokedBy: name },
    actsFor: { key: `service:${name}`, kind: 'service' },
    sourceIp: name,
    userAgent: () => name,
    console: false,
  });
  switch (session.kind) {
    case 'service':
      w.call(service(session.service), time, 'sts:AssumeRole', b.region, {
        requestParameters: params,
        responseElements: response,
        recordResources: resources,
        sharedEventId: false,
      });
      return;
    case 'service-linked':
      return;
    case 'saml':
      w.call(
        {
          identity: {
            type: 'SAMLUser',
            principalId: `${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 27)}=:${sessionName}`,
            userName: sessionName,
            identityProvider: session.provider.endsWith('_DO_NOT_DELETE')
              ? rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 27) +
                '='
              : session.provider,
          },
          actsFor: { key: `federated:${session.provider}`, kind: 'federated' },
          sourceIp: w.humanIp(),
          userAgent: () => CONSOLE_UA,
          console: true,
        },
        time,
        'sts:AssumeRoleWithSAML',
        'us-east-1',
        {
          requestParameters: { ...params, principalArn: session.provider, durationSeconds: 43200 },
          responseElements: {
            ...response,
            subjectType: 'persistent',
            audience: 'https://signin.aws.amazon.com/saml',
          },
          recordResources: [
            ...resources,
            { accountId: b.id, type: 'AWS::IAM::SAMLProvider', ARN: session.provider },
          ],
        },
      );
      return;
    case 'web-identity': {
      const host = session.provider.includes('oidc-provider/')
        ? (session.provider.split('oidc-provider/')[1] ?? session.provider)
        : session.provider;
      w.call(
        {
          identity: {
            type: 'WebIdentityUser',
            principalId: `${session.provider}:sts.amazonaws.com:${session.subject}`,
            userName: session.subject,
            identityProvider: host,
          },
          actsFor: { key: `federated:${session.provider}`, kind: 'federated' },
          sourceIp: `192.0.2.${rng.int(1, 254)}`,
          userAgent: () => TERRAFORM,
          console: false,
        },
        time,
        'sts:AssumeRoleWithWebIdentity',
        b.region,
        {
          requestParameters: { ...params, durationSeconds: 3600 },
          responseElements: {
            ...response,
            subjectFromWebIdentityToken: session.subject,
            provider: session.provider,
            audience: 'sts.amazonaws.com',
          },
          recordResources: resources,
        },
      );
      return;
    }
    case 'principal': {
      const caller = b.users.find((u) => u.arn === session.arn);
      const callerRole = caller ? undefined : b.roles.find((r) => r.arn === session.arn);
      const accountId = session.arn.split(':')[4] ?? b.id;
      const known = caller
        ? userCaller(w, caller, w.accessKey('AKIA'), false, time, w.humanIp())
        : callerRole
          ? roleCaller(
              callerRole,
              b.id,
              sessionNameFor(rng, callerRole),
              w.accessKey('ASIA'),
              time,
              w.humanIp(),
              null,
              null,
            )
          : null;
      const identity = known
        ? known.identity
        : {
            type: 'AWSAccount',
            principalId: `AROA${rng.chars(IAM_ID_ALPHABET, 17)}:${rng.chars(HEX, 32)}`,
            accountId,
          };
      w.call(
        {
          identity,
          actsFor: known ? known.actsFor : { key: `account:${accountId}`, kind: 'unknown' },
          sourceIp: `198.51.100.${rng.int(1, 254)}`,
          userAgent: (s) => `${SDK_JS}${s}#3.621.0`,
          console: false,
        },
        time,
        'sts:AssumeRole',
        b.region,
        {
          requestParameters: params,
          responseElements: response,
          recordResources: resources,
          sharedEventId: accountId !== b.id,
        },
      );
      return;
    }
    case 'account': {
      const local = session.accountId === b.id ? b.users.find((u) => u.keys.length > 0) : undefined;
      const known = local
        ? userCaller(w, local, w.accessKey('AKIA'), false, time, w.humanIp())
        : null;
      const identity = known
        ? known.identity
        : {
            type: 'AWSAccount',
            principalId: `AIDA${rng.chars(IAM_ID_ALPHABET, 17)}`,
            accountId: session.accountId,
          };
      w.call(
        {
          identity,
          actsFor: known ? known.actsFor : { key: `account:${session.accountId}`, kind: 'unknown' },
          sourceIp: w.humanIp(),
          userAgent: (s) => `${CLI}${s}`,
          console: false,
        },
        time,
        'sts:AssumeRole',
        b.region,
        {
          requestParameters: params,
          responseElements: response,
          recordResources: resources,
          sharedEventId: session.accountId !== b.id,
        },
      );
      return;
    }
  }
}

/** Appends API calls at `times`; a few fail, on actions the caller is not granted. */
function apiCalls(
  w: TrailWriter,
  rng: Random,
  caller: Caller,
  times: readonly Date[],
  usage: Usage,
  regions: readonly [string, string],
  isAdmin: boolean,
): void {
  const actions = usage.actions.length > 0 ? usage.actions : ['sts:GetCallerIdentity'];
  const refused = (usage.deniedActions ?? COMMONLY_DENIED).filter((a) => !actions.includes(a));
  const deniedRate = isAdmin || refused.length === 0 ? 0 : (usage.deniedRate ?? 0.03);
  for (const time of times) {
    const denied = rng.chance(deniedRate);
    const action = denied ? rng.pick(refused) : rng.pick(actions);
    const region = rng.chance(0.85) ? regions[0] : regions[1];
    w.call(caller, time, action, region, {
      resources: usage.resources,
      errorCode: denied
        ? action.startsWith('ec2:')
          ? 'Client.UnauthorizedOperation'
          : 'AccessDenied'
        : null,
    });
  }
}

/** True when the principal holds AdministratorAccess (directly or through a group) and no boundary. */
function isPlainAdmin(b: AccountBuilder, entity: RoleEntity | UserEntity): boolean {
  if (entity.boundary) return false;
  const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
  if (entity.attached.includes(admin)) return true;
  return (
    entity.kind === 'user' &&
    b.groups.some((g) => entity.groups.includes(g.name) && g.attached.includes(admin))
  );
}

function roleEvents(w: TrailWriter, b: AccountBuilder, role: RoleEntity, count: number): void {
  if (!role.lastUsed) return;
  const rng = b.rng.fork(`trail/role/${role.arn}`);
  const admin = isPlainAdmin(b, role);
  const invokedBy =
    role.session.kind === 'service-linked'
      ? role.session.service
      : role.session.kind === 'service' &&
          [
            'cloudformation.amazonaws.com',
            'codepipeline.amazonaws.com',
            'events.amazonaws.com',
            'scheduler.amazonaws.com',
            'states.amazonaws.com',
            'backup.amazonaws.com',
            'firehose.amazonaws.com',
            'ssm.amazonaws.com',
          ].includes(role.session.service)
        ? role.session.service
        : null;
  const webProvider = role.session.kind === 'web-identity' ? role.session.provider : null;
  const hasStart = role.session.kind !== 'service-linked';
  for (const session of w.sessions(role.created, role.lastUsed, count, 12)) {
    const start = session[0] as Date;
    const sessionName = sessionNameFor(rng, role);
    const key = w.accessKey('ASIA');
    if (hasStart) startSession(w, b, rng, role, start, sessionName, key);
    const ip = role.session.kind === 'saml' ? w.humanIp() : `198.51.100.${rng.int(1, 254)}`;
    const caller = roleCaller(role, b.id, sessionName, key, start, ip, invokedBy, webProvider);
    apiCalls(
      w,
      rng,
      caller,
      hasStart ? session.slice(1) : session,
      role.usage,
      b.account.regions,
      admin,
    );
  }
}

function userEvents(w: TrailWriter, b: AccountBuilder, user: UserEntity, count: number): void {
  const rng = b.rng.fork(`trail/user/${user.arn}`);
  const admin = isPlainAdmin(b, user);
  const key = user.keys.find((k) => w.inWindow(k.lastUsed));
  const console =
    user.password && w.inWindow(user.password.lastUsed) ? user.password.lastUsed : null;
  const keyShare = key && console ? Math.ceil(count / 2) : key ? count : 0;
  if (key && key.lastUsed && keyShare > 0) {
    const times = w.times(key.created, key.lastUsed, keyShare);
    const ip = user.name.startsWith('svc-') ? `198.51.100.${rng.int(1, 254)}` : w.humanIp();
    const caller = userCaller(w, user, key.id, false, times[0] as Date, ip);
    apiCalls(w, rng, caller, times, user.usage, [key.region, b.account.regions[1]], admin);
  }
  const consoleCount = count - keyShare;
  if (console && consoleCount > 0) {
    for (const session of w.sessions(user.created, console, consoleCount, 15)) {
      const start = session[0] as Date;
      const ip = w.humanIp();
      w.call(
        {
          identity: {
            type: 'IAMUser',
            principalId: user.id,
            arn: user.arn,
            accountId: b.id,
            userName: user.name,
          },
          actsFor: { key: user.arn, kind: 'user' },
          sourceIp: ip,
          userAgent: () => CONSOLE_UA,
          console: false,
        },
        start,
        'signin:ConsoleLogin',
        'us-east-1',
        {
          requestParameters: null,
          responseElements: { ConsoleLogin: 'Success' },
          additional: {
            LoginTo:
              'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
            MobileVersion: 'No',
            ...(user.mfa ? { MFAIdentifier: `arn:aws:iam::${b.id}:mfa/${user.name}` } : {}),
            MFAUsed: user.mfa ? 'Yes' : 'No',
          },
          eventType: 'AwsConsoleSignIn',
        },
      );
      const caller = userCaller(w, user, w.accessKey('ASIA'), true, start, ip);
      apiCalls(w, rng, caller, session.slice(1), user.usage, b.account.regions, admin);
    }
  }
}

function plantedEvent(w: TrailWriter, b: AccountBuilder, event: PlantedEvent): void {
  const rng = b.rng.fork(`trail/planted/${event.time.getTime()}/${event.action}`);
  let caller: Caller;
  if (event.actor.kind === 'root') {
    const login = event.action === 'signin:ConsoleLogin';
    caller = {
      identity: {
        type: 'Root',
        principalId: b.id,
        arn: b.rootArn,
        accountId: b.id,
        ...(login
          ? {}
          : {
              accessKeyId: w.accessKey('ASIA'),
              sessionContext: {
                sessionIssuer: {},
                webIdFederationData: {},
                attributes: {
                  creationDate: isoZ(event.time),
                  mfaAuthenticated: String(b.root.mfa),
                },
              },
            }),
      },
      actsFor: { key: b.rootArn, kind: 'root' },
      sourceIp: '203.0.113.77',
      userAgent: () => CONSOLE_UA,
      console: !login,
    };
    if (login) {
      w.call(caller, event.time, event.action, 'us-east-1', {
        requestParameters: null,
        responseElements: { ConsoleLogin: 'Success' },
        additional: {
          LoginTo: 'https://console.aws.amazon.com/console/home',
          MobileVersion: 'No',
          MFAUsed: b.root.mfa ? 'Yes' : 'No',
        },
        eventType: 'AwsConsoleSignIn',
      });
      return;
    }
  } else if (event.actor.kind === 'user') {
    const user = event.actor.user;
    const console = event.actor.console ?? false;
    const key = user.keys[0]?.id ?? w.accessKey('AKIA');
    caller = userCaller(
      w,
      user,
      console ? w.accessKey('ASIA') : key,
      console,
      event.time,
      w.humanIp(),
    );
  } else {
    const role = event.actor.role;
    caller = roleCaller(
      role,
      b.id,
      sessionNameFor(rng, role),
      w.accessKey('ASIA'),
      event.time,
      `198.51.100.${rng.int(1, 254)}`,
      null,
      null,
    );
  }
  w.call(caller, event.time, event.action, event.region, {
    requestParameters: event.requestParameters,
    errorCode: event.errorCode ?? null,
  });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Oct 5, 2026, 1:34:56 PM`: how CloudTrail spells credential expirations. */
function expirationOf(date: Date): string {
  const hours = date.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ` +
    `${hours % 12 === 0 ? 12 : hours % 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
  );
}

function fileTimestamp(date: Date): string {
  const rounded = new Date(
    Math.min(
      Math.ceil(date.getTime() / 300_000) * 300_000,
      Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 23, 55),
    ),
  );
  return isoZ(rounded)
    .replace(/[-:]/g, '')
    .replace(/\d\dZ$/, 'Z');
}

/**
 * Generates about `budget` records (exactly, when there is enough activity) grouped into log
 * files, with the ground truth of what they say.
 */
export function generateCloudTrail(
  b: AccountBuilder,
  budget: number,
  recordsPerFile = 2000,
): { files: CloudTrailFile[]; truth: CloudTrailTruth } {
  if (budget <= 0)
    return { files: [], truth: { calls: [], accessKeys: [], assumptions: [], consoleLogins: [] } };
  const rng = b.rng.fork('trail');
  const w = new TrailWriter(b, rng);
  for (const event of b.plantedEvents.slice(0, budget)) plantedEvent(w, b, event);
  const remaining = budget - w.records.length;
  const roles = b.roles.filter((r) => w.inWindow(r.lastUsed));
  const users = b.users.filter(
    (u) =>
      u.keys.some((k) => w.inWindow(k.lastUsed)) ||
      (u.password !== null && w.inWindow(u.password.lastUsed)),
  );
  const actors = roles.length + users.length;
  if (remaining > 0 && actors > 0) {
    const base = Math.floor(remaining / actors);
    let extra = remaining - base * actors;
    const share = (): number => {
      const n = base + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
      return n;
    };
    for (const role of roles) {
      const n = share();
      if (n > 0) roleEvents(w, b, role, n);
    }
    for (const user of users) {
      const n = share();
      if (n > 0) userEvents(w, b, user, n);
    }
  }
  const records = w.records
    .map((record, index) => ({ record, index }))
    .sort(
      (x, y) =>
        String(x.record.eventTime).localeCompare(String(y.record.eventTime)) || x.index - y.index,
    )
    .map((x) => x.record);

  // One file per region and day (split when large), named as CloudTrail names them.
  const groups = new Map<string, CloudTrailRecord[]>();
  for (const record of records) {
    const key = `${String(record.awsRegion)}|${String(record.eventTime).slice(0, 10)}`;
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(record);
  }
  const files: CloudTrailFile[] = [];
  const fileRng = b.rng.fork('trail-files');
  for (const [key, list] of [...groups.entries()].sort(([x], [y]) => x.localeCompare(y))) {
    const [region = '', day = ''] = key.split('|');
    const [year, month, date] = day.split('-');
    for (let start = 0; start < list.length; start += recordsPerFile) {
      const chunk = list.slice(start, start + recordsPerFile);
      const last = new Date(String(chunk[chunk.length - 1]?.eventTime));
      const name = `${b.id}_CloudTrail_${region}_${fileTimestamp(last)}_${fileRng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 16)}.json.gz`;
      files.push({
        path: `cloudtrail/AWSLogs/${b.id}/CloudTrail/${region}/${year}/${month}/${date}/${name}`,
        records: chunk,
      });
    }
  }
  return { files, truth: w.truth() };
}
