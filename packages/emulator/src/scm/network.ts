// Whether a packet from a web app's sandbox reaches a private address: the stand-in's own rules
// (never shared with the steps). A site reaches a private address only through its regional VNet
// integration (https://learn.microsoft.com/azure/app-service/overview-vnet-integration: the
// integration gives the app access to resources in or through the VNet), and the integration
// subnet's NSG decides outbound traffic ("only outbound rules apply to the app", same page, "Network
// security groups"). NSG evaluation: rules by priority, the lowest number first, the first match
// decides; the default rules come last (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview,
// "Security rules", "Default security rules"). Not modelled: route tables, peerings, service tags
// other than VirtualNetwork and Internet (they never match here), application security groups.
import { contains, overlaps, parseIpOrCidr, type Cidr } from '../arm/cidr';
import type { ArmResource, ArmStore } from '../arm/store';

type Props = Record<string, unknown>;
const props = (r: ArmResource | Props | undefined): Props => ((r && 'properties' in r ? r.properties : undefined) ?? {}) as Props;

export type Reach = { ok: true } | { ok: false; why: string };

/** Documented defaults, for an NSG read without them. */
const DEFAULT_OUTBOUND: Props[] = [
  { name: 'AllowVnetOutBound', properties: { priority: 65000, direction: 'Outbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '*' } },
  { name: 'AllowInternetOutBound', properties: { priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: 'Internet', destinationPortRange: '*' } },
  { name: 'DenyAllOutBound', properties: { priority: 65500, direction: 'Outbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '*' } },
];

const listOf = (one: unknown, many: unknown): string[] => [...(Array.isArray(many) ? (many as string[]) : []), ...(typeof one === 'string' && one ? [one] : [])];
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => parseIpOrCidr(c)!);

function prefixMatches(prefix: string, target: Cidr, vnetSpace: Cidr[]): boolean {
  const p = prefix.toLowerCase();
  if (p === '*' || p === 'any') return true;
  if (p === 'virtualnetwork') return vnetSpace.some((s) => contains(s, target));
  // Internet: outside the VNet's space and outside private ranges (service-tags-overview).
  if (p === 'internet') return !vnetSpace.some((s) => overlaps(s, target)) && !PRIVATE.some((s) => overlaps(s, target));
  const c = parseIpOrCidr(prefix);
  return !!c && contains(c, target);
}

function portMatches(range: string, port: number): boolean {
  if (range === '*') return true;
  const [lo, hi] = range.split('-').map(Number);
  return port >= lo! && port <= (hi ?? lo!);
}

function ruleMatches(rule: Props, packet: { source: Cidr; destination: Cidr; port: number; protocol: 'Tcp' | 'Udp' }, vnetSpace: Cidr[]): boolean {
  const p = props(rule);
  if (String(p.direction) !== 'Outbound') return false;
  const protocol = String(p.protocol ?? '*');
  if (protocol !== '*' && protocol.toLowerCase() !== packet.protocol.toLowerCase()) return false;
  if (!listOf(p.destinationPortRange, p.destinationPortRanges).some((r) => portMatches(String(r), packet.port))) return false;
  if (!listOf(p.sourceAddressPrefix, p.sourceAddressPrefixes).some((s) => prefixMatches(s, packet.source, vnetSpace) || (parseIpOrCidr(s) ? overlaps(parseIpOrCidr(s)!, packet.source) : false))) return false;
  return listOf(p.destinationAddressPrefix, p.destinationAddressPrefixes).some((d) => prefixMatches(d, packet.destination, vnetSpace));
}

/** The outbound verdict of an NSG for a packet: the first matching rule by priority. */
export function nsgVerdict(nsg: ArmResource, packet: { source: Cidr; destination: Cidr; port: number; protocol: 'Tcp' | 'Udp' }, vnetSpace: Cidr[]): { access: string; rule: string } {
  const p = props(nsg);
  const custom = (p.securityRules as Props[] | undefined) ?? [];
  const defaults = ((p.defaultSecurityRules as Props[] | undefined) ?? []).length > 0 ? (p.defaultSecurityRules as Props[]) : DEFAULT_OUTBOUND;
  const ordered = [...custom, ...defaults].sort((a, b) => Number(props(a).priority) - Number(props(b).priority));
  const hit = ordered.find((r) => ruleMatches(r, packet, vnetSpace));
  return hit ? { access: String(props(hit).access), rule: String(hit.name) } : { access: 'Deny', rule: '(none)' };
}

/** Whether the site's sandbox reaches `ip:port` over `protocol` (before any listener is asked). */
export function siteReaches(store: ArmStore, site: ArmResource, ip: string, port: number, protocol: 'Tcp' | 'Udp'): Reach {
  const destination = parseIpOrCidr(ip);
  if (!destination) return { ok: false, why: `${ip} is not an IPv4 address` };
  const subnetId = String(props(site).virtualNetworkSubnetId ?? '');
  const subnet = subnetId ? store.get(subnetId) : undefined;
  if (!subnet) return { ok: false, why: 'the site has no VNet integration' };
  const vnet = store.get(subnet.id.replace(/\/subnets\/[^/]+$/i, ''));
  const space = (((props(vnet).addressSpace as Props | undefined)?.addressPrefixes as string[] | undefined) ?? []).map((c) => parseIpOrCidr(c)).filter((c): c is Cidr => !!c);
  if (!space.some((s) => contains(s, destination))) return { ok: false, why: `${ip} is outside the integrated VNet's address space` };
  const nsgId = (props(subnet).networkSecurityGroup as { id?: string } | undefined)?.id;
  const nsg = nsgId ? store.get(nsgId) : undefined;
  if (!nsg) return { ok: true };
  const source = parseIpOrCidr(String(props(subnet).addressPrefix ?? ((props(subnet).addressPrefixes as string[] | undefined) ?? [])[0] ?? ''));
  if (!source) return { ok: true };
  const verdict = nsgVerdict(nsg, { source, destination, port, protocol }, space);
  return verdict.access === 'Allow' ? { ok: true } : { ok: false, why: `NSG ${nsg.name} rule ${verdict.rule} denies it` };
}
