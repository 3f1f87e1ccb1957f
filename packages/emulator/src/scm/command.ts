// The SCM (Kudu) command API of the stand-in's sites: `POST https://<site>.scm.azurewebsites.net/api/command`
// with `{command, dir}`, answering Kudu's CommandResult `{Output, Error, ExitCode}`
// (projectkudu/kudu Kudu.Contracts/Commands/CommandResult.cs; the App Service diagnostics portal
// posts the same body: Azure/Azure-AppServices-Diagnostics-Portal .../network-checks/diag-provider.ts).
// Steps reach the SCM host names through the stand-in's CONNECT proxy (server.ts), whose
// certificate covers *.scm.azurewebsites.net.
//
// Authentication as Kudu: a Microsoft Entra bearer token (the stand-in accepts its ARM tokens, as
// the diagnostics portal sends the ARM token to the SCM host), or basic auth with the site's
// publishing credentials only while `basicPublishingCredentialsPolicies/scm` allows it
// (https://learn.microsoft.com/azure/app-service/configure-basic-auth-disable: with it off, basic
// auth gets 401). Anything else: 401.
//
// Commands: Windows sites run `nameresolver <host> [server]` and `tcpping [-n N] [-w W] <host>:<port>`
// (https://learn.microsoft.com/troubleshoot/azure/app-service/troubleshoot-vnet-integration-apps);
// Linux sites have neither ("The nameresolver.exe tool currently doesn't work in Linux apps").
// What the tools print is the stand-in's own imitation: the parts the diagnostics portal reads
// (`Addresses:` lines; `Connected to `, `Connection attempt failed: ...`, `Complete`) as it reads
// them; the rest (failure wording) is not documented anywhere and is made up here.
import { createSocket } from 'node:dgram';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { ArmResource, ArmStore } from '../arm/store';
import { json, parseJson, type Reply, type RequestContext } from '../http';
import { SERVICES } from '../kube/resources';
import type { KubeStore } from '../kube/store';
import type { Route } from '../server';
import { siteReaches } from './network';

type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;

/** SCM host names of the stand-in's sites (the CONNECT proxy tunnels these; the certificate covers them). */
export const SCM_HOST = /^[a-z0-9-]+\.scm\.azurewebsites\.net$/i;
/** Azure DNS (the platform's resolver), which knows nothing of the cluster's zones. */
const AZURE_DNS = '168.63.129.16';

export interface ScmOptions {
  store: ArmStore;
  /** Whether a bearer token is an Entra token ARM would accept. */
  verifyToken(token: string): boolean;
  /** The cluster side, once started: its Services (for internal LB IPs) and CoreDNS's port. */
  kube(): { store: KubeStore; dnsPort: number } | undefined;
}

interface CommandResult {
  Output: string;
  Error: string;
  ExitCode: number;
}

/**
 * The pods behind an internal load balancer Service: one TCP listener that accepts and closes (all
 * a connect test needs). The stand-in's ILB IPs are addresses in the store only; connecting to
 * this listener stands in for reaching them.
 */
export class BackendListener {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export class ScmService {
  constructor(
    private readonly o: ScmOptions,
    private readonly backend: BackendListener,
  ) {}

  route(): Route {
    return { surface: 'scm', owns: (path) => path === '/api/command', handle: (ctx) => this.handle(ctx) };
  }

  private siteFor(host: string): ArmResource | undefined {
    const name = host.replace(/:\d+$/, '').toLowerCase();
    if (!SCM_HOST.test(name)) return undefined;
    return [...this.o.store.ofType('Microsoft.Web/sites'), ...this.o.store.ofType('Microsoft.Web/sites/slots')].find((s) =>
      ((props(s).hostNameSslStates as { name?: string; hostType?: string }[] | undefined) ?? []).some((h) => h.hostType === 'Repository' && h.name?.toLowerCase() === name),
    );
  }

  private authorized(site: ArmResource, header: string | undefined): boolean {
    const [scheme, value] = (header ?? '').split(/\s+/, 2);
    if (/^bearer$/i.test(scheme ?? '') && value) return this.o.verifyToken(value);
    if (/^basic$/i.test(scheme ?? '') && value) {
      const policy = props(this.o.store.get(`${site.id}/basicPublishingCredentialsPolicies/scm`));
      const creds = props(this.o.store.get(`${site.id}/config/publishingcredentials`));
      const [user, password] = Buffer.from(value, 'base64').toString('utf8').split(/:(.*)/s, 2);
      return policy.allow === true && !!creds.publishingPassword && user === creds.publishingUserName && password === creds.publishingPassword;
    }
    return false;
  }

  async handle(ctx: RequestContext): Promise<Reply> {
    const site = this.siteFor(ctx.url.host);
    if (!site) return { status: 404, body: 'Not found' };
    if (!this.authorized(site, ctx.req.headers.authorization)) return { status: 401, body: '401 - Unauthorized: Access is denied due to invalid credentials.', headers: { 'www-authenticate': 'Bearer' } };
    if (ctx.method !== 'POST') return { status: 405, body: 'POST only' };
    const body = parseJson(ctx.body) as { command?: unknown } | undefined;
    if (typeof body?.command !== 'string') return json(400, { Message: 'The request is invalid: command is required.' });
    return json(200, await this.run(site, body.command));
  }

