// Evaluation of the integration subnet's NSG for the web app's outbound traffic.
//
// How Azure evaluates it (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview):
// - "Rules are processed in priority order, with lower numbers processed before higher numbers
//   ... Once traffic matches a rule, processing stops." Custom rules have priorities 100-4096;
//   the default rules 65000-65500 come last and cannot be removed, only overridden.
// - Default outbound rules: AllowVnetOutBound (65000, VirtualNetwork → VirtualNetwork, any
//   port and protocol), AllowInternetOutBound (65001, * → Internet), DenyAllOutBound (65500).
//   The same names, priorities and prefixes are in azure-rest-api-specs
//   specification/network/resource-manager/Microsoft.Network/stable/*/examples/NetworkSecurityGroupGet.json
//   (`defaultSecurityRules`), which is how ARM returns them.
// - The VirtualNetwork service tag is "the virtual network address space (all IP address ranges
//   defined for the virtual network), all connected on-premises address spaces, peered virtual
//   networks" (https://learn.microsoft.com/azure/virtual-network/service-tags-overview): here the
//   VNet's own address space and its Connected peerings' remote address spaces (reach.ts);
//   on-premises ranges are not known (said in the finding's message when that decides the outcome).
// App Service: "An app that uses regional VNet Integration can use a network security group to
// block outbound traffic to resources in your VNet ... The inbound rules in an NSG don't apply to
// your app" (MicrosoftDocs/azure-docs articles/app-service/overview-vnet-integration.md,
// "Network security groups"): only Outbound rules are evaluated.
import { addressKind, cidrContains, isIpv4, parseIpv4Cidr, type Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import { ipInCidr } from './address-plan';
import type { Finding } from './findings';
import { vnetTagSpace } from './reach';
import type { Nsg, NsgRule, World } from './world';

/** The default outbound rules, for an NSG read without `defaultSecurityRules` (ARM always returns them). */
export const DEFAULT_OUTBOUND_RULES: readonly NsgRule[] = [
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', protocol: '*', sourcePrefixes: ['VirtualNetwork'], destinationPrefixes: ['VirtualNetwork'], destinationPorts: ['*'] },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*', sourcePrefixes: ['*'], destinationPrefixes: ['Internet'], destinationPorts: ['*'] },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', protocol: '*', sourcePrefixes: ['*'], destinationPrefixes: ['*'], destinationPorts: ['*'] },
];

export interface Flow {
  /** The integration subnet's ranges (the source). */
  source: Ipv4Cidr[];
  destination: string;
  port: number;
  protocol: 'Tcp' | 'Udp';
}

export interface Verdict {
  access: 'Allow' | 'Deny';
  rule: NsgRule;
}

const ANY = new Set(['*', 'any']);

/** Whether an address prefix of a rule (CIDR, IP, `*` or a service tag) covers `ip`. */
function prefixCovers(prefix: string, ip: string, vnetSpace: Ipv4Cidr[]): boolean {
  const p = prefix.trim().toLowerCase();
  if (ANY.has(p)) return true;
  if (p === 'virtualnetwork') return vnetSpace.some((c) => ipInCidr(ip, c));
  // Internet: "The IP address space that's outside the virtual network and reachable by the public internet" (service-tags-overview).
  if (p === 'internet') return !vnetSpace.some((c) => ipInCidr(ip, c)) && addressKind(ip) === 'public';
  const cidr = parseIpv4Cidr(prefix.includes('/') ? prefix : `${prefix}/32`);
  return !!cidr && ipInCidr(ip, cidr);
}

/** Whether a source prefix covers the whole integration subnet (a rule for part of it is not taken to match). */
function sourceCovers(prefix: string, source: Ipv4Cidr[], vnetSpace: Ipv4Cidr[]): boolean {
  const p = prefix.trim().toLowerCase();
  if (ANY.has(p)) return true;
  if (p === 'virtualnetwork') return source.every((s) => vnetSpace.some((c) => cidrContains(c, s)));
  const cidr = parseIpv4Cidr(prefix.includes('/') ? prefix : `${prefix}/32`);
  return !!cidr && source.length > 0 && source.every((s) => cidrContains(cidr, s));
}

