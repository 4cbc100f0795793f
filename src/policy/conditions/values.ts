/**
 * Parsers for the typed values condition operators compare: numbers, dates, booleans, base-64
 * binaries, IP addresses and CIDR ranges. Each returns undefined for text that is not a value of
 * its type; none throws.
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** An integer or decimal ("Numeric condition operators"), or undefined. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

const EPOCH = /^[+-]?\d+(?:\.\d+)?$/;
// W3C "Date and Time Formats" (the ISO 8601 profile the IAM User Guide names): YYYY, YYYY-MM,
// YYYY-MM-DD, then hh:mm with optional :ss and fraction, then a zone designator. A missing zone
// is read as UTC.
const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** Milliseconds since the epoch of an ISO 8601 date/time or of epoch seconds (all digits), or undefined. */
export function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (EPOCH.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  const match = ISO.exec(trimmed);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 59) return undefined;
  if (hour === 24 && (minute > 0 || second > 0 || Number(fraction ?? 0) > 0)) return undefined;
  const base = Date.UTC(year, month - 1, day, hour, minute, second);
  const millis = fraction === undefined ? 0 : Number(fraction) * 1000;
  return base + millis - zoneOffsetMillis(zone);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneOffsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** `true` or `false` in any casing ("Boolean condition operators"), or undefined. */
export function parseBool(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of standard base-64 text ("Binary condition operators"), or undefined. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.trim();
  if (!BASE64.test(compact)) return undefined;
  return Uint8Array.from(Buffer.from(compact, 'base64'));
}

/** An IP address: its family and its value as an unsigned integer. */
export interface IpAddressValue {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** A CIDR range: its family, network (host bits cleared) and prefix length. */
export interface CidrRange {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): bigint | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  let value = 0n;
  for (const part of match.slice(1)) {
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

const HEXTET = /^[0-9A-Fa-f]{1,4}$/;

function parseIpv6(text: string): bigint | undefined {
  if (text.length === 0 || text.includes('%')) return undefined;
  // An IPv4 dotted tail ("::ffff:192.0.2.1") stands for the last two groups.
  let groupsText = text;
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    groupsText = text.slice(0, lastColon + 1);
    if (!groupsText.endsWith('::')) groupsText = groupsText.slice(0, -1);
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string): bigint[] | undefined => {
    if (half === '') return [];
    const groups: bigint[] = [];
    for (const group of half.split(':')) {
      if (!HEXTET.test(group)) return undefined;
      groups.push(BigInt(`0x${group}`));
    }
    return groups;
  };
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (head === undefined || rest === undefined) return undefined;
  const explicit = head.length + rest.length + tail.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    groups = [...head, ...new Array<bigint>(8 - explicit).fill(0n), ...rest, ...tail];
  } else {
    if (explicit !== 8) return undefined;
    groups = [...head, ...tail];
  }
  return groups.reduce((value, group) => (value << 16n) | group, 0n);
}

/** An IPv4 or IPv6 address (no prefix), or undefined. */
export function parseIpAddress(text: string): IpAddressValue | undefined {
  const trimmed = text.trim();
  const v4 = parseIpv4(trimmed);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = trimmed.includes(':') ? parseIpv6(trimmed) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/**
 * A CIDR range ("IP address condition operators"), host bits ignored; an address without a prefix
 * is that single address (/32 for IPv4, /128 for IPv6).
 */
export function parseCidr(text: string): CidrRange | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = parseIpAddress(slash < 0 ? trimmed : trimmed.slice(0, slash));
  if (!address) return undefined;
  const bits = address.family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  const shift = BigInt(bits - prefix);
  return { family: address.family, network: (address.value >> shift) << shift, prefix };
}

/** True when the address lies in the range (same family only). */
export function cidrContains(range: CidrRange, address: IpAddressValue): boolean {
  if (range.family !== address.family) return false;
  const shift = BigInt((range.family === 4 ? 32 : 128) - range.prefix);
  return address.value >> shift === range.network >> shift;
}