  private async run(site: ArmResource, command: string): Promise<CommandResult> {
    const words = command.trim().split(/\s+/);
    const tool = (words[0] ?? '').toLowerCase().replace(/\.exe$/, '');
    const linux = props(site).reserved === true;
    if (linux && (tool === 'nameresolver' || tool === 'tcpping')) return { Output: '', Error: `/bin/bash: line 1: ${words[0]}: command not found\n`, ExitCode: 127 };
    if (tool === 'nameresolver' && words[1]) return this.nameresolver(site, words[1], words[2]);
    if (tool === 'tcpping') {
      const target = words.slice(1).filter((w, i, all) => !w.startsWith('-') && !(all[i - 1] ?? '').startsWith('-')).pop() ?? '';
      const [host, port] = target.split(':');
      if (host && port && /^\d+$/.test(port)) return this.tcpping(site, host, Number(port));
    }
    return { Output: '', Error: `'${words[0] ?? ''}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`, ExitCode: 1 };
  }

  /** The site's DNS servers, in the order the stand-in takes them (see dnsServers). */
  private async nameresolver(site: ArmResource, name: string, server?: string): Promise<CommandResult> {
    const servers = server ? [server] : this.dnsServers(site);
    const used = servers[0] ?? AZURE_DNS;
    const head = `Server: ${used}\r\n\r\n`;
    const kube = this.o.kube();
    const reach = siteReaches(this.o.store, site, used, 53, 'Udp');
    if (used === AZURE_DNS || !kube || !reach.ok || !this.servesDns(kube.store, used)) {
      if (used === AZURE_DNS) return { Output: `${head}*** ${used} can't find ${name}: Non-existent domain\r\n`, Error: '', ExitCode: 0 };
      return { Output: `${head}*** Request to ${used} timed-out\r\n`, Error: '', ExitCode: 0 };
    }
    const addresses = await queryA(kube.dnsPort, name);
    if (addresses.length === 0) return { Output: `${head}*** ${used} can't find ${name}: Non-existent domain\r\n`, Error: '', ExitCode: 0 };
    return { Output: `${head}Non-authoritative answer:\r\nName: ${name}\r\nAddresses: \r\n${addresses.map((a) => `\t${a}\r\n`).join('')}\r\n`, Error: '', ExitCode: 0 };
  }

  /**
   * The DNS servers the site uses: its `dnsConfiguration.dnsServers`, else the WEBSITE_DNS_SERVER
   * app setting (comma-separated), else its integrated VNet's custom DNS servers, else Azure DNS
   * (https://learn.microsoft.com/azure/app-service/overview-name-resolution). That page says either
   * the property or the app setting may add servers but not which wins when both are set: the
   * stand-in takes the site property first (an assumption, not a documented rule).
   */
  private dnsServers(site: ArmResource): string[] {
    const own = (props(site).dnsConfiguration as { dnsServers?: string[] } | undefined)?.dnsServers ?? [];
    if (own.length > 0) return own;
    const setting = String(props(this.o.store.get(`${site.id}/config/appsettings`)).WEBSITE_DNS_SERVER ?? '');
    if (setting) return setting.split(',');
    const subnetId = String(props(site).virtualNetworkSubnetId ?? '');
    const vnet = subnetId ? this.o.store.get(subnetId.replace(/\/subnets\/[^/]+$/i, '')) : undefined;
    return ((props(vnet).dhcpOptions as { dnsServers?: string[] } | undefined)?.dnsServers ?? []).slice();
  }

  /** An internal LB Service on port 53 in kube-system (the cluster DNS exposed to the VNet) serves DNS at `ip`. */
  private servesDns(kube: KubeStore, ip: string): boolean {
    return this.loadBalancers(kube, ip).some((s) => s.namespace === 'kube-system' && s.ports.includes(53));
  }

  private loadBalancers(kube: KubeStore, ip: string): { namespace: string; ports: number[] }[] {
    return kube
      .list(SERVICES)
      .filter((s) => (((s['status'] as Props | undefined)?.['loadBalancer'] as Props | undefined)?.['ingress'] as { ip?: string }[] | undefined ?? []).some((i) => i.ip === ip))
      .map((s) => ({ namespace: String((s['metadata'] as Props)['namespace']), ports: (((s['spec'] as Props)['ports'] as { port?: number }[] | undefined) ?? []).map((p) => Number(p.port)) }));
  }

  private async tcpping(site: ArmResource, host: string, port: number): Promise<CommandResult> {
    const failed = (why: string) => ({ Output: `Connection attempt failed: ${why}\r\nComplete: 0/1 successful attempts (0%). Average success time: 0ms\r\n`, Error: '', ExitCode: 0 });
    const kube = this.o.kube();
    const reach = siteReaches(this.o.store, site, host, port, 'Tcp');
    const behind = kube ? this.loadBalancers(kube.store, host) : [];
    // Unreachable (no integration, outside the VNet, NSG deny) or no load balancer at that IP: no
    // answer, as a dropped SYN (the real tool waits for its timeout; the stand-in answers at once).
    if (!reach.ok || behind.length === 0) return failed('Connection timed out.');
    if (!behind.some((s) => s.ports.includes(port))) return failed(`No connection could be made because the target machine actively refused it ${host}:${port}`);
    const ms = await connectMs(this.backend.port);
    return { Output: `Connected to ${host}:${port}, time taken: ${ms}ms\r\nComplete: 1/1 successful attempts (100%). Average success time: ${ms}ms\r\n`, Error: '', ExitCode: 0 };
  }
}

function connectMs(port: number): Promise<number> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(Math.max(1, Date.now() - start));
    });
    s.on('error', reject);
  });
}

/** One A query to the stand-in's CoreDNS over UDP. */
function queryA(port: number, name: string): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => done([]), 2000);
    const done = (ips: string[]) => {
      clearTimeout(timer);
      socket.close();
      resolve(ips);
    };
    socket.on('message', (msg) => {
      const reply = dnsPacket.decode(msg);
      done((reply.answers ?? []).flatMap((a) => (a.type === 'A' ? [String(a.data)] : [])));
    });
    socket.on('error', () => done([]));
    socket.send(dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] }), port, '127.0.0.1');
  });
}
