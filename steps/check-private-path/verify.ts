// `mode: verify`: proof from the web app's side. Through the app's SCM (Kudu) command API it runs
// nameresolver for service.namespace.zone and tcpping to the first address and `port`, from inside
// the app's sandbox (Windows apps; https://learn.microsoft.com/troubleshoot/azure/app-service/troubleshoot-vnet-integration-apps,
// "Troubleshoot outbound connectivity on Windows Apps": `nameresolver.exe hostname [optional:DNS Server]`,
// `tcpping.exe hostname [optional: port]`). The command lines are the App Service diagnostics
// portal's (diag-provider.ts: `nameresolver <host> <dns>`, `tcpping -n <count> -w <timeout> <host>:<port>`).
//
// Read-only for Azure and the cluster: two commands that only resolve a
// name and open (then close) one TCP connection; nothing is written. Every value put into a
// command line is checked first (DNS names from validated inputs, IPv4 literals, an integer port):
// nothing from Kudu's output becomes part of a command except an address the parser accepted as IPv4.
import { isAppServiceScmHost, runKuduCommand } from '@private-wire/shared/azure/kudu';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import type { StepContext } from '@private-wire/shared/engine/step';
import { errorMessage } from '@private-wire/shared/errors';
import { isIpv4 } from '@private-wire/shared/net/ipv4';
import type { Finding } from './findings';
import { dnsHop, tcpHop, tcpNotTried, verifyBlockers, type CommandOutcome, type DnsChoice, type ScmSite } from './verify-findings';
import type { World } from './world';

type Json = Record<string, unknown>;

/**
 * The site's SCM host and OS. `hostNameSslStates[].hostType` is `Standard` or `Repository` (the SCM
 * site) (azure-rest-api-specs Microsoft.Web CommonDefinitions.json HostNameSslState; the
 * diagnostics portal takes the SCM host the same way). `reserved: true` is a Linux app (Site
 * properties: "true if reserved; otherwise, false", set for Linux plans).
 */
export function scmSiteOf(label: string, site: Json): ScmSite {
  const p = (site.properties ?? {}) as Json;
  const states = Array.isArray(p.hostNameSslStates) ? (p.hostNameSslStates as Json[]) : [];
  const scm = states.find((h) => String(h.hostType ?? '').toLowerCase() === 'repository' && typeof h.name === 'string');
  const linux = p.reserved === true || /linux/i.test(String(site.kind ?? ''));
  return { label, scmHost: scm ? String(scm.name) : undefined, linux };
}

/**
 * The DNS server the app resolves with, as the step can read it without reading app settings
 * (their values are secrets): the site's own `dnsConfiguration.dnsServers` first, else the VNet's
 * custom DNS servers, else none (nameresolver then uses the app's own configuration).
 * overview-name-resolution: "The individual app allows you to override the DNS configuration by
 * specifying the dnsServers property"; "If you integrate your app with a virtual network, your app
 * uses the DNS configuration of the virtual network".
 */
export function dnsChoice(w: World): DnsChoice {
  const site = w.webapp.dnsServers.find(isIpv4);
  if (site) return { server: site, source: "the site's dnsConfiguration.dnsServers" };
  const vnet = w.vnet.dnsServers.find(isIpv4);
  if (vnet) return { server: vnet, source: `the custom DNS servers of virtual network '${w.vnet.name}'` };
  return { source: "no DNS server in the site's dnsConfiguration or the VNet: WEBSITE_DNS_SERVER or Azure DNS" };
}

async function command(session: AzureSession, scmHost: string, line: string): Promise<CommandOutcome> {
  try {
    return await runKuduCommand(session, scmHost, line);
  } catch (error) {
    if (session.deadline.signal.aborted) throw error;
    return { ok: false, status: 0, error: errorMessage(error) };
  }
}

/**
 * The port to connect to: `port`, else the Service's only TCP port as the preflight read it (the
 * composite has no single `port`; a Service with several ports needs `port` to say which).
 */
export function verifyPort(w: World): number | undefined {
  if (w.service?.port !== undefined) return w.service.port;
  const tcp = w.kube?.read ? (w.kube.service?.ports ?? []).filter((p) => p.protocol.toUpperCase() === 'TCP') : [];
  return tcp.length === 1 ? tcp[0]!.port : undefined;
}

export async function verifyFromApp(session: AzureSession, w: World, ctx: StepContext): Promise<Finding[]> {
  const scm = w.webapp.scm;
  const label = w.webapp.label;
  const fqdn = w.service && w.zone ? `${w.service.name}.${w.service.namespace}.${w.zone.replace(/\.$/, '')}` : undefined;
  const port = verifyPort(w);
  const blockers = verifyBlockers(scm, { fqdn, port }, !!scm.scmHost && isAppServiceScmHost(scm.scmHost));
  if (blockers.length > 0) return blockers;
  const dns = dnsChoice(w);
  ctx.host.info(`Verify: resolving ${fqdn} from inside web app ${label} through its SCM site ${scm.scmHost}.`);
  const resolved = dnsHop(scm, fqdn!, dns, await command(session, scm.scmHost!, `nameresolver ${fqdn}${dns.server ? ` ${dns.server}` : ''}`));
  const ip = resolved.addresses.find(isIpv4);
  if (!ip) return [resolved.finding, tcpNotTried(scm, fqdn!, port!)];
  ctx.host.info(`Verify: connecting to ${ip}:${port} from inside web app ${label}.`);
  return [resolved.finding, tcpHop(scm, ip, port!, await command(session, scm.scmHost!, `tcpping -n 1 -w 10 ${ip}:${port}`))];
}
