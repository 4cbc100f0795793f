/**
 * The API in process (Fastify's inject): every route, each answer validated against the OpenAPI
 * document the server serves, and the security around them. The store is a real embedded store
 * holding the demo's scans of a generated organization (with changes between scans and a stored
 * mute), and the resource panels read the real analysis of its last snapshot.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETECTIONS } from '../detections/registry.js';
import { WEIGHTS } from '../findings/score.js';
import { openStore, resolveStoreLocation, type Store } from '../store/index.js';
import {
  createServer,
  fixedAnalysis,
  type LoadedAnalysis,
  readyAnalysis,
  recordDemoScans,
  ServerConfigError,
  type ServerOptions,
} from './index.js';
import { API_ROUTES } from './api-schema.js';

const NOW = '2026-11-05T12:00:00.000Z';
const TOKEN = 'test-token-0123456789abcdef-xyz';

let dir: string;
let store: Store;
let loaded: LoadedAnalysis;
let webDir: string;
let app: FastifyInstance;
let openApi: Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

/** The operation of the OpenAPI document that a route answers. */
function validatorFor(method: string, path: string, status: number): ValidateFunction {
  const key = `${method} ${path} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const pointer = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');
    const operation = (openApi.paths as Record<string, Record<string, unknown>>)[path]?.[
      method.toLowerCase()
    ] as { responses: Record<string, unknown> } | undefined;
    expect(operation, `${method} ${path} is in the OpenAPI document`).toBeDefined();
    expect(operation!.responses[status], `${method} ${path} documents ${status}`).toBeDefined();
    validate = ajv.compile({
      $ref: `openapi.json#/paths/${pointer(path)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`,
    });
    validators.set(key, validate);
  }
  return validate;
}

/** The route template of a concrete path. */
function templateOf(path: string): string {
  const bare = path.split('?')[0]!;
  for (const route of API_ROUTES) {
    const pattern = new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(bare)) return route.path;
  }
  return bare;
}

