import { parse as parseCsv } from 'csv-parse/sync';
import {
  CREDENTIAL_REPORT_COLUMNS,
  InputError,
  parseArn,
  quoteForMessage,
} from '../model/index.js';
import { normaliseAwsDate, readTextFile, type ReadOptions } from './read-input.js';
import type { CredentialReport, CredentialReportRow, SnapshotPart } from './snapshot-part.js';

type Column = (typeof CREDENTIAL_REPORT_COLUMNS)[number];

/** Values AWS writes where it has nothing to say. */
const NO_VALUE = new Set(['N/A', 'no_information', 'not_supported']);

const ROOT_USER = '<root_account>';
const MAX_CELL_CHARS = 2048;

/** Reads one row's cells by column name, turning bad values into {@link InputError}s. */
class RowReader {
  constructor(
    private readonly file: string,
    private readonly line: number,
    private readonly cells: readonly string[],
    private readonly indexOf: ReadonlyMap<Column, number>,
  ) {}

  fail(column: Column, expected: string, cause?: unknown): never {
    const found = this.raw(column);
    throw new InputError(
      this.file,
      `line ${this.line}, column ${column}`,
      `${expected} (found ${found === '' ? 'an empty value' : quoteForMessage(found)})`,
      cause === undefined ? undefined : { cause },
    );
  }

  raw(column: Column): string {
    return this.cells[this.indexOf.get(column) ?? -1] ?? '';
  }

  text(column: Column): string | null {
    const value = this.raw(column).trim();
    if (NO_VALUE.has(value)) return null;
    if (value === '') this.fail(column, 'expected a value or N/A');
    if (value.length > MAX_CELL_CHARS) {
      this.fail(column, `expected at most ${MAX_CELL_CHARS} characters`);
    }
    return value;
  }

  boolean(column: Column): boolean | null {
    const value = this.raw(column).trim();
    if (NO_VALUE.has(value)) return null;
    if (value === 'true') return true;
    if (value === 'false') return false;
    return this.fail(column, 'expected true, false or N/A');
  }

  requiredBoolean(column: Column): boolean {
    const value = this.raw(column).trim();
    if (value === 'true') return true;
    if (value === 'false') return false;
    return this.fail(column, 'expected true or false');
  }

  date(column: Column): string | null {
    const value = this.raw(column).trim();
    if (NO_VALUE.has(value)) return null;
    return (
      normaliseAwsDate(value) ??
      this.fail(column, 'expected a date such as 2023-03-09T10:41:38+00:00, or N/A')
    );
  }
}

function readRow(reader: RowReader, line: number): CredentialReportRow {
  const user = reader.text('user') ?? reader.fail('user', 'expected a user name');
  const arnText = reader.text('arn') ?? reader.fail('arn', 'expected an IAM user ARN');
  const arn = parseArn(arnText);
  const isRoot = user === ROOT_USER;
  const isIamArn = arn !== null && arn.service === 'iam' && /^\d{12}$/.test(arn.accountId);
  if (!isIamArn || (isRoot ? arn.resource !== 'root' : !arn.resource.startsWith('user/'))) {
    reader.fail(
      'arn',
      isRoot
        ? 'expected the root ARN arn:aws:iam::<account>:root for <root_account>'
        : 'expected an IAM user ARN (arn:aws:iam::<account>:user/…)',
    );
  }
  const slots = [1, 2] as const;
  return {
    line,
    user,
    arn: arnText,
    accountId: arn.accountId,
    isRoot,
    userCreationTime: reader.date('user_creation_time'),
    passwordEnabled: reader.boolean('password_enabled'),
    passwordLastUsed: reader.date('password_last_used'),
    passwordLastChanged: reader.date('password_last_changed'),
    passwordNextRotation: reader.date('password_next_rotation'),
    mfaActive: reader.requiredBoolean('mfa_active'),
    accessKeys: slots.map((slot) => ({
      slot,
      active: reader.requiredBoolean(`access_key_${slot}_active`),
      lastRotated: reader.date(`access_key_${slot}_last_rotated`),
      lastUsedDate: reader.date(`access_key_${slot}_last_used_date`),
      lastUsedRegion: reader.text(`access_key_${slot}_last_used_region`),
      lastUsedService: reader.text(`access_key_${slot}_last_used_service`),
    })),
    certs: slots.map((slot) => ({
      slot,
      active: reader.requiredBoolean(`cert_${slot}_active`),
      lastRotated: reader.date(`cert_${slot}_last_rotated`),
    })),
  };
}

