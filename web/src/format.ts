/** Small formatters and constants shared by the views. */
import type { Severity } from './api-types.ts';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export const STATUSES = ['open', 'muted', 'resolved'] as const;

/** 12,345 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 2026-05-01 14:03 UTC */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 2026-05-01 */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

/** `AWS::IAM::Role` → `IAM Role` */
export function formatResourceType(type: string | null | undefined): string {
  if (!type) return '—';
  const parts = type.split('::');
  return parts.length === 3 ? `${parts[1]} ${parts[2]}` : type;
}

/** The last segment of an ARN, for a compact label. */
export function shortArn(arn: string): string {
  const slash = arn.lastIndexOf('/');
  if (slash >= 0 && slash < arn.length - 1) return arn.slice(slash + 1);
  const colon = arn.lastIndexOf(':');
  return colon >= 0 ? arn.slice(colon + 1) : arn;
}

/**
 * The "Fix in AWS" link, only when it points at the AWS console (the server builds it; the UI
 * still refuses anything else, so a hostile name can never become a javascript: or other link).
 */
export function safeConsoleUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port)
    return null;
  const host = parsed.hostname;
  const isConsole =
    host === 'console.aws.amazon.com' ||
    /^[a-z0-9-]+(\.[a-z0-9-]+)*\.console\.aws\.amazon\.com$/.test(host);
  if (!isConsole) return null;
  if (!url.startsWith(`https://${host}/`)) return null;
  return url;
}

/** Stable JSON, two-space indented, for documents. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}
