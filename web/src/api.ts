/**
 * The API client: every call goes to /api with the bearer token (when one was given in the page
 * URL as `#token=…`), and every failure becomes an {@link ApiError} carrying the server's message.
 */

const TOKEN_KEY = 'iamsight.token';

/** Moves a `#token=…` from the address bar into sessionStorage (so it is not shared or logged). */
export function adoptTokenFromUrl(): void {
  const hash = window.location.hash;
  const match = /(?:^#|&)token=([^&]*)/.exec(hash);
  if (!match) return;
  const token = decodeURIComponent(match[1] ?? '');
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  const url = new URL(window.location.href);
  url.hash = '';
  window.history.replaceState(window.history.state, '', url.pathname + url.search);
}

function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Whether a token was given to this tab. */
export function hasToken(): boolean {
  return token() !== null;
}

/** A failed call: the HTTP status, the server's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Calls the API and parses its JSON answer. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const method = init.method ?? 'GET';
  // Writes always carry JSON: the server refuses others (its CSRF defence), `{}` when empty.
  const payload = init.body ?? (method === 'GET' ? undefined : {});
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      body: payload === undefined ? null : JSON.stringify(payload),
      signal: init.signal ?? null,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The iamsight server cannot be reached. Is it running?');
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): reported below with the status alone.
    body = null;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const retry = Number(response.headers.get('Retry-After'));
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      typeof error?.message === 'string'
        ? error.message
        : `The server answered ${response.status} ${response.statusText}.`,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return body as T;
}

/** A query string from filter values (repeatable keys), without empty ones. */
export function queryOf(
  params: Record<string, string | readonly string[] | number | undefined | null>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
