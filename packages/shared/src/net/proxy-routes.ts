// Applies the proxy decision (./proxy.ts) to the clients: an agent per request for the Azure SDKs
// and @azure/identity, a proxy-url for client-node. One instance per process, installed by the
// engine from the host, so every client follows the same configuration and the log says once per
// endpoint which way its requests go.
import type { Agent, ClientRequest } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ConnectResponse } from 'https-proxy-agent/dist/parse-proxy-response';
import { decideProxy, displayProxyUrl, hasProxy, proxyFromEnvironment, type ConfiguredProxy, type ProxyConfiguration, type ProxyDecision } from './proxy';

export class ProxyRoutes {
  private readonly agents = new Map<string, Agent>();
  private readonly noted = new Set<string>();

  constructor(
    readonly configuration: ProxyConfiguration,
    /** Where the one line per endpoint goes (the host's info log). */
    private readonly log: (message: string) => void,
    /** Where a proxy's refusal is reported (the host's warnings). */
    private readonly warn: (message: string) => void = log,
  ) {}

  /**
   * The agent for a request to `url`: one that tunnels through the proxy with HTTP CONNECT, or
   * undefined to connect directly. https-proxy-agent is what core-rest-pipeline's own proxyPolicy
   * uses; it sends `Proxy-Authorization: Basic` from the proxy URL's credentials, and a request to
   * an http: URL goes through the same tunnel (as client-node's hpagent does).
   */
  agentFor(url: string): Agent | undefined {
    const target = new URL(url);
    const decision = decideProxy(target, this.configuration);
    this.note(target.origin, decision);
    if (decision.via === 'direct') return undefined;
    return this.tunnelThrough(decision.proxy);
  }

  /**
   * The proxy a Kubernetes API server is reached through (its kubeconfig `proxy-url` first), or
   * undefined for a direct connection.
   */
  clusterProxy(server: string, kubeconfigProxy: ConfiguredProxy | undefined): ConfiguredProxy | undefined {
    const decision = decideProxy(new URL(server), this.configuration, kubeconfigProxy);
    this.note(`the Kubernetes API server ${new URL(server).origin}`, decision, !!kubeconfigProxy);
    return decision.via === 'proxy' ? decision.proxy : undefined;
  }

  private tunnelThrough(proxy: ConfiguredProxy): Agent {
    const key = proxy.url.href;
    let agent = this.agents.get(key);
    if (!agent) {
      const tunnel = new HttpsProxyAgent(proxy.url, { keepAlive: true });
      tunnel.on('proxyConnect', (response: ConnectResponse, request: ClientRequest) => this.noteRefusal(proxy, response, request));
      this.agents.set(key, (agent = tunnel));
    }
    return agent;
  }

  /**
   * A proxy that refuses a tunnel answers the request itself (https-proxy-agent hands its response
   * to the client as the response), and the SDKs turn that into messages that do not say so (MSAL:
   * `endpoints_resolution_error`). So the refusal is reported as it happens, once per kind.
   */
  private noteRefusal(proxy: ConfiguredProxy, response: ConnectResponse, request: ClientRequest): void {
    if (response.statusCode === 200 || this.noted.has(`refused ${response.statusCode}`)) return;
    this.noted.add(`refused ${response.statusCode}`);
    const fix =
      response.statusCode === 407
        ? 'Check the proxy user name and password.'
        : 'Ask for the destination to be allowed through the proxy, or list it in NO_PROXY (or the agent\'s proxy bypass list) if it is reachable directly.';
    this.warn(`Proxy: ${displayProxyUrl(proxy.url)} (${proxy.origin}) refused the tunnel to ${String(request.getHeader('host') ?? request.host)}: ${response.statusCode} ${response.statusText}. ${fix}`);
  }

  /** One line per endpoint, and only when a proxy is configured at all (the proxy without credentials). */
  private note(endpoint: string, decision: ProxyDecision, configured = false): void {
    if (this.noted.has(endpoint) || !(configured || hasProxy(this.configuration))) return;
    this.noted.add(endpoint);
    this.log(
      decision.via === 'proxy'
        ? `Proxy: requests to ${endpoint} go through ${displayProxyUrl(decision.proxy.url)} (${decision.proxy.origin}).`
        : `Proxy: requests to ${endpoint} go directly (${decision.reason}).`,
    );
  }
}

let installed: ProxyRoutes | undefined;

/** Makes `routes` the process's proxy routes (the engine does so from the host before a step runs). */
export function installProxyRoutes(routes: ProxyRoutes): void {
  installed = routes;
}

/**
 * The process's proxy routes. Outside the engine (code that builds clients on its own) they come
 * from the environment variables, silently.
 */
export function proxyRoutes(): ProxyRoutes {
  return (installed ??= new ProxyRoutes(proxyFromEnvironment(process.env), () => undefined));
}
