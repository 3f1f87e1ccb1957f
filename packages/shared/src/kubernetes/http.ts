// How every Kubernetes API request is sent: bounded in time, and retried when the API server says
// it did not do the work (429) or failed in a way a repeat cannot make worse.
import {
  ResponseContext,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
  type KubeConfig,
  type PromiseHttpLibrary,
  type RequestContext,
} from '@kubernetes/client-node';
// client-node's own fetch library (what makeApiClient uses), not re-exported from its index.
import { IsomorphicFetchHttpLibrary } from '@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js';
import { sleep, type StepDeadline } from '../engine/deadline';
import { UserError, errorMessage } from '../errors';
import { clusterProxy, displayProxyUrl, proxyUrlSecrets } from '../net/proxy';
import { proxyRoutes } from '../net/proxy-routes';

/** Attempts per request, the first included. */
const KUBE_ATTEMPTS = 5;
/** The longest Retry-After we honour; a server asking for more is treated as asking for this. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * Whether a failed attempt may be sent again. 429: the API server's max-in-flight and priority and
 * fairness filters reject before any work is done and ask the client to retry after Retry-After
 * (https://kubernetes.io/docs/concepts/cluster-administration/flow-control/). 5xx: only for reads,
 * and for PUT/PATCH, which every step sends either guarded by a resourceVersion (a repeat after a
 * lost success meets 409 and re-reads) or as the same server-side apply / patch body (a repeat
 * changes nothing). A POST (create) is never repeated after a 5xx: it may have been done.
 */
export function retryable(method: string, status: number): boolean {
  if (status === 429) return true;
  if (![500, 502, 503, 504].includes(status)) return false;
  return ['GET', 'HEAD', 'PUT', 'PATCH'].includes(method.toUpperCase());
}

/** Milliseconds to wait before the next attempt: Retry-After when the server gives one, else backing off. */
export function retryDelayMs(attempt: number, retryAfter: string | undefined): number {
  const seconds = Number(retryAfter);
  if (retryAfter !== undefined && Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  return Math.min(250 * 2 ** (attempt - 1), 4000);
}

/**
 * A proxy's refusal of the tunnel as a message that says so. client-node tunnels with hpagent,
 * which fails the request with `Bad response: <status>` when the proxy does not answer the
 * CONNECT with 200 (hpagent index.js), which node-fetch wraps as `request to … failed, reason: …`.
 */
export function proxyRefusal(error: unknown, server: string, proxy: string): UserError | undefined {
  const status = /\bBad response: (\d{3})\b/.exec(errorMessage(error))?.[1];
  if (!status) return undefined;
  return new UserError(
    `The proxy ${proxy} refused the tunnel to the Kubernetes API server ${server} (${status}${status === '407' ? ' Proxy Authentication Required' : ''}).`,
    status === '407'
      ? 'Check the proxy user name and password.'
      : "Ask for the API server to be allowed through the proxy, or list it in NO_PROXY (or the agent's proxy bypass list) if it is reachable directly.",
  );
}

/** client-node's fetch, with a timeout per attempt, the step's deadline and retries. */
class BoundedHttp implements PromiseHttpLibrary {
  private readonly inner = new IsomorphicFetchHttpLibrary();

  constructor(
    private readonly deadline: StepDeadline,
    /** The cluster's server and the proxy its requests tunnel through (display form), for messages. */
    private readonly route: { server: string; proxy?: string },
  ) {}

  async send(request: RequestContext): Promise<ResponseContext> {
    const method = request.getHttpMethod().toString();
    for (let attempt = 1; ; attempt++) {
      const response = await this.attempt(request);
      if (attempt >= KUBE_ATTEMPTS || !retryable(method, response.httpStatusCode)) return response;
      const wait = retryDelayMs(attempt, response.headers['retry-after']);
      if (wait >= this.deadline.remainingMs()) return response;
      await sleep(wait, this.deadline.signal);
    }
  }

  /**
   * One attempt, aborted after the request timeout or at the deadline. The timer is our own (not
   * AbortSignal.timeout): a timeout signal that only a composite signal points at can be garbage
   * collected before it fires, which leaves the request waiting forever.
   */
  private async attempt(request: RequestContext): Promise<ResponseContext> {
    const controller = new AbortController();
    const abort = () => controller.abort();
    const timer = setTimeout(abort, this.deadline.requestTimeoutMs());
    this.deadline.signal.addEventListener('abort', abort, { once: true });
    request.setSignal(controller.signal);
    try {
      const response = await this.inner.send(request).toPromise().catch((error: unknown) => {
        throw (this.route.proxy && proxyRefusal(error, this.route.server, this.route.proxy)) || error;
      });
      // The body is read within the same bound: a server that sends headers and then stalls
      // must not hold the step either.
      const body = await response.body.binary();
      return new ResponseContext(response.httpStatusCode, response.headers, { text: async () => body.toString('utf8'), binary: async () => body });
    } finally {
      clearTimeout(timer);
      this.deadline.signal.removeEventListener('abort', abort);
    }
  }
}

/** A proxy URL without credentials, or a placeholder when it does not parse (client-node fails on it then). */
function shownProxy(proxyUrl: string): string {
  try {
    return displayProxyUrl(new URL(proxyUrl));
  } catch {
    return 'of the kubeconfig';
  }
}

/** An API client class of client-node (CoreV1Api, AppsV1Api, …). */
export type ApiClientType<T> = new (config: ReturnType<typeof createConfiguration>) => T;

/** An API client whose requests are bounded and retried as above. */
export function boundedApiClient<T>(kubeConfig: KubeConfig, deadline: StepDeadline, type: ApiClientType<T>): T {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return new type(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kubeConfig },
      httpApi: wrapHttpLibrary(new BoundedHttp(deadline, { server: cluster.server, proxy: cluster.proxyUrl && shownProxy(cluster.proxyUrl) })),
    }),
  );
}

/**
 * Watches (client-node's Watch) send their own fetch: node-fetch's `timeout` bounds the wait for
 * the response headers (it stops counting once they arrive, so a long watch stream is not cut).
 */
export function boundWatchRequests(kubeConfig: KubeConfig, deadline: StepDeadline): void {
  const apply = kubeConfig.applyToFetchOptions.bind(kubeConfig);
  kubeConfig.applyToFetchOptions = async (options) => ({ ...(await apply(options)), timeout: deadline.requestTimeoutMs() });
}

/**
 * Sends the current cluster's requests the way the process's proxy decision says (net/proxy.ts),
 * the cluster's own `proxy-url` first. client-node reads no proxy environment variable: it tunnels
 * only through a cluster's `proxy-url` (KubeConfig.createAgent: hpagent's CONNECT agents for http(s)
 * proxies, socks-proxy-agent for socks), for API clients and watches alike. So a decided proxy is
 * written there; a direct decision leaves the cluster as it is. Proxy passwords are masked first.
 */
export function routeClusterRequests(kubeConfig: KubeConfig, setSecret: (value: string) => void): void {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) return;
  const own = cluster.proxyUrl ? clusterProxy(cluster.proxyUrl, cluster.name) : undefined;
  for (const secret of own ? proxyUrlSecrets(own.url) : []) setSecret(secret);
  const proxy = proxyRoutes().clusterProxy(cluster.server, own);
  if (!proxy || own) return;
  kubeConfig.clusters = kubeConfig.clusters.map((c) => (c.name === cluster.name ? { ...c, proxyUrl: proxy.url.href } : c));
}
