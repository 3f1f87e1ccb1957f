/** IPv4 arithmetic for ClusterIP, NodePort-free allocation and the cloud provider's subnets. */
export const ipToInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
export const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export const isIpv4 = (s: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255);

export interface Cidr {
  base: number;
  size: number;
  text: string;
}

export function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const b = Number(bits);
  if (!ip || !isIpv4(ip) || !Number.isInteger(b) || b < 0 || b > 32) throw new Error(`invalid CIDR ${text}`);
  const size = 2 ** (32 - b);
  return { base: ipToInt(ip) - (ipToInt(ip) % size), size, text };
}

export const cidrContains = (c: Cidr, ip: string) => isIpv4(ip) && ipToInt(ip) >= c.base && ipToInt(ip) < c.base + c.size;

/**
 * The first address of `c` at or after offset `from` that is not in `used`. Azure reserves the
 * first four addresses and the last one of every subnet, so callers start at offset 4.
 */
export function firstFree(c: Cidr, used: Set<string>, from: number, reserveLast = true): string | undefined {
  const end = c.size - (reserveLast ? 1 : 0);
  for (let i = from; i < end; i++) {
    const ip = intToIp(c.base + i);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}
