// Checks the DNS server inputs before anything is read or written: App Service takes plain IPv4
// addresses only, and silently ignores what it cannot use.
import { UserError } from '@private-wire/shared/errors';
import { addressKind, isIpv4 } from '@private-wire/shared/net/ipv4';

/**
 * How many DNS servers an app takes, in either mechanism. `dnsConfiguration.dnsServers`: "Maximum 5
 * dns servers can be set" (azure-rest-api-specs Microsoft.Web SiteDnsConfig.dnsServers). The
 * WEBSITE_DNS_SERVER app setting takes several servers too, "separate[d] by commas with no blank
 * spaces", and App Service resolves with "up to five custom DNS servers" ("Name resolution (DNS) in
 * App Service", https://learn.microsoft.com/azure/app-service/overview-name-resolution,
 * MicrosoftDocs/azure-docs articles/app-service/overview-name-resolution.md).
 */
export const MAX_DNS_SERVERS = 5;

/** Why one value is not a usable DNS server address, or undefined when it is one. */
export function dnsAddressProblem(value: string): { why: string; fix: string } | undefined {
  if (value.includes('/')) {
    const address = value.split('/')[0]!;
    return { why: 'a CIDR range, not an address', fix: isIpv4(address) ? `Give the address only: ${address}.` : 'Give one IPv4 address, e.g. 10.0.0.10.' };
  }
  if (value.includes(':')) return { why: 'not an IPv4 address (App Service DNS settings take IPv4 only)', fix: 'Give an IPv4 address, e.g. 10.0.0.10.' };
  if (isIpv4(value)) {
    // A DNS server the app can query is a unicast address outside these special ranges; public
    // resolvers and Azure DNS (168.63.129.16) are fine.
    const kind = addressKind(value);
    if (kind === 'loopback') return { why: 'a loopback address: inside the app it is the app itself, not a DNS server', fix: 'Give the DNS server\'s own IPv4 address, e.g. the CoreDNS internal load balancer IP.' };
    if (kind !== 'private' && kind !== 'public') return { why: `a ${kind} address, which cannot be a DNS server`, fix: 'Give the DNS server\'s own IPv4 address, e.g. the CoreDNS internal load balancer IP.' };
    return undefined;
  }
  if (/^[\d.]+$/.test(value)) return { why: 'not a valid IPv4 address', fix: 'Use four numbers from 0 to 255 without leading zeros, e.g. 10.0.0.10.' };
  return {
    why: 'a host name, not an IP address',
    fix: 'App Service needs the DNS server\'s IP address (it would need DNS to resolve a name): give the IPv4 address, e.g. the CoreDNS internal load balancer IP.',
  };
}

/**
 * Validates `dns-server` (1 to 5 IPv4 addresses, no duplicates, in either mode) and
 * `alt-dns-server`, returning every problem so the user can fix them in one go.
 */
export function dnsServerProblems(servers: string[], alt: string | undefined, names: { dnsServer: string; altDnsServer: string }): UserError[] {
  const problems: UserError[] = [];
  for (const value of servers) {
    const p = dnsAddressProblem(value);
    if (p) problems.push(new UserError(`Input '${names.dnsServer}' has '${value}', which is ${p.why}.`, p.fix));
  }
  const seen = new Set<string>();
  for (const value of servers) {
    if (seen.has(value)) problems.push(new UserError(`Input '${names.dnsServer}' lists '${value}' more than once.`, 'Give each DNS server once.'));
    seen.add(value);
  }
  if (servers.length > MAX_DNS_SERVERS) {
    problems.push(
      new UserError(
        `Input '${names.dnsServer}' has ${servers.length} addresses (${servers.join(', ')}), more than the ${MAX_DNS_SERVERS} App Service accepts.`,
        `Give at most ${MAX_DNS_SERVERS}, in order of preference ('${names.altDnsServer}' can add one more, as the last fallback).`,
      ),
    );
  }
  if (alt !== undefined) {
    if (alt.includes(',')) {
      problems.push(new UserError(`Input '${names.altDnsServer}' is '${alt}', which is more than one address.`, 'Give one IPv4 address.'));
    } else {
      const p = dnsAddressProblem(alt);
      if (p) problems.push(new UserError(`Input '${names.altDnsServer}' is '${alt}', which is ${p.why}.`, p.fix));
      else if (servers.includes(alt)) {
        problems.push(new UserError(`Input '${names.altDnsServer}' is '${alt}', which is also in '${names.dnsServer}'.`, 'The alternate server must be a different address, or leave it empty.'));
      }
    }
  }
  return problems;
}
