/** IPv4 addresses and CIDR ranges, strictly: dotted quads without leading zeros (which some parsers read as octal). */

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ADDRESS = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function isIpv4(text: string): boolean {
  return ADDRESS.test(text);
}

export function ipv4ToNumber(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export interface Ipv4Cidr {
  /** First address of the range, as a number. */
  start: number;
  /** Number of addresses. */
  size: number;
  prefixLength: number;
  /** `a.b.c.d/n` with the host bits cleared. */
  canonical: string;
  /** Whether the text had no host bits set (Azure refuses `10.0.0.5/24`). */
  exact: boolean;
}

/** Parses `a.b.c.d/n`; undefined when it is not an IPv4 CIDR. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m || !isIpv4(m[1]!)) return undefined;
  const prefixLength = Number(m[2]);
  if (prefixLength > 32) return undefined;
  const size = 2 ** (32 - prefixLength);
  const address = ipv4ToNumber(m[1]!);
  const start = address - (address % size);
  return { start, size, prefixLength, canonical: `${numberToIpv4(start)}/${prefixLength}`, exact: start === address };
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.start >= outer.start && inner.start + inner.size <= outer.start + outer.size;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.start < b.start + b.size && b.start < a.start + a.size;
}
