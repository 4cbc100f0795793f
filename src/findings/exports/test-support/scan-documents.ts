/**
 * Builders of `iamsight.scan/v1` documents for the export tests, and validators of the published
 * JSON schemas the exports must satisfy (schemas/README.md says where each schema comes from).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { scanDocumentSchema, type ScanDocument } from '../../scan-document.js';

type Finding = ScanDocument['findings'][number];
type FindingOverrides = Partial<Omit<Finding, 'resource' | 'remediation'>> & {
  readonly resource?: Partial<Finding['resource']>;
  readonly remediation?: Partial<Finding['remediation']>;
};

/** An open finding on role/ci-deployer in account 100000000001; fields overridable. */
export function aFinding(overrides: FindingOverrides = {}): Finding {
  const { resource, remediation, ...rest } = overrides;
  return {
    fingerprint: '0123456789abcdef0123456789abcdef',
    ruleId: 'iam-role-admin',
    anchor: 'IAM-ADM-03',
    ruleVersion: 1,
    title: 'IAM role is an administrator',
    severity: 'high',
    category: 'admin',
    message: 'role/ci-deployer is effectively allowed every action on every resource.',
    evidence: { allowedBy: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
    status: 'open',
    mute: null,
    ...rest,
    resource: {
      arn: 'arn:aws:iam::100000000001:role/ci-deployer',
      type: 'AWS::IAM::Role',
      name: 'ci-deployer',
      accountId: '100000000001',
      ...resource,
    },
    remediation: {
      text: 'Replace AdministratorAccess with a policy scoped to what the role uses.',
      consoleUrl: 'https://console.aws.amazon.com/iam/home#/roles/details/ci-deployer',
      ...remediation,
    },
  };
}

/** A valid scan document holding the given findings (checked against the v1 zod schema). */
export function aScanDocument(
  findings: readonly Finding[],
  overrides: Partial<ScanDocument> = {},
): ScanDocument {
  return scanDocumentSchema.parse({
    schema: 'iamsight.scan/v1',
    generatedAt: '2025-06-01T12:00:00.000Z',
    accounts: [
      { id: '100000000001', name: 'prod' },
      { id: '100000000002', name: 'dev' },
    ],
    score: { value: 72.5, earned: 29, possible: 40 },
    principals: [],
    findings: [...findings],
    gaps: [],
    ...overrides,
  });
}

/** Several rules, severities and accounts; one muted (with expiry), one resolved; a gap. */
export function aMixedScanDocument(): ScanDocument {
  return aScanDocument(
    [
      aFinding({ fingerprint: 'f'.repeat(32), severity: 'critical' }),
      aFinding({
        fingerprint: 'a1'.repeat(16),
        ruleId: 'iam-user-console-without-mfa',
        anchor: 'IAM-CRD-04',
        title: 'IAM user signs in to the console without MFA',
        severity: 'medium',
        category: 'credentials',
        message: 'user/dev-alice has a console password and no MFA device.',
        evidence: { passwordEnabled: true, mfaActive: false },
        resource: {
          arn: 'arn:aws:iam::100000000002:user/dev-alice',
          type: 'AWS::IAM::User',
          name: 'dev-alice',
          accountId: '100000000002',
        },
        remediation: {
          text: 'Enable MFA for the user or remove the console password.',
          consoleUrl: 'https://console.aws.amazon.com/iam/home#/users/details/dev-alice',
        },
        status: 'muted',
        mute: { reason: 'break-glass user, MFA in the safe', until: '2025-12-31T00:00:00.000Z' },
      }),
      aFinding({
        fingerprint: 'b2'.repeat(16),
        ruleId: 'iam-access-key-older-than-90-days',
        title: 'Access key older than 90 days',
        severity: 'low',
        category: 'credentials',
        message: 'user/build-bot has an access key created 400 days ago.',
        evidence: { keyAgeDays: 400 },
        resource: {
          arn: 'arn:aws:iam::100000000002:user/build-bot',
          type: 'AWS::IAM::User',
          name: 'build-bot',
          accountId: '100000000002',
        },
        remediation: { text: 'Rotate the access key.', consoleUrl: null },
        status: 'resolved',
      }),
      aFinding({
        fingerprint: 'c3'.repeat(16),
        ruleId: 'lambda-function-admin-role',
        title: 'Lambda function runs with an administrator role',
        severity: 'info',
        category: 'admin',
        message: 'function reporter runs as role/reporter, an administrator.',
        resource: {
          arn: 'arn:aws-us-gov:lambda:us-gov-west-1:100000000001:function:reporter',
          type: 'AWS::Lambda::Function',
          name: 'reporter',
          accountId: '100000000001',
        },
        status: 'muted',
        mute: { reason: 'accepted risk', until: null },
      }),
      aFinding({ fingerprint: 'd4'.repeat(16), severity: 'high' }),
    ],
    {
      gaps: [
        {
          source: 'iam:GetAccountAuthorizationDetails',
          detail: 'AccessDenied in account 100000000002',
          accountId: '100000000002',
          region: null,
        },
      ],
    },
  );
}

/** Attacker-chosen text in every free-text field: quotes, commas, newlines, formulas, unicode. */
export const HOSTILE_NAMES = [
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '-2+3',
  '@SUM(A1)',
  '\tleading-tab',
  '\rleading-cr',
  'quote"inside, and comma',
  'line\nbreak\r\nand crlf',
  'héllo-wörld-日本語-🚀',
  '<script>alert(1)</script>',
  '',
] as const;

/** One finding per hostile name, the name in the resource name, title and message. */
export function aHostileScanDocument(): ScanDocument {
  return aScanDocument(
    HOSTILE_NAMES.map((name, index) =>
      aFinding({
        fingerprint: index.toString(16).padStart(32, '0'),
        ruleId: `rule-${index}`,
        title: name,
        message: `${name} is an administrator`,
        evidence: { name, nested: { name } },
        resource: { name, arn: `arn:aws:iam::100000000001:role/${name}` },
        remediation: { text: name, consoleUrl: null },
        status: index % 3 === 0 ? 'muted' : 'open',
        mute: index % 3 === 0 ? { reason: name, until: null } : null,
      }),
    ),
  );
}

const schemaDir = new URL('../schemas/fixtures/', import.meta.url);

function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8')) as Record<string, unknown>;
}

// ajv-formats is CommonJS (`module.exports = plugin`, `exports.default = plugin`); under NodeNext
// TypeScript types its default import as the module, whose `default` is the plugin.
const addFormats = ajvFormats.default;

function compile(schema: Record<string, unknown>): ValidateFunction {
  // Both schemas declare draft-07, Ajv's default draft. Ajv's default strictness (unknown
  // keywords are errors) minus the strictTypes warnings that the schemas' anyOf-of-required
  // constraints (no "type" of their own) would print.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Validates a SARIF log against the OASIS SARIF 2.1.0 schema. */
export const validateSarif = compile(readSchema('sarif-schema-2.1.0.json'));

/** Validates one event against the OCSF 1.3.0 Detection Finding schema (cloud profile). */
export const validateOcsfDetectionFinding = compile(
  readSchema('ocsf-1.3.0-detection_finding.schema.json'),
);

/** The errors of the last validation, one line each, for readable test failures. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