/**
 * Turns what `aws iam get-credential-report` gives into CSV text: the CSV itself, the CLI's JSON
 * (`{"Content": "<base64>", ...}`), or the bare base64 `Content`.
 */
function credentialReportCsv(file: string, text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let content: unknown;
    try {
      content = (JSON.parse(trimmed) as { Content?: unknown }).Content;
    } catch (error) {
      throw new InputError(
        file,
        '',
        'expected a credential report: CSV, or the JSON of aws iam get-credential-report',
        {
          cause: error,
        },
      );
    }
    if (typeof content !== 'string') {
      throw new InputError(
        file,
        '$.Content',
        'expected the JSON of aws iam get-credential-report, with the report as base64 in Content',
      );
    }
    return Buffer.from(content, 'base64').toString('utf8');
  }
  if (!trimmed.includes(',') && /^[A-Za-z0-9+/=\s]+$/.test(trimmed) && trimmed.length > 0) {
    return Buffer.from(trimmed, 'base64').toString('utf8');
  }
  return text;
}

/**
 * Parses the text of an IAM credential report (CSV, or the base64 `Content` of
 * GetCredentialReport) into a {@link SnapshotPart} holding one {@link CredentialReport}.
 */
export function mapCredentialReport(text: string, file: string): SnapshotPart {
  const csv = credentialReportCsv(file, text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(csv, {
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
      bom: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    const reason =
      error instanceof Error
        ? error.message.replace(/ at line \d+| on line \d+/, '')
        : String(error);
    throw new InputError(
      file,
      typeof line === 'number' ? `line ${line}` : '',
      `expected a valid CSV credential report (${reason})`,
      { cause: error },
    );
  }

  const [header, ...rows] = records;
  const headerCells = (header?.record ?? []).map((cell) => cell.trim());
  const indexOf = new Map<Column, number>();
  for (const column of CREDENTIAL_REPORT_COLUMNS) {
    const index = headerCells.indexOf(column);
    if (index >= 0) indexOf.set(column, index);
  }
  const missing = CREDENTIAL_REPORT_COLUMNS.filter((column) => !indexOf.has(column));
  if (missing.length > 0) {
    throw new InputError(
      file,
      'line 1',
      `expected the header of an IAM credential report; missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    );
  }
  if (rows.length === 0) {
    throw new InputError(
      file,
      'line 2',
      'expected at least one row (a credential report always lists the root user)',
    );
  }

  const parsed: CredentialReportRow[] = [];
  for (const { record, info } of rows) {
    const reader = new RowReader(file, info.lines, record, indexOf);
    const row = readRow(reader, info.lines);
    const first = parsed[0];
    if (first && row.accountId !== first.accountId) {
      reader.fail(
        'arn',
        `expected every row to be of one account, ${first.accountId} (line ${first.line}); give one report per account`,
      );
    }
    parsed.push(row);
  }
  const accountId = parsed[0]?.accountId ?? '';
  const report: CredentialReport = { file, accountId, rows: parsed };
  return { credentialReports: [report] };
}

/** Reads an IAM credential report file (see {@link mapCredentialReport}) into a {@link SnapshotPart}. */
export async function importCredentialReport(
  file: string,
  options: ReadOptions = {},
): Promise<SnapshotPart> {
  return mapCredentialReport(await readTextFile(file, options), file);
}
