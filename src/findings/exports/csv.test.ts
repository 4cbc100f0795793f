import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, defuseFormula, quoteField, toCsv } from './csv.js';
import {
  aFinding,
  aHostileScanDocument,
  aMixedScanDocument,
  aScanDocument,
} from './test-support/scan-documents.js';
import type { ScanDocument } from '../scan-document.js';

function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relaxColumnCount: false }) as string[][];
}

function expectedCells(finding: ScanDocument['findings'][number]): string[] {
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
  ].map(defuseFormula);
}

describe('toCsv', () => {
  it('writes a header row and one CRLF-terminated record per finding', () => {
    const document = aMixedScanDocument();
    const text = toCsv(document);
    expect(text.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/); // no bare line breaks
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual(document.findings.map(expectedCells));
  });

  it('writes the row of a finding in column order, empty when there is no console link', () => {
    const rows = parseCsv(toCsv(aMixedScanDocument()));
    expect(rows[3]).toEqual([
      'b2'.repeat(16),
      'low',
      'iam-access-key-older-than-90-days',
      'Access key older than 90 days',
      'arn:aws:iam::100000000002:user/build-bot',
      'AWS::IAM::User',
      'build-bot',
      '100000000002',
      'resolved',
      'user/build-bot has an access key created 400 days ago.',
      'Rotate the access key.',
      '',
    ]);
  });

  it('round-trips hostile names: quotes, commas, line breaks and unicode survive', () => {
    const document = aHostileScanDocument();
    const rows = parseCsv(toCsv(document));
    expect(rows).toHaveLength(document.findings.length + 1);
    expect(rows.slice(1)).toEqual(document.findings.map(expectedCells));
    const names = rows.slice(1).map((row) => row[6]);
    expect(names).toContain('quote"inside, and comma');
    expect(names).toContain('line\nbreak\r\nand crlf');
    expect(names).toContain('héllo-wörld-日本語-🚀');
  });

  it('defuses cells a spreadsheet would run as formulas, in every column', () => {
    const rows = parseCsv(toCsv(aHostileScanDocument())).slice(1);
    const formulaLike = /^[=+\-@\t\r]/;
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(formulaLike);
    const names = rows.map((row) => row[6]);
    expect(names).toContain("'=cmd|' /C calc'!A0");
    expect(names).toContain("'+SUM(1,2)");
    expect(names).toContain("'-2+3");
    expect(names).toContain("'@SUM(A1)");
    expect(names).toContain("'\tleading-tab");
    expect(names).toContain("'\rleading-cr");
    expect(rows.map((row) => row[3])).toContain("'=cmd|' /C calc'!A0"); // the title too
  });

  it('quotes only the fields that need it', () => {
    const text = toCsv(aScanDocument([aFinding()]));
    const [, record] = text.split('\r\n');
    expect(record).toBe(
      [
        '0123456789abcdef0123456789abcdef',
        'high',
        'iam-role-admin',
        'IAM role is an administrator',
        'arn:aws:iam::100000000001:role/ci-deployer',
        'AWS::IAM::Role',
        'ci-deployer',
        '100000000001',
        'open',
        'role/ci-deployer is effectively allowed every action on every resource.',
        'Replace AdministratorAccess with a policy scoped to what the role uses.',
        'https://console.aws.amazon.com/iam/home#/roles/details/ci-deployer',
      ].join(','),
    );
  });

  it('writes only the header for a scan without findings, and a BOM when asked', () => {
    expect(toCsv(aScanDocument([]))).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    const withBom = toCsv(aScanDocument([aFinding()]), { bom: true });
    expect(withBom.startsWith('\uFEFFfingerprint,')).toBe(true);
    expect(parseCsv(withBom)[0]).toEqual([...CSV_COLUMNS]);
  });
});

describe('defuseFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@A1', "'@A1"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['a=1', 'a=1'],
    [' =1', ' =1'],
    ["'already", "'already"],
    ['', ''],
  ])('turns %j into %j', (input, output) => {
    expect(defuseFormula(input)).toBe(output);
  });
});

describe('quoteField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['', ''],
  ])('writes %j as %j', (input, output) => {
    expect(quoteField(input)).toBe(output);
  });
});