function portCovers(range: string, port: number): boolean {
  const r = range.trim();
  if (ANY.has(r.toLowerCase())) return true;
  const m = /^(\d+)(?:-(\d+))?$/.exec(r);
  if (!m) return false;
  const low = Number(m[1]);
  return port >= low && port <= Number(m[2] ?? low);
}

export function ruleMatches(rule: NsgRule, flow: Flow, vnetSpace: Ipv4Cidr[]): boolean {
  if (rule.direction !== 'Outbound') return false;
  if (!ANY.has(rule.protocol.toLowerCase()) && rule.protocol.toLowerCase() !== flow.protocol.toLowerCase()) return false;
  return (
    rule.sourcePrefixes.some((p) => sourceCovers(p, flow.source, vnetSpace)) &&
    rule.destinationPrefixes.some((p) => prefixCovers(p, flow.destination, vnetSpace)) &&
    rule.destinationPorts.some((r) => portCovers(r, flow.port))
  );
}

/** The first matching outbound rule by priority, custom and default rules together. */
export function evaluateOutbound(nsg: Nsg, flow: Flow, vnetSpace: Ipv4Cidr[]): Verdict {
  const defaults = nsg.defaultRules.length > 0 ? nsg.defaultRules : DEFAULT_OUTBOUND_RULES;
  const rules = [...nsg.rules, ...defaults].filter((r) => r.direction === 'Outbound').sort((a, b) => a.priority - b.priority);
  const rule = rules.find((r) => ruleMatches(r, flow, vnetSpace)) ?? DEFAULT_OUTBOUND_RULES[2]!;
  return { access: rule.access, rule };
}

/** DNS (53/UDP and 53/TCP) from the integration subnet to the DNS IP, through the subnet's NSG. */
export function nsgFindings(w: World, source: Ipv4Cidr[]): Finding[] {
  if (!w.nsg || !w.dnsIp || !isIpv4(w.dnsIp) || source.length === 0) return [];
  const nsg = w.nsg;
  const space = vnetTagSpace(w);
  const out: Finding[] = [];
  for (const protocol of ['Udp', 'Tcp'] as const) {
    const verdict = evaluateOutbound(nsg, { source, destination: w.dnsIp, port: 53, protocol }, space);
    if (verdict.access === 'Allow') continue;
    const outsideVnet = !space.some((c) => ipInCidr(w.dnsIp!, c));
    out.push({
      id: 'nsg-blocks-dns',
      severity: 'error',
      resource: `network security group ${nsg.name}`,
      message: `NSG '${nsg.name}' on subnet '${w.subnetName}' denies DNS (53/${protocol.toUpperCase()}) from the web app to ${w.dnsIp}: rule '${verdict.rule.name}' (priority ${verdict.rule.priority}) matches first${outsideVnet ? `; ${w.dnsIp} is outside the VNet's address space and its Connected peerings, so the VirtualNetwork tag does not cover it` : ''}.`,
      fix: `Add an outbound Allow rule for ${protocol.toUpperCase()} 53 to ${w.dnsIp} with a priority lower than ${verdict.rule.priority}, or change rule '${verdict.rule.name}'.`,
    });
  }
  return out;
}

/** The service port (TCP) from the integration subnet to each of the Service's internal load balancer IPs, through the subnet's NSG. */
export function nsgServiceFindings(w: World, source: Ipv4Cidr[], ips: readonly string[], ports: readonly number[]): Finding[] {
  if (!w.nsg || source.length === 0 || !w.service) return [];
  const nsg = w.nsg;
  const space = vnetTagSpace(w);
  const out: Finding[] = [];
  for (const ip of ips.filter(isIpv4)) {
    for (const port of ports) {
      const verdict = evaluateOutbound(nsg, { source, destination: ip, port, protocol: 'Tcp' }, space);
      if (verdict.access === 'Allow') continue;
      out.push({
        id: 'nsg-blocks-service',
        severity: 'error',
        resource: `network security group ${nsg.name}`,
        message: `NSG '${nsg.name}' on subnet '${w.subnetName}' denies TCP ${port} from the web app to ${ip} (Service ${w.service.namespace}/${w.service.name}): rule '${verdict.rule.name}' (priority ${verdict.rule.priority}) matches first.`,
        fix: `Add an outbound Allow rule for TCP ${port} to ${ip} with a priority lower than ${verdict.rule.priority}, or change rule '${verdict.rule.name}'.`,
      });
    }
  }
  return out;
}
