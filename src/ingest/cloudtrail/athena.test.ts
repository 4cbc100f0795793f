import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AthenaQueryError, USAGE_QUERY_COLUMNS, buildUsageQuery } from './athena.js';

const DDL = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'athena', 'cloudtrail-table.sql'),
  'utf8',
);

/** Column paths of a Hive DDL (`useridentity.sessioncontext.sessionissuer.arn`) → type. */
function columnsOf(ddl: string): Map<string, string> {
  const body = ddl.replace(/--.*$/gm, '');
  const start = body.indexOf('(') + 1;
  let depth = 1;
  let end = start;
  while (depth > 0) {
    const c = body[end++];
    if (c === '(') depth++;
    if (c === ')') depth--;
  }
  const columns = new Map<string, string>();
  /** Splits `a STRING, b STRUCT<...>` (or `a: STRING, ...`) at top-level commas. */
  const members = (text: string): [string, string][] => {
    const out: [string, string][] = [];
    let level = 0;
    let current = '';
    for (const c of text + ',') {
      if (c === '<') level++;
      if (c === '>') level--;
      if (c === ',' && level === 0) {
        const match = /^\s*`?(\w+)`?\s*:?\s*([\s\S]+?)\s*$/.exec(current);
        if (match) out.push([match[1]!.toLowerCase(), match[2]!.replace(/\s+/g, '').toLowerCase()]);
        current = '';
      } else current += c;
    }
    return out;
  };
  const walk = (prefix: string, text: string): void => {
    for (const [name, type] of members(text)) {
      const path = prefix ? `${prefix}.${name}` : name;
      columns.set(path, type);
      const struct = /^struct<([\s\S]*)>$/.exec(type);
      if (struct) walk(path, struct[1]!);
    }
  };
  walk('', body.slice(start, end - 1));
  const partitions = /PARTITIONED BY \(([^)]*)\)/i.exec(body);
  if (partitions) walk('', partitions[1]!);
  return columns;
}

const TABLE = columnsOf(DDL);

// SQL words and the functions the query may use (Athena engine 3 / Trino).
const SQL_WORDS = new Set(
  `with as select from where and or not in is null case when then else end group by order over
   partition union all distinct cross join unnest cast varchar bigint like count count_if min max
   regexp_like regexp_extract json_extract_scalar row_number length coalesce element_at filter
   transform`.split(/\s+/),
);

/** Identifiers of a SQL text, outside string literals and quoted names. */
function identifiersOf(sql: string): {
  bare: Set<string>;
  paths: Set<string>;
  aliases: Set<string>;
} {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"[^"]*"/g, '""');
  const paths = new Set(code.match(/\b[a-z_]\w*(?:\.[a-z_]\w*)+\b/gi) ?? []);
  const withoutPaths = code.replace(/\b[a-z_]\w*(?:\.[a-z_]\w*)+\b/gi, ' ');
  const bare = new Set((withoutPaths.match(/\b[a-z_]\w*\b/gi) ?? []).map((w) => w.toLowerCase()));
  const aliases = new Set(
    [
      ...code.matchAll(/\bAS\s+([a-z_]\w*)/gi),
      ...code.matchAll(/\bWITH\s+([a-z_]\w*)/gi),
      ...code.matchAll(/\bAS\s+[a-z_]\w*\s*\(\s*([a-z_]\w*)\s*\)/gi),
      ...code.matchAll(/\b([a-z_]\w*)\s*->/gi),
    ].map((m) => m[1]!.toLowerCase()),
  );
  return { bare, paths, aliases };
}

const QUERY = {
  database: 'security_lake',
  table: 'cloudtrail_logs_pp',
  since: '2026-08-01T00:00:00Z',
  until: '2026-11-01T00:00:00Z',
  accounts: ['100000000001', '100000000002'],
  dayPartition: 'timestamp',
};

