// The one proxy decision every client follows (ARM and Entra ID through core-rest-pipeline, the
// Kubernetes API through client-node): given where the runner says requests should go, does a
// request to this URL connect directly, or through which proxy? Pure: the host supplies the
// configuration (environment variables, or the Azure Pipelines agent's proxy), the callers apply it.
//
// Environment variables (GitHub, and Azure Pipelines agents without a proxy of their own):
// - `https_proxy`/`HTTPS_PROXY` for https: URLs, `http_proxy`/`HTTP_PROXY` for http: URLs; neither
//   stands in for the other (Go's net/http, golang.org/x/net/http/httpproxy). `ALL_PROXY` is not
//   read. When both spellings are set the lower-case one wins, as in @actions/http-client
//   (lib/proxy.js getProxyUrl), which the GitHub toolkit uses in this same process for OIDC tokens.
// - A value may be a URL (`http://` or `https://`, optionally `user:password@`) or `host[:port]`,
//   which means `http://host[:port]` (httpproxy parseProxy; @actions/http-client).
// - `no_proxy`/`NO_PROXY`: comma-separated, case-insensitive entries, as golang.org/x/net/http/httpproxy
//   (Config.NoProxy) defines them: `*` (nothing is proxied); a domain name, which matches itself and
//   every subdomain (`example.com` matches `a.example.com`); a name with a leading `.` or `*.`,
//   which matches subdomains only; an IP address or a CIDR range (IPv4 or IPv6), matched against
//   URLs that are IP literals (names are not resolved); and any host or IP with `:port`, which
//   matches that port only (the URL's port, or 443/80 by scheme).
// - Loopback targets (`localhost`, 127.0.0.0/8, ::1) are always direct: httpproxy's useProxy,
//   @actions/http-client's checkBypass and the agent's AgentWebProxy.IsBypassed (Uri.IsLoopback)
//   all do so, and a proxy could not reach the runner's own loopback anyway. So are Azure's host
//   addresses 169.254.169.254 (IMDS, managed identity) and 168.63.129.16: "Ask HTTP clients to
//   bypass web proxies within the VM when querying IMDS, and treat 169.254.169.254 the same as
//   168.63.129.16" (https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service).
//
// Azure Pipelines agent proxy (`./config.sh --proxyurl`, `.proxybypass`): the agent hands tasks the
// variables Agent.ProxyUrl, Agent.ProxyUsername, Agent.ProxyPassword (secret) and
// Agent.ProxyBypassList (a JSON list) (microsoft/azure-pipelines-agent
// src/Agent.Worker/ExecutionContext.cs). The proxy applies to http: and https: URLs; a URL goes
// direct when it is loopback or when a bypass entry, a regular expression (ECMAScript, ignoring
// case, unanchored), matches `scheme://host` with `:port` only when the port is not the scheme's
// default (src/Agent.Sdk/AgentWebProxy.cs IsBypassed / IsMatchInBypassList). The agent ignores
// entries that are not valid expressions; so do we. azure-pipelines-task-lib's
// getHttpProxyConfiguration(requestUrl) tests the same expressions against the whole request URL;
// the agent's form is the one its own requests follow, and the one we follow.
//
// Kubeconfig `proxy-url` (per cluster): "the URL to the proxy to be used for all requests made by
// this client"; only without it are the environment variables consulted
// (kubernetes/client-go tools/clientcmd/api/types.go, Cluster.ProxyURL). So it wins, even for
// loopback and NO_PROXY targets.
import { BlockList, isIP } from 'node:net';
import { UserError } from '../errors';

/** A proxy and where it was configured (for the log: `HTTPS_PROXY`, `the agent's proxy (Agent.ProxyUrl)`). */
export interface ConfiguredProxy {
  /** The proxy URL, credentials included (mask them; print it with displayProxyUrl). */
  url: URL;
  origin: string;
}

/** A target that goes direct although a proxy is set. */
export interface BypassRule {
  /** For the log, e.g. `NO_PROXY entry '.corp.example'`. */
  description: string;
  matches(target: URL): boolean;
}

/** Where the runner says requests should go. */
export interface ProxyConfiguration {
  /** The proxy for https: URLs. */
  https?: ConfiguredProxy;
  /** The proxy for http: URLs. */
  http?: ConfiguredProxy;
  /** Targets that go direct although a proxy is set (loopback is always direct besides these). */
  bypass: BypassRule[];
}

