// `mode: verify`: what each hop run from inside the web app's sandbox proved, as findings. Pure:
// verify.ts runs the commands and hands the answers here. A hop is `info` only when a command ran
// and its output, read as the cited source reads it (kudu-output.ts), says so; `error` when it
// says the hop failed; `warning` when nothing could be proven (the finding says why). Kudu output
// is untrusted: it only ever appears inside a message, shortened and stripped of control
// characters, and is printed through the host like every message.
import type { KuduAnswer } from '@private-wire/shared/azure/kudu';
import type { Finding } from './findings';
import { nameResolverAddresses, tcpPingAttempts } from './kudu-output';

/** What the SCM host said to one command: an answer, or no answer at all (the network error's text). */
export type CommandOutcome = KuduAnswer | { ok: false; status: 0; error: string };

export interface ScmSite {
  /** The web app as the messages name it. */
  label: string;
  /** The Repository host name (the SCM site), when the site lists one. */
  scmHost?: string;
  linux: boolean;
}

/** Where the name is resolved: the DNS server passed to nameresolver and where that choice came from. */
export interface DnsChoice {
  server?: string;
  source: string;
}

const RAW_LIMIT = 300;

/** Kudu output as a message may quote it: control characters out, one line, at most RAW_LIMIT characters. */
export function quoteRaw(text: string): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return one.length > RAW_LIMIT ? `${one.slice(0, RAW_LIMIT)}…` : one || '(empty)';
}

const resourceOf = (site: ScmSite) => `web app ${site.label}${site.scmHost ? ` (SCM ${site.scmHost})` : ''}`;

function notProven(site: ScmSite, id: string, message: string, fix: string): Finding {
  return { id, severity: 'warning', resource: resourceOf(site), message: `Verify could not prove the path: ${message}`, fix };
}

/** What stops verify before any command: missing inputs, a Linux app, no usable SCM host. */
export function verifyBlockers(site: ScmSite, target: { fqdn?: string; port?: number }, scmHostAllowed: boolean): Finding[] {
  if (!target.fqdn || target.port === undefined) {
    return [
      notProven(
        site,
        'verify-inputs-missing',
        "'service' and 'zone' are needed to name the Service (service.namespace.zone), and 'port' unless the Service has exactly one TCP port; no hop was tried.",
        "Give 'service', 'namespace', 'zone', and 'port' when the Service has several ports.",
      ),
    ];
  }
  if (site.linux) {
    return [
      notProven(
        site,
        'verify-linux-not-provable',
        "the app runs on Linux: nameresolver does not work in Linux apps, and no Microsoft source says the SCM (Kudu) container shares the app's VNet integration, so a resolution or connect from it would prove nothing about the app's own path; no hop was tried.",
        "Prove the path from the app itself (SSH into the app container and run nslookup/curl, https://learn.microsoft.com/troubleshoot/azure/app-service/troubleshoot-vnet-integration-apps), or use the portal's Network troubleshooter.",
      ),
    ];
  }
  if (!site.scmHost || !scmHostAllowed) {
    const what = site.scmHost ? `its SCM host name '${site.scmHost}' is not an App Service domain, so no token is sent to it` : 'the site lists no SCM (Repository) host name';
    return [notProven(site, 'verify-scm-host-unknown', `${what}; no hop was tried.`, 'Check the app has its SCM site (hostNameSslStates with hostType Repository).')];
  }
  return [];
}

/** A command the SCM host did not run: not reachable, or it refused the sign-in. */
function scmFailure(site: ScmSite, hop: string, outcome: Exclude<CommandOutcome, { ok: true }>): Finding {
  if (outcome.status === 0) {
    return notProven(site, 'verify-scm-unreachable', `the SCM host did not answer the ${hop} command (${quoteRaw('error' in outcome ? outcome.error : '')}).`, 'Check the runner can reach the SCM site over HTTPS (access restrictions on the SCM site, a private endpoint, a proxy).');
  }
  if (outcome.status === 401 || outcome.status === 403) {
    return notProven(
      site,
      'verify-scm-refused',
      `the SCM host refused the ${hop} command with HTTP ${outcome.status}: it did not accept the step's Microsoft Entra token (basic auth with publishing credentials is never tried).`,
      "Give the signed-in identity a role on the web app that allows its SCM site (e.g. Website Contributor), and check the SCM site's access restrictions.",
    );
  }
  return notProven(site, 'verify-scm-failed', `the SCM command API answered the ${hop} command with HTTP ${outcome.status}.`, 'Check the SCM site is running (Advanced Tools) and try again.');
}

