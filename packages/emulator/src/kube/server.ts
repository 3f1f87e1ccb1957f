import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Faults, RequestLog } from '../faults';
import { KubeApi, parseJson } from './api';
import { Authorizer, type Identity, type TokenVerifier } from './auth';
import { coreVersions, group, groupList, openApiJson, openApiProtobuf, SERVER_VERSION } from './discovery';
import { apiResourceList, findResource, RESOURCES, type ResourceDef } from './resources';
import { RolloutController } from './rollout';
import { parseFieldSelector, parseLabelSelector, matchesFields, matchesLabels } from './selectors';
import {
  badRequest,
  conflict,
  forbidden,
  internalError,
  KubeError,
  methodNotAllowed,
  pathNotFound,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
  type StatusBody,
} from './status';
import { KubeStore } from './store';
import { toTable, wantsTable } from './tables';
import { serveWatch } from './watch';
import { seedAks } from './seed';
import { apiVersionOf } from './resources';

export interface KubeTlsMaterial {
  certPem: string;
  keyPem: string;
  caPem: string;
}

export interface KubeOptions {
  /** Share a store (e.g. with the cloud provider) or let the server make one. */
  store?: KubeStore;
  faults?: Faults;
  log?: RequestLog;
  /** Static bearer tokens: the AKS local user (clusterUser) and admin (clusterAdmin, system:masters). */
  tokens?: { user?: string; admin?: string };
  /** Verifies Entra ID access tokens for AAD-enabled clusters. */
  verifyAccessToken?: TokenVerifier;
  /** Serve https too (with this certificate), besides http. */
  tls?: KubeTlsMaterial;
  host?: string;
  httpPort?: number;
  httpsPort?: number;
  /** Service CIDR (AKS default 10.0.0.0/16). */
  serviceCidr?: string;
  /** ClusterIP of kube-dns (AKS default 10.0.0.10). */
  dnsServiceIp?: string;
  /** Seed a fresh AKS cluster's kube-system (default true). */
  seed?: boolean;
  /** Delay of each deployment-controller step (default 100 ms). */
  rolloutDelayMs?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 1000 ms). */
  bookmarkIntervalMs?: number;
  /**
   * Asked for every new connection, before TLS: how to refuse it (`drop`: never answered; `reset`),
   * or undefined to let it in. The emulator wires the network rules of firewall.ts here.
   */
  refuseConnection?: () => 'drop' | 'reset' | undefined;
}