export type ProxyDecision = { via: 'direct'; reason: string } | { via: 'proxy'; proxy: ConfiguredProxy };

/** No proxy at all: every request is direct. */
export const NO_PROXY_CONFIGURED: ProxyConfiguration = { bypass: [] };

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** The URL's host without IPv6 brackets, lower-cased. */
function hostOf(target: URL): string {
  return target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** The URL's port, or the scheme's default. */
function portOf(target: URL): string {
  return target.port || (target.protocol === 'http:' ? '80' : '443');
}

/** Azure's addresses on every VM that must not be proxied (see the top of this file). */
const AZURE_HOST_ADDRESSES = new Set(['169.254.169.254', '168.63.129.16']);

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether a request to `target` goes direct or through which proxy. A kubeconfig cluster's
 * `proxy-url` (given as `clusterProxy`) takes precedence over everything else.
 */
export function decideProxy(target: URL, config: ProxyConfiguration, clusterProxy?: ConfiguredProxy): ProxyDecision {
  if (clusterProxy) return { via: 'proxy', proxy: clusterProxy };
  const proxy = target.protocol === 'https:' ? config.https : target.protocol === 'http:' ? config.http : undefined;
  if (!proxy) return { via: 'direct', reason: config.https || config.http ? `no proxy is set for ${target.protocol.slice(0, -1)} URLs` : 'no proxy is configured' };
  if (isLoopback(hostOf(target))) return { via: 'direct', reason: 'a loopback address is never proxied' };
  if (AZURE_HOST_ADDRESSES.has(hostOf(target))) return { via: 'direct', reason: "Azure's instance metadata address is never proxied" };
  const rule = config.bypass.find((r) => r.matches(target));
  if (rule) return { via: 'direct', reason: rule.description };
  return { via: 'proxy', proxy };
}

/** `scheme://host:port` of a proxy, without credentials or path: what the log may show. */
export function displayProxyUrl(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** The values to mask for a proxy URL: its password, as written and decoded. */
export function proxyUrlSecrets(url: URL): string[] {
  if (!url.password) return [];
  return [...new Set([url.password, safeDecode(url.password)])];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A proxy setting's text with anything that may be credentials (`…@`) hidden, for messages. */
function withoutUserinfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

/**
 * Parses a proxy setting as httpproxy's parseProxy does: a URL with an http or https scheme, or
 * `host[:port]` meaning http. Other schemes (socks5) are refused: requests are tunnelled with
 * HTTP CONNECT. `what` names the setting in the message.
 */
export function parseProxyUrl(text: string, what: string): URL {
  const value = text.trim();
  // `proxy.corp:3128`, `10.0.0.1:3128`: no scheme, so http.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  const shown = withoutUserinfo(value);
  if (!url || !url.hostname) throw new UserError(`${what} is '${shown}', which is not a proxy URL.`, 'Set it to http://host:port (or http://user:password@host:port).');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${what} is '${shown}': only http:// and https:// proxies are supported (requests are tunnelled with HTTP CONNECT).`, 'Use an HTTP proxy, or give the cluster a proxy-url in its kubeconfig.');
  }
  return url;
}

/** One NO_PROXY entry as a rule, or undefined when it is malformed (httpproxy ignores those too). */
function noProxyRule(entry: string, origin: string): BypassRule | undefined {
  const description = `${origin} entry '${entry}'`;
  if (entry === '*') return { description, matches: () => true };
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
  if (cidr) {
    const family = isIP(cidr[1]!);
    const prefix = Number(cidr[2]);
    if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
    const range = new BlockList();
    range.addSubnet(cidr[1]!, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return { description, matches: (t) => ipMatches(t, (host, f) => range.check(host, f)) };
  }
  const { host, port } = splitHostPort(entry);
  if (!host) return undefined;
  const portMatches = (t: URL) => port === undefined || portOf(t) === port;
  const family = isIP(host);
  if (family !== 0) {
    const one = new BlockList();
    one.addAddress(host, family === 4 ? 'ipv4' : 'ipv6');
    return { description, matches: (t) => portMatches(t) && ipMatches(t, (h, f) => one.check(h, f)) };
  }
  // `*.example.com` is `.example.com` (httpproxy); a leading dot matches subdomains only.
  const name = host.startsWith('*.') ? host.slice(1) : host;
  const suffix = name.startsWith('.') ? name : `.${name}`;
  const alsoItself = !name.startsWith('.');
  return { description, matches: (t) => portMatches(t) && (hostOf(t).endsWith(suffix) || (alsoItself && hostOf(t) === name)) };
}

function ipMatches(target: URL, check: (host: string, family: 'ipv4' | 'ipv6') => boolean): boolean {
  const host = hostOf(target);
  const family = isIP(host);
  return family !== 0 && check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address. */
function splitHostPort(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] };
  const hostPort = /^([^:]*):(\d+)$/.exec(entry);
  if (hostPort) return { host: hostPort[1]!, port: hostPort[2] };
  return { host: entry };
}

/** NO_PROXY's entries as rules (malformed entries are skipped, as httpproxy skips them). */
export function parseNoProxy(value: string, origin: string): BypassRule[] {
  return value
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e)
    .flatMap((e) => noProxyRule(e, origin) ?? []);
}

/** The first set variable of the spellings given (lower case first), with its name. */
function firstSet(env: NodeJS.ProcessEnv, names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** The proxy configuration the environment variables describe (see the top of this file). */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv): ProxyConfiguration {
  const proxyFor = (names: string[]): ConfiguredProxy | undefined => {
    const set = firstSet(env, names);
    return set && { url: parseProxyUrl(set.value, set.name), origin: set.name };
  };
  const noProxy = firstSet(env, ['no_proxy', 'NO_PROXY']);
  return {
    https: proxyFor(['https_proxy', 'HTTPS_PROXY']),
    http: proxyFor(['http_proxy', 'HTTP_PROXY']),
    bypass: noProxy ? parseNoProxy(noProxy.value, noProxy.name) : [],
  };
}

/** What the Azure Pipelines agent tells a task about its proxy. */
export interface AgentProxySettings {
  /** Agent.ProxyUrl */
  url: string;
  /** Agent.ProxyUsername */
  username?: string;
  /** Agent.ProxyPassword */
  password?: string;
  /** Agent.ProxyBypassList: regular expressions. */
  bypassList: string[];
}

/** The proxy configuration of an Azure Pipelines agent's proxy (see the top of this file). */
export function proxyFromAgent(settings: AgentProxySettings): ProxyConfiguration {
  const url = parseProxyUrl(settings.url, 'The agent proxy (Agent.ProxyUrl)');
  if (settings.username) {
    url.username = encodeURIComponent(settings.username);
    url.password = encodeURIComponent(settings.password ?? '');
  }
  const proxy: ConfiguredProxy = { url, origin: "the agent's proxy (Agent.ProxyUrl)" };
  const bypass = settings.bypassList.flatMap((pattern): BypassRule[] => {
    if (!pattern.trim()) return [];
    let expression: RegExp;
    try {
      expression = new RegExp(pattern.trim(), 'i');
    } catch {
      return [];
    }
    // Node's URL leaves the port out when it is the scheme's default, as .NET's Uri.IsDefaultPort does.
    return [{ description: `the agent's proxy bypass entry '${pattern.trim()}'`, matches: (t) => expression.test(`${t.protocol}//${t.host}`) }];
  });
  return { https: proxy, http: proxy, bypass };
}

/** A kubeconfig cluster's `proxy-url` as a configured proxy (any scheme client-node supports). */
export function clusterProxy(proxyUrl: string, clusterName: string): ConfiguredProxy {
  let url: URL;
  try {
    url = new URL(proxyUrl.trim());
  } catch {
    throw new UserError(`The kubeconfig's cluster '${clusterName}' has proxy-url '${withoutUserinfo(proxyUrl.trim())}', which is not a URL.`, 'Set proxy-url to http://host:port, https://host:port or socks5://host:port.');
  }
  return { url, origin: `the kubeconfig's proxy-url (cluster '${clusterName}')` };
}

/** The values to mask in a configuration: the proxies' passwords. */
export function configurationSecrets(config: ProxyConfiguration): string[] {
  return [...new Set([config.https, config.http].flatMap((p) => (p ? proxyUrlSecrets(p.url) : [])))];
}

/** Whether the configuration sends anything through a proxy at all. */
export function hasProxy(config: ProxyConfiguration): boolean {
  return !!(config.https || config.http);
}