/** The DNS hop; returns the finding and the addresses the name resolved to (empty unless proven). */
export function dnsHop(site: ScmSite, fqdn: string, dns: DnsChoice, outcome: CommandOutcome): { finding: Finding; addresses: string[] } {
  if (!outcome.ok) return { finding: scmFailure(site, 'nameresolver', outcome), addresses: [] };
  const out = `${outcome.result.Output}\n${outcome.result.Error}`;
  const via = dns.server ? `DNS server ${dns.server} (${dns.source})` : `the app's own DNS servers (${dns.source})`;
  const addresses = nameResolverAddresses(outcome.result.Output);
  if (addresses && addresses.length > 0) {
    const finding: Finding = { id: 'verify-dns-resolved', severity: 'info', resource: resourceOf(site), message: `From inside the app's sandbox, nameresolver resolved ${fqdn} through ${via} to ${addresses.join(', ')}.`, fix: 'Nothing to fix.' };
    return { finding, addresses };
  }
  if (addresses) {
    return { finding: { id: 'verify-dns-failed', severity: 'error', resource: resourceOf(site), message: `From inside the app's sandbox, nameresolver got no IPv4 address for ${fqdn} through ${via}. Output (raw): ${quoteRaw(out)}`, fix: `Check that ${dns.server ?? 'the app\'s DNS server'} is reachable from the integration subnet (NSG 53/UDP+TCP) and serves ${fqdn} (coredns-custom k8s_external zone, the Service's internal load balancer).` }, addresses: [] };
  }
  return {
    finding: {
      id: 'verify-dns-failed',
      severity: 'error',
      resource: resourceOf(site),
      message: `From inside the app's sandbox, nameresolver did not resolve ${fqdn} through ${via}: its output has no 'Addresses:' block (exit code ${outcome.result.ExitCode}; the tool's output format is not documented). Output (raw): ${quoteRaw(out)}`,
      fix: `Check that ${dns.server ?? 'the app\'s DNS server'} is reachable from the integration subnet (NSG 53/UDP+TCP) and serves ${fqdn}.`,
    },
    addresses: [],
  };
}

/** The TCP hop to the first resolved address. */
export function tcpHop(site: ScmSite, ip: string, port: number, outcome: CommandOutcome): Finding {
  if (!outcome.ok) return scmFailure(site, 'tcpping', outcome);
  const attempts = tcpPingAttempts(outcome.result.Output);
  const resource = resourceOf(site);
  if (!attempts) {
    return notProven(site, 'verify-tcp-output-unknown', `tcpping to ${ip}:${port} printed output the step cannot read (the tool's output format is not documented; exit code ${outcome.result.ExitCode}). Output (raw): ${quoteRaw(`${outcome.result.Output}\n${outcome.result.Error}`)}`, 'Run tcpping in the Kudu console and read it yourself.');
  }
  const connected = attempts.find((a) => a.attempt === 'connected');
  if (connected) return { id: 'verify-tcp-connected', severity: 'info', resource, message: `From inside the app's sandbox, tcpping connected to ${ip}:${port}: ${quoteRaw(connected.line)}`, fix: 'Nothing to fix.' };
  const first = attempts[0]!;
  return {
    id: 'verify-tcp-failed',
    severity: 'error',
    resource,
    message: `From inside the app's sandbox, tcpping could not connect to ${ip}:${port} (${first.attempt}): ${quoteRaw(first.line)}`,
    fix: first.attempt === 'refused' ? `Nothing listens on ${ip}:${port}: check the Service's port and that its pods are ready.` : `Check the app is integrated into the cluster's VNet, and that the integration subnet's NSG and route table let TCP ${port} to ${ip} through.`,
  };
}

/** No address came back, so the TCP hop was not tried. */
export function tcpNotTried(site: ScmSite, fqdn: string, port: number): Finding {
  return notProven(site, 'verify-tcp-not-tried', `no address for ${fqdn}, so no TCP connect to port ${port} was tried.`, 'Fix name resolution first (see the DNS finding).');
}
