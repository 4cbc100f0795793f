/**
 * A loopback AWS for end-to-end tests: a real node:http server that answers the SDK's requests
 * with response files in each service's wire format (query-protocol XML, JSON 1.0/1.1, S3 REST
 * XML). Point the SDK at it with AWS_ENDPOINT_URL.
 *
 * Layout: `<dir>/credentials.json` maps access key ids to account ids; responses are
 * `<dir>/<account>/<service>/<Action>[.<variant>][.<status>].<xml|json>`:
 * - `<variant>` `first` is served to the first such call only (e.g. a throttling error);
 * - `page2` answers a call that carries a pagination token;
 * - any other variant is a parameter value of the request (a bucket, `ParentId`, `Filter`, a
 *   12-digit account id inside one, e.g. in `RoleArn`, or the name at the end of an ARN);
 * - `<status>` is the HTTP status (200 when absent).
 * A request with no file is answered 501 and recorded in `unmatched`, for the test to assert on.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** One request the server saw. */
export interface ReplayedCall {
  readonly account: string;
  readonly service: string;
  readonly action: string;
  readonly file: string | null;
  readonly status: number;
  /** Milliseconds since the server started. */
  readonly at: number;
}

/** A running replay server. */
export interface ReplayServer {
  readonly url: string;
  readonly calls: ReplayedCall[];
  readonly unmatched: string[];
  /** Forgets the calls seen (so `first` responses are served again). */
  reset(): void;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  xml: 'text/xml',
  json: 'application/x-amz-json-1.1',
};

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The operation and its parameters, whatever the protocol. */
function operationOf(
  request: IncomingMessage,
  body: string,
  service: string,
): { action: string; params: Record<string, string> } {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed))
      if (typeof value === 'string') params[key] = value;
    return { action: target.slice(target.indexOf('.') + 1), params };
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (service === 's3') {
    const [bucket = '', ...key] = url.pathname.split('/').filter(Boolean);
    const query = [...url.searchParams.keys()];
    const params: Record<string, string> = bucket ? { Bucket: bucket } : {};
    if (key.length > 0) params.Key = key.join('/');
    const token = url.searchParams.get('continuation-token');
    if (token) params.ContinuationToken = token;
    const prefix = url.searchParams.get('prefix');
    if (prefix) params.Prefix = prefix;
    let action = 'ListBuckets';
    if (bucket && query.includes('policy')) action = 'GetBucketPolicy';
    else if (bucket && query.includes('publicAccessBlock')) action = 'GetPublicAccessBlock';
    else if (bucket && query.includes('list-type')) action = 'ListObjectsV2';
    else if (bucket && key.length > 0) action = 'GetObject';
    return { action, params };
  }
  const form = new URLSearchParams(body || url.search);
  const params: Record<string, string> = {};
  for (const [key, value] of form) if (key !== 'Action' && key !== 'Version') params[key] = value;
  return { action: form.get('Action') ?? 'Unknown', params };
}

const TOKENS = ['Marker', 'NextToken', 'nextToken', 'ContinuationToken'];

/** Starts the server on 127.0.0.1 (a free port). */
export async function startReplayServer(dir: string): Promise<ReplayServer> {
  const credentials = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as Record<
    string,
    string
  >;
  const calls: ReplayedCall[] = [];
  const unmatched: string[] = [];
  const seen = new Map<string, number>();
  const started = performance.now();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const auth = String(request.headers.authorization ?? '');
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
      const accessKey = scope?.[1] ?? '';
      const service = scope?.[3] ?? 'unknown';
      const account = credentials[accessKey] ?? 'unknown';
      const { action, params } = operationOf(request, body, service);
      const key = `${account}/${service}/${action}`;
      const count = seen.get(key) ?? 0;
      seen.set(key, count + 1);
      const folder = join(dir, account, service);
      const files = existsSync(folder) ? readdirSync(folder) : [];
      const variants: string[] = [];
      if (count === 0) variants.push('first');
      if (TOKENS.some((t) => params[t])) variants.push('page2');
      for (const [name, value] of Object.entries(params)) {
        if (TOKENS.includes(name)) continue;
        if (/^[\w.-]+$/.test(value)) variants.push(value);
        for (const id of value.match(/\b\d{12}\b/g) ?? []) variants.push(id);
        // The name at the end of an ARN (`user/dev-alice` → `dev-alice`), after the account id.
        const tail = value.startsWith('arn:') ? value.split('/').at(-1) : undefined;
        if (tail && /^[\w.-]+$/.test(tail)) variants.push(tail);
      }
      variants.push('');
      let file: string | null = null;
      for (const variant of variants) {
        const stem = variant ? `${action}.${variant}.` : `${action}.`;
        file =
          files.find(
            (f) => f.startsWith(stem) && /^(\d{3}\.)?(xml|json)$/.test(f.slice(stem.length)),
          ) ?? null;
        if (file) break;
      }
      if (!file) {
        unmatched.push(`${key} ${JSON.stringify(params)}`);
        calls.push({
          account,
          service,
          action,
          file: null,
          status: 501,
          at: performance.now() - started,
        });
        response.writeHead(501, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'NotRecorded', message: `no response for ${key}` }));
        return;
      }
      const parts = file.split('.');
      const extension = parts.at(-1) ?? 'json';
      const status = /^\d{3}$/.test(parts.at(-2) ?? '') ? Number(parts.at(-2)) : 200;
      calls.push({ account, service, action, file, status, at: performance.now() - started });
      const contentType =
        service === 's3' && action === 'GetObject'
          ? 'application/octet-stream'
          : (CONTENT_TYPES[extension] ?? 'application/octet-stream');
      const content = readFileSync(join(folder, file));
      response.writeHead(status, {
        'content-type': contentType,
        'x-amzn-requestid': '11111111-2222-3333-4444-555555555555',
        'content-length': String(content.length),
      });
      response.end(content);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    unmatched,
    reset() {
      calls.length = 0;
      unmatched.length = 0;
      seen.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