/** Calls the API and checks the answer against the OpenAPI document. */
async function call(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  options: {
    body?: unknown;
    status?: number;
    server?: FastifyInstance;
    headers?: Record<string, string>;
  } = {},
  // The answer is checked against the OpenAPI document below; tests then read it freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; response: LightMyRequestResponse }> {
  const response = await (options.server ?? app).inject({
    method,
    url,
    headers: {
      host: 'localhost:8080',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  const body = response.json();
  const validate = validatorFor(method, templateOf(url), response.statusCode);
  expect(validate(body), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  if (options.status !== undefined)
    expect(response.statusCode, JSON.stringify(body)).toBe(options.status);
  return { status: response.statusCode, body, response };
}

async function server(options: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  return createServer({
    store,
    analysis: readyAnalysis(loaded),
    staticDir: webDir,
    now: () => NOW,
    log: () => undefined,
    ...options,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iamsight-server-'));
  store = await openStore(resolveStoreLocation(join(dir, 'store'), {}, dir));
  ({ loaded } = await recordDemoScans(store, {
    seed: 3,
    principals: 260,
    accounts: 4,
    workDir: dir,
  }));
  webDir = join(dir, 'web');
  await mkdir(join(webDir, 'assets'), { recursive: true });
  await writeFile(
    join(webDir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/app-3f2a.js"></script></head><body><div id="root"></div></body></html>',
  );
  await writeFile(join(webDir, 'assets', 'app-3f2a.js'), 'console.log("iamsight");\n');
  app = await server();
  openApi = (await app.inject({ url: '/api/docs', headers: { host: 'localhost' } })).json();
  ajv.addSchema(openApi, 'openapi.json');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('API: findings, scores, mutes, scans', () => {
  it('documents every route in an OpenAPI 3.1 document that compiles', () => {
    expect(openApi.openapi).toBe('3.1.0');
    for (const route of API_ROUTES) {
      const operation = (openApi.paths as Record<string, Record<string, unknown>>)[route.path]?.[
        route.method.toLowerCase()
      ];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it('answers health with the store and the analysis', async () => {
    const { body } = await call('GET', '/api/health', { status: 200 });
    expect(body).toMatchObject({
      status: 'ok',
      store: { kind: 'sqlite' },
      analysis: { state: 'ready', usage: true, asOf: '2026-11-01T00:00:00.000Z' },
    });
    expect(body.analysis.detail).toContain('4 accounts');
  });

  it('answers the overview: live score, trend of the five scans, every severity, accounts', async () => {
    const { body } = await call('GET', '/api/overview', { status: 200 });
    expect(body.latestScan.id).toBe(5);
    expect(body.trend.map((p: { scanId: number }) => p.scanId)).toEqual([1, 2, 3, 4, 5]);
    expect(body.bySeverity.map((s: { severity: string }) => s.severity)).toEqual([
      'critical',
      'high',
      'medium',
      'low',
      'info',
    ]);
    const open = body.bySeverity.reduce((sum: number, s: { count: number }) => sum + s.count, 0);
    expect(open).toBe(body.totals.open);
    expect(body.totals.muted).toBeGreaterThanOrEqual(1); // the demo's stored mute
    expect(body.totals.resolved).toBeGreaterThan(0);
    expect(body.byRule.length).toBeGreaterThan(0);
    expect(body.byRule.length).toBeLessThanOrEqual(20);
    expect(body.byRule[0].count).toBeGreaterThanOrEqual(body.byRule.at(-1).count);
    expect(body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(
      expect.arrayContaining(['100000000001', '100000000002', '100000000003', '100000000004']),
    );
    const named = body.accounts.find((a: { accountId: string }) => a.accountId === '100000000001');
    expect(named.name).toBeTruthy();
    expect(named.score.possible).toBeGreaterThan(0);
    // The demo has CloudTrail but no Access Advisor data: the scan records the kind as missing, and
    // the overview does not list it, since CloudTrail decides the one rule that could use it.
    expect(body.latestScan.accounts['100000000001']).toContain('service-last-accessed');
    expect(body.latestScan.accounts['100000000001']).not.toContain('cloudtrail');
    expect(named.missing).not.toContain('service-last-accessed');
    // No mute changed since the last scan: the live score is the scan's.
    expect(body.score).toMatchObject(body.latestScan.score);
    expect(body.score.asOf).toBe(NOW);
  });

  it('lists findings with filters and pages through them with the cursor', async () => {
    const all = await call('GET', '/api/findings?status=open&limit=1000', { status: 200 });
    const critical = await call('GET', '/api/findings?status=open&severity=critical,high&limit=5', {
      status: 200,
    });
    expect(critical.body.items).toHaveLength(5);
    expect(
      critical.body.items.every((f: { severity: string }) =>
        ['critical', 'high'].includes(f.severity),
      ),
    ).toBe(true);
    const next = await call(
      'GET',
      `/api/findings?status=open&severity=critical&severity=high&limit=5&cursor=${critical.body.nextCursor}`,
      { status: 200 },
    );
    const firstIds = critical.body.items.map((f: { fingerprint: string }) => f.fingerprint);
    expect(
      next.body.items.some((f: { fingerprint: string }) => firstIds.includes(f.fingerprint)),
    ).toBe(false);
    const one = all.body.items[0];
    const byResource = await call(
      'GET',
      `/api/findings?resource=${encodeURIComponent(one.resource.arn)}&q=${encodeURIComponent(one.resource.name)}`,
      { status: 200 },
    );
    expect(byResource.body.items.map((f: { fingerprint: string }) => f.fingerprint)).toContain(
      one.fingerprint,
    );
    const byAnchor = await call('GET', `/api/findings?rule=${one.anchor}&limit=1000`, {
      status: 200,
    });
    expect(byAnchor.body.items.every((f: { anchor: string }) => f.anchor === one.anchor)).toBe(
      true,
    );
  });

  it('groups findings by every grouping', async () => {
    for (const groupBy of ['risk', 'resource', 'account', 'severity', 'resourceType', 'none']) {
      const { body } = await call('GET', `/api/findings/groups?groupBy=${groupBy}&status=open`, {
        status: 200,
      });
      expect(body.items.length, groupBy).toBeGreaterThan(0);
    }
    const types = await call('GET', '/api/findings/groups?groupBy=resourceType&status=open', {
      status: 200,
    });
    expect(types.body.items.map((g: { key: string }) => g.key)).toContain('AWS::IAM::Role');
  });

  it('counts each facet with the other filters applied', async () => {
    const { body } = await call('GET', '/api/findings/facets?status=open&severity=critical', {
      status: 200,
    });
    // The severity facet ignores the severity filter: every severity of open findings is listed.
    const overview = (await call('GET', '/api/overview')).body;
    const expected = overview.bySeverity.filter((s: { count: number }) => s.count > 0);
    expect(body.facets.severity).toEqual(
      expected.map((s: { severity: string; count: number }) => ({
        value: s.severity,
        count: s.count,
      })),
    );
    // The other facets count critical open findings only.
    const critical = await call('GET', '/api/findings?status=open&severity=critical&limit=1000');
    expect(body.total).toBe(critical.body.items.length);
    const sum = (facet: { count: number }[]) => facet.reduce((s, v) => s + v.count, 0);
    expect(sum(body.facets.account)).toBe(body.total);
    expect(sum(body.facets.rule)).toBe(body.total);
    expect(sum(body.facets.resourceType)).toBe(body.total);
    expect(body.facets.rule[0].label).toBeTruthy();
    // The status facet ignores the status filter.
    const statuses = body.facets.status.map((s: { value: string }) => s.value);
    expect(statuses).toContain('open');
  });

  it('answers a finding with its timeline and rule; 404 for an unknown one', async () => {
    const list = await call('GET', '/api/findings?status=resolved&limit=1', { status: 200 });
    const resolved = list.body.items[0];
    const { body } = await call('GET', `/api/findings/${resolved.fingerprint}`, { status: 200 });
    expect(body.finding.status).toBe('resolved');
    expect(body.events.map((e: { kind: string }) => e.kind)).toContain('resolved');
    expect(body.detection).toMatchObject({ id: resolved.ruleId, anchor: resolved.anchor });
    expect(body.detection.remediation.length).toBeGreaterThan(0);
    const missing = await call('GET', `/api/findings/${'0'.repeat(32)}`, { status: 404 });
    expect(missing.body.error.code).toBe('not_found');
  });

  it('mutes a finding: the live score leaves its pair at once; unmuting brings it back', async () => {
    const before = (await call('GET', '/api/overview')).body.score;
    // A critical or high open finding alone on its (rule, resource) pair.
    const open = (await call('GET', '/api/findings?status=open&severity=critical,high&limit=200'))
      .body.items;
    const pairs = new Map<string, number>();
    for (const f of (await call('GET', '/api/findings?status=open&limit=1000')).body.items)
      pairs.set(
        `${f.ruleId} ${f.resource.arn}`,
        (pairs.get(`${f.ruleId} ${f.resource.arn}`) ?? 0) + 1,
      );
    const target = open.find(
      (f: { ruleId: string; resource: { arn: string } }) =>
        pairs.get(`${f.ruleId} ${f.resource.arn}`) === 1,
    );
    expect(target).toBeDefined();
    const weight = WEIGHTS[DETECTIONS.find((d) => d.id === target.ruleId)!.severity];

    const muted = await call('POST', `/api/findings/${target.fingerprint}/mute`, {
      body: { reason: 'accepted: break-glass role, reviewed', until: '2027-01-31' },
      status: 200,
    });
    expect(muted.body.mute).toMatchObject({
      fingerprint: target.fingerprint,
      reason: 'accepted: break-glass role, reviewed',
    });
    expect(muted.body.applied).toBe(1);
    expect(muted.body.score.possible).toBe(before.possible - weight);
    expect(muted.body.score.earned).toBe(before.earned);
    const overview = (await call('GET', '/api/overview')).body;
    expect(overview.score).toEqual(muted.body.score);
    expect(overview.score.value).toBeGreaterThan(before.value);
    const detail = (await call('GET', `/api/findings/${target.fingerprint}`)).body;
    expect(detail.finding.status).toBe('muted');
    expect(
      (await call('GET', '/api/mutes')).body.items.map(
        (m: { fingerprint: string }) => m.fingerprint,
      ),
    ).toContain(target.fingerprint);

    const unmuted = await call('DELETE', `/api/findings/${target.fingerprint}/mute`, {
      body: {},
      status: 200,
    });
    expect(unmuted.body.removed).toHaveLength(1);
    expect(unmuted.body.score).toEqual(before);
    // A DELETE may also send no body at all.
    const again = await call('DELETE', `/api/findings/${target.fingerprint}/mute`, {
      headers: { 'content-type': 'application/json' },
      status: 200,
    });
    expect(again.body.removed).toEqual([]);
  });

  it('mutes every finding of a rule in one account from one finding; unmuting any of them lifts it', async () => {
    const before = (await call('GET', '/api/overview')).body.score;
    // A rule with open findings in several accounts, so the scope is visible.
    const rules = (await call('GET', '/api/findings/groups?groupBy=risk&status=open')).body.items;
    let chosen: { rule: string; account: string; count: number; elsewhere: number } | null = null;
    for (const group of rules) {
      const accounts = (
        await call('GET', `/api/findings/groups?groupBy=account&status=open&rule=${group.key}`)
      ).body.items as { key: string; count: number }[];
      if (accounts.length >= 2 && accounts[0]!.count >= 2) {
        chosen = {
          rule: group.key,
          account: accounts[0]!.key,
          count: accounts[0]!.count,
          elsewhere: group.count - accounts[0]!.count,
        };
        break;
      }
    }
    expect(chosen).not.toBeNull();
    const { rule, account, count, elsewhere } = chosen!;
    const inAccount = `status=open&rule=${rule}&account=${account}&limit=1000`;
    const [first, second] = (await call('GET', `/api/findings?${inAccount}`)).body.items;

    const muted = await call('POST', `/api/findings/${first.fingerprint}/mute`, {
      body: { reason: 'accepted for the sandbox account', scope: 'rule-in-account' },
      status: 200,
    });
    expect(muted.body.mute).toMatchObject({ fingerprint: null, rule, account, arn: null });
    expect(muted.body.applied).toBe(count);
    expect((await call('GET', `/api/findings?${inAccount}`)).body.items).toEqual([]);
    const stillOpen = (await call('GET', `/api/findings?status=open&rule=${rule}&limit=1000`)).body
      .items;
    expect(stillOpen).toHaveLength(elsewhere);
    expect(muted.body.score.possible).toBeLessThan(before.possible);
    expect(muted.body.score.earned).toBe(before.earned);

    // Unmuting from another finding of the rule removes the rule's mute for all of them.
    const unmuted = await call('DELETE', `/api/findings/${second.fingerprint}/mute`, {
      body: {},
      status: 200,
    });
    expect(unmuted.body.removed.map((m: { id: number }) => m.id)).toEqual([muted.body.mute.id]);
    expect((await call('GET', `/api/findings?${inAccount}`)).body.items).toHaveLength(count);
    expect(unmuted.body.score).toEqual(before);
  });

  it('refuses a mute without a reason, with a past end, or of an unknown finding', async () => {
    const f = (await call('GET', '/api/findings?status=open&limit=1')).body.items[0];
    const empty = await call('POST', `/api/findings/${f.fingerprint}/mute`, {
      body: { reason: '' },
      status: 400,
    });
    expect(empty.body.error.message).toContain('reason');
    const past = await call('POST', `/api/findings/${f.fingerprint}/mute`, {
      body: { reason: 'x', until: '2020-01-01' },
      status: 400,
    });
    expect(past.body.error.message).toContain('until');
    const extra = await call('POST', `/api/findings/${f.fingerprint}/mute`, {
      body: { reason: 'x', by: 'mallory' },
      status: 400,
    });
    expect(extra.body.error.message).toContain('by');
    await call('POST', `/api/findings/${'a'.repeat(32)}/mute`, {
      body: { reason: 'x' },
      status: 404,
    });
  });

  it('lists scans newest first, with a cursor', async () => {
    const first = await call('GET', '/api/scans?limit=2', { status: 200 });
    expect(first.body.items.map((s: { id: number }) => s.id)).toEqual([5, 4]);
    const next = await call('GET', `/api/scans?limit=2&cursor=${first.body.nextCursor}`, {
      status: 200,
    });
    expect(next.body.items.map((s: { id: number }) => s.id)).toEqual([3, 2]);
    const counts = (await call('GET', '/api/scans?limit=10')).body.items.map(
      (s: { counts: Record<string, number> }) => s.counts,
    );
    // The demo's story: fixes resolve, new risks open, a regression reopens, a mute mutes.
    expect(counts.some((c: Record<string, number>) => c.resolved! > 0)).toBe(true);
    expect(counts.slice(0, 4).some((c: Record<string, number>) => c.opened! > 0)).toBe(true);
    expect(counts.some((c: Record<string, number>) => c.reopened! > 0)).toBe(true);
    expect(counts.some((c: Record<string, number>) => c.muted! > 0)).toBe(true);
  });

  it('answers 400 naming the bad parameter', async () => {
    for (const [url, name] of [
      ['/api/findings?severity=urgent', 'severity'],
      ['/api/findings?status=open,closed', 'status'],
      ['/api/findings?account=12345', 'account'],
      ['/api/findings?limit=0', 'limit'],
      ['/api/findings?limit=abc', 'limit'],
      ['/api/findings?cursor=not-a-cursor', 'cursor'],
      ['/api/findings/groups?groupBy=owner', 'groupBy'],
      ['/api/scans?limit=5000', 'limit'],
      ['/api/resource/relationships?arn=x&depth=3', 'depth'],
      ['/api/resource', 'arn'],
    ] as const) {
      const { body } = await call('GET', url, { status: 400 });
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message, url).toContain(`"${name}"`);
    }
  });

  it('answers 404 JSON for unknown API paths and methods', async () => {
    const response = await app.inject({ url: '/api/nothing-here', headers: { host: 'localhost' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'no API route GET /api/nothing-here (see /api/docs)' },
    });
    const method = await app.inject({
      method: 'PUT',
      url: '/api/mutes',
      headers: { host: 'localhost', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(method.statusCode).toBe(404);
    expect(method.json().error.code).toBe('not_found');
  });
});

describe('API: resource panels', () => {
  /** A non-admin principal with an escalation path. */
  function escalating(): string {
    const access = loaded.analysis.access;
    const arn = [...access.escalations.keys()]
      .filter((a) => !access.status.get(a)?.admin)
      .sort()[0];
    expect(arn).toBeDefined();
    return arn!;
  }

  it('describes a principal: documents and configuration', async () => {
    const user = loaded.snapshot.principals.find(
      (p) => p.type === 'user' && p.inlinePolicies.length + p.attachedPolicies.length > 0,
    )!;
    const { body } = await call('GET', `/api/resource?arn=${encodeURIComponent(user.arn)}`, {
      status: 200,
    });
    expect(body).toMatchObject({
      arn: user.arn,
      kind: 'principal',
      type: 'AWS::IAM::User',
      name: user.name,
    });
    expect(body.admin).toEqual(expect.objectContaining({ admin: expect.any(Boolean) }));
    expect(body.documents.length).toBeGreaterThan(0);
    expect(body.documents.some((d: { kind: string }) => d.kind === 'scp')).toBe(
      user.accountId !== loaded.snapshot.organization?.managementAccountId &&
        (loaded.snapshot.organization?.policies.length ?? 0) > 0,
    );
    expect(body.configuration).toHaveProperty('accessKeys');
    const role = loaded.snapshot.principals.find((p) => p.type === 'role')!;
    const roleView = (
      await call('GET', `/api/resource?arn=${encodeURIComponent(role.arn)}`, { status: 200 })
    ).body;
    expect(
      roleView.documents.find((d: { kind: string }) => d.kind === 'trust').document,
    ).toHaveProperty('Statement');
  });

  it('describes a managed policy and a resource; 404 outside the snapshot', async () => {
    const policy = loaded.snapshot.policies.find((p) => !p.isAwsManaged)!;
    const view = (
      await call('GET', `/api/resource?arn=${encodeURIComponent(policy.arn)}`, { status: 200 })
    ).body;
    expect(view).toMatchObject({ kind: 'policy', type: 'AWS::IAM::ManagedPolicy' });
    expect(view.documents[0].document).toHaveProperty('Statement');
    const resource = loaded.snapshot.resources.find((r) => r.roleArns.length > 0)!;
    const rv = (
      await call('GET', `/api/resource?arn=${encodeURIComponent(resource.arn)}`, { status: 200 })
    ).body;
    expect(rv).toMatchObject({ kind: 'resource', type: resource.type, region: resource.region });
    expect(rv.configuration.roles).toEqual(resource.roleArns);
    await call(
      'GET',
      `/api/resource?arn=${encodeURIComponent('arn:aws:iam::999999999999:role/nope')}`,
      { status: 404 },
    );
  });

  it('draws the relationships of a principal with its escalation paths and at-risk edges', async () => {
    const arn = escalating();
    const { body } = await call(
      'GET',
      `/api/resource/relationships?arn=${encodeURIComponent(arn)}`,
      {
        status: 200,
      },
    );
    expect(body.center).toBe(arn);
    expect(body.paths.length).toBeGreaterThan(0);
    const shortest = loaded.analysis.access.escalations.get(arn)!;
    expect(body.paths[0].steps.length).toBeLessThanOrEqual(shortest.path.length);
    const ids = new Set(body.nodes.map((n: { id: string }) => n.id));
    for (const step of body.paths[0].steps) {
      expect(ids.has(step.from) && ids.has(step.to)).toBe(true);
      const edge = body.edges.find(
        (e: { from: string; to: string; kind: string; technique?: string }) =>
          e.from === step.from &&
          e.to === step.to &&
          e.kind === 'technique' &&
          e.technique === step.technique,
      );
      expect(edge, `edge of step ${step.technique}`).toBeDefined();
      expect(edge.atRisk).toBe(true);
      expect(edge.risk).toMatch(/\.$/);
    }
    expect(body.nodes.length).toBeLessThanOrEqual(200);
    for (const edge of body.edges) expect(ids.has(edge.from) && ids.has(edge.to)).toBe(true);
  });

  it('marks a trust from anyone at risk, with the reason', async () => {
    const anyone = loaded.analysis.access.context.rolesTrustingEveryone[0];
    expect(anyone).toBeDefined();
    const { body } = await call(
      'GET',
      `/api/resource/relationships?arn=${encodeURIComponent(anyone!.arn)}`,
      {
        status: 200,
      },
    );
    const edge = body.edges.find(
      (e: { from: string; to: string }) => e.from === 'anyone' && e.to === anyone!.arn,
    );
    expect(edge).toMatchObject({ kind: 'can-assume', atRisk: true });
    expect(edge.risk).toMatch(/^Anyone/);
  });

  it('bounds a large neighbourhood and says it was cut', async () => {
    // The AWS managed policy attached to the most principals, two hops out.
    const counts = new Map<string, number>();
    for (const p of loaded.snapshot.principals)
      for (const a of p.attachedPolicies)
        counts.set(a.policyArn, (counts.get(a.policyArn) ?? 0) + 1);
    const [busiest] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const { body } = await call(
      'GET',
      `/api/resource/relationships?arn=${encodeURIComponent(busiest)}&depth=2`,
      {
        status: 200,
      },
    );
    expect(body.nodes.length).toBeLessThanOrEqual(200);
    expect(body.truncated).toBe(body.nodes.length === 200 || body.edges.length === 600);
  });

  it("answers a resource's timeline from the store", async () => {
    const resolved = (await call('GET', '/api/findings?status=resolved&limit=1')).body.items[0];
    const { body } = await call(
      'GET',
      `/api/resource/timeline?arn=${encodeURIComponent(resolved.resource.arn)}`,
      {
        status: 200,
      },
    );
    const kinds = body.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('opened');
    expect(kinds).toContain('resolved');
    expect(
      body.events.every((e: { resourceArn: string }) => e.resourceArn === resolved.resource.arn),
    ).toBe(true);
  });

  it('says what a principal can access and who can access a resource', async () => {
    const admin = [...loaded.analysis.access.status].find(
      ([, s]) => s.admin && s.kind === 'full',
    )![0];
    const a = (
      await call('GET', `/api/resource/access?arn=${encodeURIComponent(admin)}`, { status: 200 })
    ).body;
    expect(a.kind).toBe('principal');
    expect(a.canAccess.admin).toBe(true);
    expect(a.canAccess.total).toBeGreaterThan(10_000);
    expect(a.canAccess.services[0].allowed).toBeGreaterThanOrEqual(
      a.canAccess.services.at(-1).allowed,
    );
    const bucket = loaded.snapshot.resources.find((r) => r.type === 'AWS::S3::Bucket')!;
    const b = (
      await call('GET', `/api/resource/access?arn=${encodeURIComponent(bucket.arn)}`, {
        status: 200,
      })
    ).body;
    expect(b.kind).toBe('resource');
    expect(b.actions).toContain('s3:GetObject');
    // The full admin is among those who can read it (same account, or granted by its policy).
    if (bucket.accountId === admin.split(':')[4])
      expect(b.whoCanAccess.map((e: { principal: string }) => e.principal)).toContain(admin);
    expect(b.whoCanAccess.length).toBeLessThanOrEqual(200);
  });

  it('answers Insights for a role with CloudTrail use, and says why not for a group', async () => {
    const usage = loaded.analysis.usage!;
    const role = loaded.snapshot.principals.find(
      (p) => p.type === 'role' && usage.principal(p.arn) !== undefined,
    )!;
    const { body } = await call(
      'GET',
      `/api/resource/insights?arn=${encodeURIComponent(role.arn)}`,
      { status: 200 },
    );
    expect(body.available).toBe(true);
    expect(body.insights.principal).toBe(role.arn);
    expect(body.insights.totals.used).toBeGreaterThan(0);
    expect(body.suggestion.schema).toBe('iamsight.suggested-policy/v1');
    for (const service of body.insights.services)
      expect(service.actions.length).toBeLessThanOrEqual(200);
    const group = loaded.snapshot.principals.find((p) => p.type === 'group')!;
    const g = (
      await call('GET', `/api/resource/insights?arn=${encodeURIComponent(group.arn)}`, {
        status: 200,
      })
    ).body;
    expect(g).toEqual({ available: false, reason: expect.stringContaining('users and roles') });
  });

  it('answers 409 not_ready while loading (Retry-After) and no_snapshot without one', async () => {
    const loading = await server({
      analysis: fixedAnalysis({ state: 'loading', detail: 'reading ./snapshot' }),
    });
    const arn = encodeURIComponent(escalating());
    for (const path of [
      '/api/resource',
      '/api/resource/relationships',
      '/api/resource/access',
      '/api/resource/insights',
    ]) {
      const { body, response } = await call('GET', `${path}?arn=${arn}`, {
        server: loading,
        status: 409,
      });
      expect(body.error.code).toBe('not_ready');
      expect(response.headers['retry-after']).toBe('2');
    }
    expect((await call('GET', '/api/health', { server: loading })).body.analysis.state).toBe(
      'loading',
    );
    // Findings still come from the store meanwhile.
    await call('GET', '/api/overview', { server: loading, status: 200 });
    await loading.close();
    const none = await server({
      analysis: fixedAnalysis({ state: 'none', detail: 'no snapshot: start with --snapshot DIR' }),
    });
    const { body } = await call('GET', `/api/resource?arn=${arn}`, { server: none, status: 409 });
    expect(body.error).toEqual({
      code: 'no_snapshot',
      message: 'no snapshot: start with --snapshot DIR',
    });
    await none.close();
  });
});

describe('server security', () => {
  it('refuses to start on a non-loopback host without a token, or with a short one', async () => {
    await expect(server({ host: '0.0.0.0' })).rejects.toThrow(ServerConfigError);
    await expect(server({ host: '0.0.0.0' })).rejects.toThrow(/IAMSIGHT_TOKEN/);
    await expect(server({ host: '0.0.0.0', token: 'short' })).rejects.toThrow(/at least 24/);
    const ok = await server({ host: '0.0.0.0', token: TOKEN });
    await ok.close();
  });

  it('with a token, every API request needs the bearer; static files do not', async () => {
    const secured = await server({ host: '0.0.0.0', token: TOKEN });
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0123456789abcdefgh',
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN}x`,
    ]) {
      const { body } = await call('GET', '/api/overview', {
        server: secured,
        status: 401,
        headers: authorization ? { authorization } : {},
      });
      expect(body.error.code).toBe('unauthorized');
    }
    await call('GET', '/api/overview', {
      server: secured,
      status: 200,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const page = await secured.inject({ url: '/', headers: { host: '203.0.113.9:8080' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
    // Off loopback the Host is not checked (the token guards).
    await call('GET', '/api/health', {
      server: secured,
      status: 200,
      headers: { host: 'iamsight.internal:8080', authorization: `Bearer ${TOKEN}` },
    });
    await secured.close();
  });

  it('on loopback, refuses a Host other than localhost, 127.0.0.1 and [::1] (DNS rebinding)', async () => {
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'LOCALHOST']) {
      await call('GET', '/api/health', { status: 200, headers: { host } });
    }
    for (const host of [
      'attacker.example:8080',
      '127.0.0.1.nip.io',
      'localhost.attacker.example',
    ]) {
      const { body } = await call('GET', '/api/health', { status: 403, headers: { host } });
      expect(body.error.code).toBe('forbidden');
    }
    const page = await app.inject({ url: '/', headers: { host: 'attacker.example' } });
    expect(page.statusCode).toBe(403);
  });

  it('sets the security headers on every answer, and no-store on the API', async () => {
    for (const url of ['/api/health', '/api/nothing', '/', '/assets/app-3f2a.js', '/explorer']) {
      const response = await app.inject({ url, headers: { host: 'localhost' } });
      expect(response.headers['content-security-policy'], url).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      if (url.startsWith('/api')) expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuses a body over 16 KiB (413) and a write that is not JSON (415)', async () => {
    const f = (await call('GET', '/api/findings?status=open&limit=1')).body.items[0];
    const url = `/api/findings/${f.fingerprint}/mute`;
    const big = await call('POST', url, { body: { reason: 'x'.repeat(17_000) }, status: 413 });
    expect(big.body.error.code).toBe('payload_too_large');
    for (const headers of [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      {},
    ]) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { host: 'localhost', ...headers },
        payload: 'reason=csrf',
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().error.code).toBe('unsupported_media_type');
    }
    const broken = await app.inject({
      method: 'POST',
      url,
      headers: { host: 'localhost', 'content-type': 'application/json' },
      payload: '{"reason": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('bad_request');
    expect((await call('GET', `/api/findings/${f.fingerprint}`)).body.finding.status).toBe(
      f.status,
    );
  });

  it('answers an internal error with its request id only, and logs the stack once', async () => {
    const lines: string[] = [];
    const failing = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'listScans')
          return () => Promise.reject(new Error('disk I/O error at /var/lib/iamsight/secret.db'));
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const broken = await server({ store: failing, log: (line) => lines.push(line) });
    const { body, response } = await call('GET', '/api/scans', { server: broken, status: 500 });
    expect(body.error.code).toBe('internal');
    expect(body.error.requestId).toMatch(/^[0-9a-f]{12}$/);
    expect(response.body).not.toContain('secret.db');
    expect(response.body).not.toContain(' at ');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(body.error.requestId);
    expect(lines[0]).toContain('secret.db');
    expect(lines[0]).toMatch(/\n\s+at /); // the stack, in the log only
    await broken.close();
  });
});

describe('web UI files', () => {
  it('serves index.html for client routes and hashed assets with a long cache', async () => {
    for (const url of ['/', '/explorer?groupBy=resource&severity=critical', '/findings/abc']) {
      const response = await app.inject({ url, headers: { host: 'localhost' } });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<div id="root">');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
    const asset = await app.inject({ url: '/assets/app-3f2a.js', headers: { host: 'localhost' } });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await app.inject({
      url: '/assets/app-0000.js',
      headers: { host: 'localhost' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('says how to build the UI when it is not built', async () => {
    const bare = await server({ staticDir: null });
    const response = await bare.inject({ url: '/', headers: { host: 'localhost' } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('npm run build');
    expect(response.body).not.toContain('<script');
    await bare.close();
  });
});