describe('buildUsageQuery', () => {
  const sql = buildUsageQuery(QUERY);
  const { bare, paths, aliases } = identifiersOf(sql);

  it('reads the documented DDL as the test expects (the oracle works)', () => {
    expect(TABLE.get('useridentity.sessioncontext.sessionissuer.arn')).toBe('string');
    expect(TABLE.get('resources')).toBe('array<struct<arn:string,accountid:string,type:string>>');
    expect(TABLE.get('timestamp')).toBe('string');
    expect(TABLE.size).toBeGreaterThan(40);
  });

  it('names only columns and fields of the CloudTrail table', () => {
    const unknownPaths = [...paths].filter((path) => {
      const lower = path.toLowerCase();
      if (lower.startsWith('resource.')) {
        // The element of UNNEST(resources): a field of the resources' struct.
        const element = /^array<struct<(.*)>>$/.exec(TABLE.get('resources') ?? '')?.[1] ?? '';
        return !element.split(',').some((m) => m.startsWith(`${lower.slice(9)}:`));
      }
      return !TABLE.has(lower);
    });
    expect(unknownPaths).toEqual([]);
    const unknownNames = [...bare].filter(
      (word) => !SQL_WORDS.has(word) && !aliases.has(word) && !TABLE.has(word),
    );
    expect(unknownNames).toEqual([]);
    // Every result column is produced by each branch of the UNION.
    for (const column of USAGE_QUERY_COLUMNS) expect(aliases).toContain(column);
  });

  it('uses the text columns as text and the resources as an array of structs', () => {
    for (const column of ['requestparameters', 'responseelements', 'eventtime', 'errorcode'])
      expect(TABLE.get(column)).toBe('string');
    expect(sql).toMatch(/json_extract_scalar\(requestparameters, '\$\.roleArn'\)/);
    expect(sql).toMatch(/json_extract_scalar\(responseelements, '\$\.ConsoleLogin'\) = 'Success'/);
    expect(sql).toMatch(/CROSS JOIN UNNEST\(resources\) AS listed \(resource\)/);
  });

  it('groups role sessions by their role, never by session', () => {
    expect(sql).toMatch(
      /CASE WHEN useridentity\.sessioncontext\.sessionissuer\.arn IS NOT NULL\s+AND useridentity\.type IN \('AssumedRole', 'Role', 'FederatedUser'\)\s+THEN NULL ELSE useridentity\.arn END AS id_arn/,
    );
    expect(sql).not.toMatch(/GROUP BY[^\n]*principalid/);
  });

  it('limits the scan to the window, the accounts and the days of the partition', () => {
    expect(sql).toContain(`FROM "security_lake"."cloudtrail_logs_pp"`);
    expect(sql).toContain(`eventtime >= '2026-08-01T00:00:00Z'`);
    expect(sql).toContain(`eventtime < '2026-11-01T00:00:00Z'`);
    expect(sql).toContain(`recipientaccountid IN ('100000000001', '100000000002')`);
    expect(sql).toContain(`"timestamp" >= '2026/08/01'`);
    expect(sql).toContain(`"timestamp" <= '2026/11/01'`);
    const open = buildUsageQuery({ database: 'db', table: 't' });
    expect(open).not.toMatch(/eventtime [<>]=? '/);
    expect(open).not.toContain('recipientaccountid IN');
  });

  it('keeps one more resource than the Usage holds, so truncation shows', () => {
    expect(sql).toContain('WHERE position <= 21');
  });

  it.each([
    ['a database name with a quote', { database: 'db"; DROP TABLE x; --' }],
    ['a table name with a space', { table: 'cloudtrail logs' }],
    ['an account that is not 12 digits', { accounts: ["1' OR '1'='1"] }],
    ['a since that is not a timestamp', { since: "2026-01-01' OR 1=1 --" }],
    ['an until with a date only', { until: '2026-11-01' }],
    ['a partition column with a quote', { dayPartition: 'x"y' }],
  ])('refuses %s', (_, change) => {
    expect(() => buildUsageQuery({ ...QUERY, ...change })).toThrow(AthenaQueryError);
  });
});
