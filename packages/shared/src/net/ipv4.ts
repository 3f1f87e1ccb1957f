/** IPv4 addresses and CIDR ranges, strictly: dotted quads without leading zeros (which some parsers read as octal). */

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ADDRESS = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function isIpv4(text: string): boolean {
  return ADDRESS.test(text);
}

function ipv4ToNumber(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIpv4(n: number): string {
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

/** What an IPv4 address is for, by the IANA special-purpose registry (RFC 6890 and successors). */
export type AddressKind = 'unspecified' | 'loopback' | 'link-local' | 'multicast' | 'reserved' | 'private' | 'public';

const KINDS: [string, AddressKind][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  // RFC 1918 private ranges, and RFC 6598 shared address space (Azure VNets may use it).
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'private'],
];
const KIND_RANGES = KINDS.map(([cidr, kind]) => ({ range: parseIpv4Cidr(cidr)!, kind }));

export function addressKind(ip: string): AddressKind {
  const n = ipv4ToNumber(ip);
  return KIND_RANGES.find(({ range }) => n >= range.start && n < range.start + range.size)?.kind ?? 'public';
}

/** Why an address cannot be a private frontend IP of an internal load balancer, or undefined. */
export function privateFrontendProblem(ip: string): string | undefined {
  const kind = addressKind(ip);
  if (kind === 'private') return undefined;
  if (kind === 'public') return 'a public address, but an internal load balancer takes a private one from its subnet';
  return `a ${kind} address, which no subnet hands out`;
}
