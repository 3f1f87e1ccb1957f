/** IPv4 CIDR arithmetic for subnet validation (IPv6 prefixes are accepted but not range-checked). */
export interface Cidr {
  start: number;
  /** Inclusive. */
  end: number;
  bits: number;
  canonical: string;
}

const ipToInt = (ip: string): number | undefined => {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
};

const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export const isIpv6Prefix = (s: string) => s.includes(':');

/** Parses `a.b.c.d/n`; `exact` is false when host bits are set (ARM rejects those). */
export function parseCidr(s: string): (Cidr & { exact: boolean }) | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = ipToInt(m[1]!);
  const bits = Number(m[2]);
  if (ip === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const start = Math.floor(ip / size) * size;
  return { start, end: start + size - 1, bits, canonical: `${intToIp(start)}/${bits}`, exact: start === ip };
}

/** An address or CIDR, as in authorizedIPRanges. */
export function parseIpOrCidr(s: string): Cidr | undefined {
  return s.includes('/') ? parseCidr(s) : parseCidr(`${s}/32`);
}

export const contains = (outer: Cidr, inner: Cidr) => inner.start >= outer.start && inner.end <= outer.end;
export const overlaps = (a: Cidr, b: Cidr) => a.start <= b.end && b.start <= a.end;

/** The n-th address of a prefix (for allocating private endpoint IPs); Azure reserves the first four. */
export const nthAddress = (c: Cidr, n: number) => intToIp(c.start + n);