export interface KubeServer {
  store: KubeStore;
  api: KubeApi;
  authorizer: Authorizer;
  rollouts: RolloutController;
  httpUrl: string;
  httpsUrl?: string;
  /** The API server as pods inside the cluster reach it (the run command's kubectl): never refused as from outside. */
  inClusterUrl: string;
  caPem?: string;
  tokens: { user: string; admin: string };
  /** A kubeconfig (YAML) for this server, as `az aks get-credentials` would write it. */
  kubeconfig(options?: { https?: boolean; token?: string; namespace?: string; clusterName?: string }): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Route {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Splits `/api/v1/...` and `/apis/<group>/<version>/...` into a resource route, or undefined for other paths. */
function route(path: string): Route | 'discovery' | undefined {
  const parts = path.split('/').filter(Boolean);
  let groupName = '';
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 3) {
    groupName = parts[1]!;
    rest = parts.slice(3);
    if (parts[2] !== 'v1') return undefined;
  } else return undefined;
  if (rest.length === 0) return 'discovery';
  // Legacy watch paths (/api/v1/watch/...) mean ?watch=true.
  if (rest[0] === 'watch') rest = rest.slice(1);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const def = findResource(groupName, 'v1', rest[0]!);
  if (!def || rest.length > 3) return undefined;
  if (namespace !== undefined && !def.namespaced) return undefined;
  return { def, namespace, name: rest[1], subresource: rest[2] };
}

const verbFor = (method: string, r: Route, watch: boolean) => {
  switch (method) {
    case 'GET':
      return r.name ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return r.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
};

/** The user agent's product name (`kubectl/v1.20.2 (...)` → `kubectl`), the default field manager. */
const managerFromAgent = (ua: string | undefined) => (ua ?? 'unknown').split('/')[0]!.split(' ')[0] || 'unknown';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const stripListItem = (o: Record<string, unknown>) => {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
};

export async function startKube(options: KubeOptions = {}): Promise<KubeServer> {
  const store = options.store ?? new KubeStore();
  const api = new KubeApi(store, options.serviceCidr ?? '10.0.0.0/16');
  const authorizer = new Authorizer(options.verifyAccessToken);
  const tokens = { user: options.tokens?.user ?? 'kube-user-token', admin: options.tokens?.admin ?? 'kube-admin-token' };
  authorizer.addToken(tokens.user, { user: 'clusterUser', groups: ['system:authenticated'] });
  authorizer.addToken(tokens.admin, { user: 'clusterAdmin', groups: ['system:masters', 'system:authenticated'] });
  const rollouts = new RolloutController(store, options.rolloutDelayMs ?? 100);
  if (options.seed !== false && !store.get(RESOURCES[0]!, undefined, 'kube-system')) seedAks(api, options.dnsServiceIp ?? '10.0.0.10');
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    res.on('finish', () => options.log?.record({ surface: 'kube', method: req.method ?? 'GET', path, status: res.statusCode }));
    res.on('close', () => {
      if (!res.writableFinished) options.log?.record({ surface: 'kube', method: req.method ?? 'GET', path, status: res.statusCode });
    });
    handle(req, res, url, path).catch((err: unknown) => {
      const status: StatusBody = err instanceof KubeError ? err.status : internalError(String((err as Error)?.message ?? err)).status;
      const headers = err instanceof KubeError ? err.headers : {};
      if (!(err instanceof KubeError)) console.error('kube stand-in error:', err);
      if (res.headersSent) {
        res.end();
        return;
      }
      res.writeHead(status.code, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(status));
    });
  };

  const sendJson = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const q = url.searchParams;
    const latency = options.faults?.take('kube', method, path, ['latency']);
    if (latency?.kind === 'latency') await sleep(latency.ms);
    const hook = options.faults?.takeHook('kube', method, path, url.search);
    if (hook?.when === 'before') await hook.run();
    const fault = options.faults?.take('kube', method, path, ['throttle', 'error', 'conflict']);
    if (fault?.kind === 'throttle') throw tooManyRequests(fault.retryAfterSeconds);
    if (fault?.kind === 'error') throw fault.status === 503 ? serviceUnavailable() : internalError();

    // Public endpoints (system:public-info-viewer).
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (path === '/version') return sendJson(res, 200, SERVER_VERSION);

    const id = await authenticate(req);
    if (path === '/api') return sendJson(res, 200, coreVersions(`${req.socket.localAddress}:${req.socket.localPort}`));
    if (path === '/apis') return sendJson(res, 200, groupList());
    if (path === '/openapi/v2') {
      if (/protobuf/.test(req.headers.accept ?? '')) {
        res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' });
        res.end(openApiProtobuf());
        return;
      }
      return sendJson(res, 200, openApiJson());
    }
    const apisGroup = /^\/apis\/([^/]+)$/.exec(path);
    if (apisGroup && RESOURCES.some((r) => r.group === apisGroup[1])) return sendJson(res, 200, group(apisGroup[1]!));

    const r = route(path);
    if (!r) throw pathNotFound();
    if (r === 'discovery') {
      const g = path.startsWith('/apis/') ? path.split('/')[2]! : '';
      return sendJson(res, 200, apiResourceList(g, 'v1'));
    }
    const watch = q.get('watch') === 'true' || q.get('watch') === '1' || path.includes('/watch/');
    const verb = verbFor(method, r, watch);
    const authzResource = r.subresource ? `${r.def.plural}/${r.subresource}` : r.def.plural;
    if (!authorizer.allowed(id, verb, authzResource, r.namespace)) throw forbidden(id.user, verb, r.def, r.namespace, r.name, r.subresource);
    if (r.subresource && r.subresource !== 'status') throw pathNotFound();
    if (fault?.kind === 'conflict') throw conflict(r.def, r.name ?? '');

    const dryRun = q.getAll('dryRun').includes('All');
    if (q.getAll('dryRun').some((d) => d !== 'All')) throw badRequest(`Invalid value: "${q.getAll('dryRun').join(',')}": supported values: "All"`);
    const manager = q.get('fieldManager') ?? managerFromAgent(req.headers['user-agent']);
    const writeOpts = { dryRun, manager, subresource: r.subresource };

    if (method === 'GET' && r.name) {
      const o = api.get(r.def, r.namespace, r.name);
      if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable(r.def, [o], o.metadata.resourceVersion ?? '', q.get('includeObject') ?? undefined));
      return sendJson(res, 200, o);
    }
    if (method === 'GET') {
      const labels = parseLabelSelector(q.get('labelSelector') ?? '');
      const fields = parseFieldSelector(q.get('fieldSelector') ?? '', r.def.kind);
      if (watch) {
        const drop = options.faults?.take('kube', method, path, ['drop-watch']);
        const timeout = q.get('timeoutSeconds');
        const w = serveWatch(store, res, {
          def: r.def,
          namespace: r.namespace,
          labels,
          fields,
          resourceVersion: q.get('resourceVersion') ?? undefined,
          allowBookmarks: q.get('allowWatchBookmarks') === 'true',
          sendInitialEvents: q.get('sendInitialEvents') === 'true',
          timeoutSeconds: timeout ? Number(timeout) : undefined,
          bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
          dropAfter: drop?.kind === 'drop-watch' ? (drop.afterEvents ?? 0) : undefined,
        }, () => undefined);
        return w;
      }
      const all = store.list(r.def, r.namespace).filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
      const rv = String(store.resourceVersion);
      // limit/continue: the continue token is the offset into the (stable, sorted) result.
      const limit = Number(q.get('limit') ?? 0);
      const start = q.get('continue') ? Number(Buffer.from(q.get('continue')!, 'base64').toString('utf8')) || 0 : 0;
      const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
      const more = limit > 0 && start + limit < all.length;
      if (wantsTable(req.headers.accept)) {
        const table = toTable(r.def, page, rv, q.get('includeObject') ?? undefined);
        return sendJson(res, 200, { ...table, metadata: { ...table.metadata, ...(more ? { continue: Buffer.from(String(start + limit)).toString('base64') } : {}) } });
      }
      return sendJson(res, 200, {
        kind: `${r.def.kind}List`,
        apiVersion: apiVersionOf(r.def),
        metadata: { resourceVersion: rv, ...(more ? { continue: Buffer.from(String(start + limit)).toString('base64'), remainingItemCount: all.length - start - limit } : {}) },
        items: page.map((o) => stripListItem(o)),
      });
    }
    const raw = method === 'DELETE' ? '' : await readBody(req);
    if (method === 'POST' && !r.name) return sendJson(res, 201, api.create(r.def, r.namespace, parseJson(raw), writeOpts));
    if (method === 'PUT' && r.name) return sendJson(res, 200, api.replace(r.def, r.namespace, r.name, parseJson(raw), writeOpts));
    if (method === 'PATCH' && r.name) {
      const contentType = req.headers['content-type'] ?? '';
      // Apply has no user-agent default: the field manager must be named.
      const patchManager = contentType.startsWith('application/apply-patch') ? (q.get('fieldManager') ?? '') : manager;
      const { object, created } = api.patch(r.def, r.namespace, r.name, contentType, raw, { ...writeOpts, manager: patchManager, force: q.get('force') === 'true' });
      return sendJson(res, created ? 201 : 200, object);
    }
    if (method === 'DELETE' && r.name) return sendJson(res, 200, api.delete(r.def, r.namespace, r.name, dryRun));
    throw methodNotAllowed(method);
  }

  async function authenticate(req: IncomingMessage): Promise<Identity> {
    const id = await authorizer.authenticate(req.headers.authorization);
    if (!id) throw unauthorized();
    return id;
  }

  // Each server listens behind a plain TCP front that decides first whether a connection gets in
  // at all, as a network firewall in front of an API server would.
  const servers: NetServer[] = [];
  const admit = (server: Server, socket: Socket, inCluster: boolean) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    // Callers inside the cluster (the run command's pod) are behind no firewall.
    const refusal = inCluster ? undefined : options.refuseConnection?.();
    if (refusal === 'reset') socket.resetAndDestroy();
    else if (refusal !== 'drop') server.emit('connection', socket);
    // A dropped connection stays open and unanswered until the client gives up (or stop()).
  };
  const listen = (server: Server, port: number, inCluster = false) =>
    new Promise<number>((resolve, reject) => {
      const front = createNetServer((socket) => admit(server, socket, inCluster));
      front.once('error', reject);
      front.listen(port, host, () => resolve((front.address() as AddressInfo).port));
      servers.push(front);
    });
  const httpPort = await listen(createHttpServer(handler), options.httpPort ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const httpUrl = `http://${urlHost}:${httpPort}`;
  let httpsUrl: string | undefined;
  if (options.tls) {
    const httpsPort = await listen(createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler), options.httpsPort ?? 0);
    httpsUrl = `https://${urlHost}:${httpsPort}`;
  }

  // A listener of its own for callers inside the cluster (kubernetes.default.svc in a pod).
  const inClusterServer = options.tls ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler) : createHttpServer(handler);
  const inClusterPort = await listen(inClusterServer, 0, true);
  const inClusterUrl = `${options.tls ? 'https' : 'http'}://${urlHost}:${inClusterPort}`;

  return {
    store,
    api,
    authorizer,
    rollouts,
    httpUrl,
    httpsUrl,
    inClusterUrl,
    caPem: options.tls?.caPem,
    tokens,
    kubeconfig(o = {}) {
      const useHttps = o.https ?? !!httpsUrl;
      const server = useHttps ? httpsUrl : httpUrl;
      if (!server) throw new Error('https requested but the kube stand-in has no TLS material');
      return buildKubeconfig({ server, caPem: useHttps ? options.tls?.caPem : undefined, token: o.token ?? tokens.user, namespace: o.namespace, clusterName: o.clusterName });
    },
    async stop() {
      rollouts.stop();
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

/** A kubeconfig with one cluster, user and context, in the shape `az aks get-credentials` writes. */
export function buildKubeconfig(o: { server: string; token: string; caPem?: string; namespace?: string; clusterName?: string }): string {
  const name = o.clusterName ?? 'emulator';
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    // Plain http has no certificate to verify; client-node refuses http without this flag.
    ...(o.caPem ? [`    certificate-authority-data: ${Buffer.from(o.caPem).toString('base64')}`] : o.server.startsWith('http:') ? ['    insecure-skip-tls-verify: true'] : []),
    `    server: ${o.server}`,
    `  name: ${name}`,
    'contexts:',
    '- context:',
    `    cluster: ${name}`,
    ...(o.namespace ? [`    namespace: ${o.namespace}`] : []),
    `    user: clusterUser_${name}`,
    `  name: ${name}`,
    `current-context: ${name}`,
    'preferences: {}',
    'users:',
    `- name: clusterUser_${name}`,
    '  user:',
    `    token: ${o.token}`,
    '',
  ];
  return lines.join('\n');
}
