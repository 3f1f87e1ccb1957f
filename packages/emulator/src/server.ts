import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Faults, RequestLog, Surface } from './faults';
import { json, readBody, send, sleep, type Reply, type RequestContext } from './http';
import { SCM_HOST } from './scm/command';
import { AUTHORITY_HOSTS } from './tls';

/** One path-routed part of the HTTPS server (ARM, Entra ID, an OIDC issuer...). */
export interface Route {
  surface: Surface;
  /** Whether this route owns the path; the first owner answers. */
  owns(path: string): boolean;
  handle(ctx: RequestContext): Reply | undefined | Promise<Reply | undefined>;
}

/**
 * The stand-in's single HTTPS endpoint (ARM, Entra ID and the OIDC issuers are path-routed as
 * their real hosts would be), with fault injection and the request log applied uniformly.
 */
export class FrontDoor {
  private server?: Server;
  private proxy?: HttpServer;
  private readonly sockets = new Set<Socket>();
  port = 0;
  proxyPort = 0;

  constructor(
    private readonly tls: { certPem: string; keyPem: string },
    private readonly routes: Route[],
    private readonly faults: Faults,
    private readonly log: RequestLog,
  ) {}

  async start(port = 0): Promise<void> {
    this.server = createServer({ cert: this.tls.certPem, key: this.tls.keyPem }, (req, res) => {
      this.dispatch(req).then(
        (reply) => send(res, reply),
        (e: unknown) => {
          console.error('[emulator] unhandled error', e);
          send(res, json(500, { error: { code: 'InternalServerError', message: String(e) } }));
        },
      );
    });
    this.server.on('connection', (s: Socket) => this.track(s));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /**
   * An HTTP CONNECT proxy that tunnels the clouds' Entra ID authority hosts (`:443`) to this server
   * (whose certificate covers those names). The az CLI keeps the real authority host (MSAL for
   * Python would otherwise send instance discovery there anyway) and, with HTTPS_PROXY pointing
   * here, its Entra ID traffic reaches the stand-in instead of the internet (see az.ts); so does a
   * step's sign-in in a sovereign cloud. Every other host is refused, which also stops anything
   * else az tries to reach. The stand-in sites' SCM hosts (`<site>.scm.azurewebsites.net`) are
   * tunnelled too, so a step reaches a site's Kudu API by its real name.
   */
  async startProxy(allowedHosts = AUTHORITY_HOSTS): Promise<void> {
    this.proxy = createHttpServer((_req, res) => {
      res.writeHead(405).end('CONNECT only');
    });
    this.proxy.on('connection', (s: Socket) => this.track(s));
    this.proxy.on('connect', (req: IncomingMessage, duplex, head: Buffer) => {
      const client = duplex as Socket;
      const [host, port] = (req.url ?? '').split(':');
      if (!host || port !== '443' || !(allowedHosts.includes(host.toLowerCase()) || SCM_HOST.test(host))) {
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = connect(this.port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      this.track(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => this.proxy!.listen(0, '127.0.0.1', resolve));
    this.proxyPort = (this.proxy.address() as AddressInfo).port;
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }

  private async dispatch(req: IncomingMessage): Promise<Reply> {
    const host = req.headers.host ?? `127.0.0.1:${this.port}`;
    const url = new URL(req.url ?? '/', `https://${host}`);
    const ctx: RequestContext = { req, method: (req.method ?? 'GET').toUpperCase(), url, path: url.pathname.replace(/\/{2,}/g, '/'), body: await readBody(req), base: `https://${host}` };
    const route = this.routes.find((r) => r.owns(ctx.path));
    const surface = route?.surface ?? 'entra';
    const reply = (await this.withFaults(surface, ctx, async () => (route ? await route.handle(ctx) : undefined))) ?? json(404, { error: { code: 'NotFound', message: `No route for ${ctx.method} ${ctx.path}` } });
    this.log.record({ surface, method: ctx.method, path: ctx.path, status: reply.status });
    return reply;
  }

  private async withFaults(surface: Surface, ctx: RequestContext, next: () => Promise<Reply | undefined>): Promise<Reply | undefined> {
    const latency = this.faults.take(surface, ctx.method, ctx.path, ['latency']);
    if (latency?.kind === 'latency') await sleep(latency.ms);
    const hook = this.faults.takeHook(surface, ctx.method, ctx.path, ctx.url.search);
    if (hook?.when === 'before') await hook.run();
    const reply = await this.faultReply(surface, ctx, next);
    if (hook?.when === 'after') await hook.run();
    return reply;
  }

  private async faultReply(surface: Surface, ctx: RequestContext, next: () => Promise<Reply | undefined>): Promise<Reply | undefined> {
    const respond = this.faults.take(surface, ctx.method, ctx.path, ['respond']);
    if (respond?.kind === 'respond') return { status: respond.status, body: respond.body ?? '', headers: respond.headers };
    const fault = this.faults.take(surface, ctx.method, ctx.path, ['throttle', 'error', 'conflict']);
    if (fault?.kind === 'throttle') {
      return json(429, { error: { code: 'TooManyRequests', message: 'The request is being throttled as the limit has been reached for operation type. Please retry after the time in the Retry-After header.' } }, { 'retry-after': String(fault.retryAfterSeconds) });
    }
    if (fault?.kind === 'error') {
      const code = fault.code ?? (fault.status === 503 ? 'ServiceUnavailable' : 'InternalServerError');
      return json(fault.status, { error: { code, message: `Injected fault: ${code}.` } });
    }
    if (fault?.kind === 'conflict') {
      return json(409, { error: { code: 'AnotherOperationInProgress', message: `Another operation on this or dependent resource is in progress. To retrieve status of the operation use uri: ${ctx.base}${ctx.path}.` } });
    }
    return next();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(
      [this.server, this.proxy].filter((s): s is Server | HttpServer => !!s).map((s) => new Promise<void>((r) => s.close(() => r()))),
    );
  }
}
