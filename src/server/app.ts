/**
 * The HTTP server of `iamsight serve` (Fastify): the JSON API of ./api-schema.ts over the store
 * and the in-memory analysis, the built web UI from dist/web, and the security around both —
 * loopback by default, a bearer token otherwise, a Host check against DNS rebinding, strict
 * headers (CSP without inline scripts), a 16 KiB body limit, JSON-only writes, and errors that
 * never carry a stack.
 */
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../store/index.js';
import type { AnalysisProvider } from './analysis.js';
import { buildOpenApiDocument, type ErrorCode } from './api-schema.js';
import { ApiProblem, VERSION } from './problem.js';
import { registerRoutes } from './routes.js';

export { ApiProblem, VERSION } from './problem.js';

/** Bodies larger than this are refused (413). */
export const BODY_LIMIT = 16 * 1024;

/** The shortest token accepted. */
export const MIN_TOKEN_LENGTH = 24;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export interface ServerOptions {
  readonly store: Store;
  readonly analysis: AnalysisProvider;
  /** Default 127.0.0.1; any other host needs a token. */
  readonly host?: string;
  /** Default 8080; 0 for any free port. */
  readonly port?: number;
  /** The bearer token every /api request must carry (required on a non-loopback host). */
  readonly token?: string | null;
  /** The built web UI; default dist/web found next to this module; null for none. */
  readonly staticDir?: string | null;
  /** Where internal errors are logged (default stderr). */
  readonly log?: (line: string) => void;
  /** The clock (ISO-8601): mutes are judged at this time. */
  readonly now?: () => string;
}

/** A problem with the server's options: the CLI prints it and exits 2. */
export class ServerConfigError extends Error {
  override readonly name = 'ServerConfigError';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for a host that binds the loopback interface only. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The hostname of a Host header (without the port), lower-cased. */
function hostnameOf(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 0 ? value.slice(0, end + 1) : null;
  }
  const colon = value.indexOf(':');
  return colon >= 0 ? value.slice(0, colon) : value;
}

const ALLOWED_LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Checks the token rules: refuses to start a non-loopback server without a strong token. */
export function checkBinding(host: string, token: string | null | undefined): void {
  if (token !== null && token !== undefined && token.length < MIN_TOKEN_LENGTH)
    throw new ServerConfigError(
      `IAMSIGHT_TOKEN is too short (${token.length} characters): use at least ${MIN_TOKEN_LENGTH}, e.g. \`export IAMSIGHT_TOKEN=$(openssl rand -hex 24)\``,
    );
  if (!isLoopbackHost(host) && !token)
    throw new ServerConfigError(
      `--host ${host} makes the server reachable from other machines: set IAMSIGHT_TOKEN to a secret of at least ${MIN_TOKEN_LENGTH} characters (e.g. \`export IAMSIGHT_TOKEN=$(openssl rand -hex 24)\`); every API request must then send it as \`Authorization: Bearer <token>\`, and the printed URL carries it for the browser`,
    );
}

/** Constant-time comparison of a presented bearer token with the expected one. */
function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}

/** The built web UI: dist/web next to dist/server (built), or from src/server (tsx, tests). */
export function defaultStaticDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../web'), resolve(here, '../../dist/web')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iamsight</title></head>
<body><h1>iamsight</h1>
<p>The web UI is not built. Run <code>npm run build</code> in the iamsight folder, then start the server again.</p>
<p>The API is up: <a href="/api/health">/api/health</a>, <a href="/api/docs">/api/docs</a>.</p>
</body></html>
`;

function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  requestId?: string,
): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message, ...(requestId ? { requestId } : {}) } });
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'not_ready',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Builds the server (not listening): tests call `app.inject`, {@link startServer} listens. */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? null;
  checkBinding(host, token);
  const loopback = isLoopbackHost(host);
  const log = options.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date().toISOString());
  const staticDir = options.staticDir === undefined ? defaultStaticDir() : options.staticDir;

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomBytes(6).toString('hex'),
    // Query strings: repeated keys become arrays (the filters accept both forms).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });

  // JSON bodies only; an empty body is no body (a DELETE may send none).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text) as unknown);
      } catch {
        done(new ApiProblem(400, 'bad_request', 'the body is not valid JSON'), undefined);
      }
    },
  );
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(
      new ApiProblem(
        415,
        'unsupported_media_type',
        'send the body as JSON with Content-Type: application/json',
      ),
      undefined,
    );
  });

  app.addHook('onRequest', async (request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    const isApi =
      request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?');
    if (isApi) reply.header('cache-control', 'no-store');
    // DNS rebinding: a page of another site resolving its name to 127.0.0.1 sends its own Host.
    if (loopback) {
      const name = hostnameOf(request.headers.host);
      if (!name || !ALLOWED_LOOPBACK_NAMES.has(name))
        throw new ApiProblem(
          403,
          'forbidden',
          'this server answers only to localhost, 127.0.0.1 and [::1] (Host header refused)',
        );
    }
    if (!isApi) return;
    if (token) {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer (\S+)$/i.exec(header);
      if (!match || !tokenMatches(match[1]!, token))
        throw new ApiProblem(
          401,
          'unauthorized',
          'send the server token as `Authorization: Bearer <token>` (the URL iamsight serve printed carries it after #token=)',
        );
    }
    // Writes are JSON: a form or a simple cross-site request cannot make one (CSRF).
    if (
      request.method === 'POST' ||
      request.method === 'DELETE' ||
      request.method === 'PUT' ||
      request.method === 'PATCH'
    ) {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json')
        throw new ApiProblem(
          415,
          'unsupported_media_type',
          `${request.method} needs Content-Type: application/json`,
        );
    }
  });

  app.setErrorHandler((error: FastifyError | ApiProblem | Error, request, reply) => {
    if (error instanceof ApiProblem) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendError(reply, error.status, error.code, error.message);
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const code = STATUS_CODES[status] ?? 'bad_request';
      const message =
        status === 413
          ? `the body is larger than ${BODY_LIMIT} bytes`
          : status === 415
            ? 'send the body as JSON with Content-Type: application/json'
            : error.message;
      return sendError(reply, status, code, message);
    }
    log(
      `iamsight serve: internal error in ${request.method} ${request.url.split('?')[0]} (request ${request.id}):\n${error.stack ?? error.message}`,
    );
    return sendError(
      reply,
      500,
      'internal',
      `internal error (request ${request.id}; the server's log has the details)`,
      request.id,
    );
  });

  const openApi = buildOpenApiDocument(VERSION);
  registerRoutes(app, { store: options.store, analysis: options.analysis, now, openApi });

  if (staticDir) {
    await app.register(fastifyStatic, {
      root: staticDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      setHeaders: (res, path) => {
        res.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (path === '/api' || path.startsWith('/api/'))
      return sendError(
        reply,
        404,
        'not_found',
        `no API route ${request.method} ${path} (see /api/docs)`,
      );
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return sendError(reply, 404, 'not_found', `nothing at ${request.method} ${path}`);
    // Client-side routes: the UI's index.html; a missing asset is a 404.
    if (/\.[a-z0-9]{1,8}$/i.test(path) && path !== '/index.html')
      return sendError(reply, 404, 'not_found', `no file ${path}`);
    if (!staticDir) return reply.code(200).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });

  return app;
}

/** Creates the server and listens; resolves with it and the address it listens on. */
export async function startServer(
  options: ServerOptions,
): Promise<{ app: FastifyInstance; url: string; port: number }> {
  const app = await createServer(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 8080 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { app, url: `http://${shown === '127.0.0.1' ? '127.0.0.1' : shown}:${port}/`, port };
}
