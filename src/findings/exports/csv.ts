/**
 * RFC 4180 CSV of the findings of an `iamsight.scan/v1` document, safe to open in a spreadsheet:
 * resource names come from AWS accounts (attacker-controlled text, and IAM names may start with
 * `=`, `+`, `-` or `@`), so a cell that a spreadsheet would read as a formula is defused. Pure.
 */
import type { ScanDocument } from '../scan-document.js';

type Finding = ScanDocument['findings'][number];

/** The header row, in column order. */
export const CSV_COLUMNS = [
  'fingerprint',
  'severity',
  'ruleId',
  'title',
  'resourceArn',
  'resourceType',
  'resourceName',
  'accountId',
  'status',
  'message',
  'remediation',
  'consoleUrl',
] as const;

export interface CsvOptions {
  /** Starts the text with a UTF-8 byte order mark, which Excel needs to read non-ASCII text. */
  readonly bom?: boolean;
}

// RFC 4180 §2: records end with CRLF (also what spreadsheet programs write and expect).
const RECORD_END = '\r\n';

// OWASP CSV injection: cells starting with these are formulas (or become one) in Excel,
// LibreOffice and Google Sheets.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell's text made inert as a formula: a leading single quote when it starts like one. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A field quoted as RFC 4180 §2 requires: when it holds a quote, a comma, CR or LF. */
export function quoteField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cellsOf(finding: Finding): readonly string[] {
  return [
    finding.fingerprint,
    finding.severity,
    finding.ruleId,
    finding.title,
    finding.resource.arn,
    finding.resource.type,
    finding.resource.name,
    finding.resource.accountId,
    finding.status,
    finding.message,
    finding.remediation.text,
    finding.remediation.consoleUrl ?? '',
  ];
}

function recordOf(cells: readonly string[]): string {
  return cells.map((cell) => quoteField(defuseFormula(cell))).join(',') + RECORD_END;
}

/** The CSV text of a scan document's findings: a header row, then one record per finding. */
export function toCsv(document: ScanDocument, options: CsvOptions = {}): string {
  return findingsToCsv(document.findings, options);
}

/** The CSV text of findings (of a scan document, or from the store): header, then records. */
export function findingsToCsv(findings: readonly Finding[], options: CsvOptions = {}): string {
  return (
    (options.bom ? '\uFEFF' : '') +
    recordOf(CSV_COLUMNS) +
    findings.map((finding) => recordOf(cellsOf(finding))).join('')
  );
}
