import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { CONFIGMAPS, SERVICES } from '../kube/resources';
import type { RolloutController } from '../kube/rollout';
import type { KubeStore } from '../kube/store';
import type { KubeObject } from '../kube/types';
import { externalZones, parseCorefile, type ExternalZoneConfig } from './corefile';

export interface CoreDnsOptions {
  store: KubeStore;
  /** Reload the config when a rollout of kube-system/coredns completes (as new pods would). */
  rollouts: RolloutController;
  host?: string;
  /** UDP and TCP port (0 = an ephemeral port, the same number for both). */
  port?: number;
  /** Cluster domain of the `kubernetes` plugin (AKS: cluster.local, ttl 30). */
  clusterDomain?: string;
  clusterTtl?: number;
}

export interface CoreDnsServer {
  port: number;
  host: string;
  /** The `k8s_external` configuration currently served. */
  zones(): ExternalZoneConfig[];
  /** Errors from the last config load (an unparsable `.override` key is skipped, as CoreDNS would fail to reload it). */
  configErrors(): string[];
  /** How many times the config was (re)loaded. */
  reloads(): number;
  stop(): Promise<void>;
}

type Rec = Record<string, unknown>;
type Answer = dnsPacket.Answer;

const SOA_TIMERS = { serial: 12345, refresh: 14400, retry: 3600, expire: 604800 };

/**
 * CoreDNS as AKS runs it, for the plugins our steps configure: `kubernetes` (A records for
 * `svc.ns.svc.cluster.local` → ClusterIP) and `k8s_external` blocks from `coredns-custom`'s
 * `*.override` keys (`svc.ns.ZONE` → LoadBalancer ingress IPs), over real DNS on UDP and TCP.
 * Simplification: the config is snapshotted when a rollout of the coredns Deployment completes
 * (what `kubectl rollout restart` causes); the real `reload` plugin would also pick up a changed
 * ConfigMap by itself after the kubelet syncs the volume (about a minute). No forwarding upstream:
 * names outside the served zones are NXDOMAIN.
 */
export async function startCoreDns(o: CoreDnsOptions): Promise<CoreDnsServer> {
  const host = o.host ?? '127.0.0.1';
  const clusterDomain = (o.clusterDomain ?? 'cluster.local').toLowerCase();
  const clusterTtl = o.clusterTtl ?? 30;
  let zones: ExternalZoneConfig[] = [];
  let errors: string[] = [];
  let reloads = 0;

  const load = () => {
    const cm = o.store.get(CONFIGMAPS, 'kube-system', 'coredns-custom');
    const data = (cm?.['data'] ?? {}) as Record<string, string>;
    const next: ExternalZoneConfig[] = [];
    const errs: string[] = [];
    for (const key of Object.keys(data).sort()) {
      if (!key.endsWith('.override')) continue;
      try {
        next.push(...externalZones(parseCorefile(data[key]!)));
      } catch (e) {
        errs.push(`${key}: ${(e as Error).message}`);
      }
    }
    zones = next;
    errors = errs;
    reloads++;
  };
  load();
  const offRollout = o.rollouts.onRolloutComplete((d) => {
    if (d.metadata.namespace === 'kube-system' && d.metadata.name === 'coredns') load();
  });

  const service = (ns: string, name: string): KubeObject | undefined => o.store.get(SERVICES, ns, name);

  const soa = (zone: string, ttl: number, apex: string): Answer => ({
    type: 'SOA',
    name: zone,
    ttl,
    class: 'IN',
    data: { mname: `ns1.${apex}.${zone}`, rname: `hostmaster.${zone}`, ...SOA_TIMERS, minimum: ttl },
  } as Answer);

  function answer(query: dnsPacket.Packet): dnsPacket.Packet {
    const q = query.questions?.[0];
    const base = { id: query.id, type: 'response' as const, flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED), questions: query.questions ?? [] };
    // FORMERR for a query without a question.
    if (!q) return { ...base, flags: (base.flags ?? 0) | 1 };
    const name = q.name.toLowerCase().replace(/\.$/, '');
    const reply = (answers: Answer[], rcode: 'NOERROR' | 'NXDOMAIN', authority: Answer[] = []) => ({
      ...base,
      flags: (base.flags ?? 0) | (rcode === 'NXDOMAIN' ? 3 : 0),
      answers,
      authorities: answers.length ? [] : authority,
    });

    // kubernetes plugin: <svc>.<ns>.svc.cluster.local
    if (name === clusterDomain || name.endsWith('.' + clusterDomain)) {
      const labels = name.slice(0, -clusterDomain.length - 1).split('.');
      const auth = [soa(clusterDomain, clusterTtl, 'dns')];
      if (labels.length === 3 && labels[2] === 'svc') {
        const svc = service(labels[1]!, labels[0]!);
        const ip = (svc?.['spec'] as Rec | undefined)?.['clusterIP'] as string | undefined;
        if (svc && ip && ip !== 'None') {
          return q.type === 'A' ? reply([{ type: 'A', name: q.name, ttl: clusterTtl, class: 'IN', data: ip }], 'NOERROR') : reply([], 'NOERROR', auth);
        }
      }
      if (name === clusterDomain && q.type === 'SOA') return reply([soa(clusterDomain, clusterTtl, 'dns')], 'NOERROR');
      return reply([], 'NXDOMAIN', auth);
    }
    // k8s_external: <svc>.<ns>.<zone>, the longest matching zone wins.
    let best: { cfg: ExternalZoneConfig; zone: string } | undefined;
    for (const cfg of zones) for (const zone of cfg.zones) if ((name === zone || name.endsWith('.' + zone)) && (!best || zone.length > best.zone.length)) best = { cfg, zone };
    if (best) {
      const { cfg, zone } = best;
      const auth = [soa(zone, cfg.ttl, cfg.apex)];
      if (name === zone) {
        if (q.type === 'SOA') return reply([soa(zone, cfg.ttl, cfg.apex)], 'NOERROR');
        if (q.type === 'NS') return reply([{ type: 'NS', name: zone, ttl: cfg.ttl, class: 'IN', data: `ns1.${cfg.apex}.${zone}` }], 'NOERROR');
        return reply([], 'NOERROR', auth);
      }
      const labels = name.slice(0, -zone.length - 1).split('.');
      if (labels.length === 2) {
        const svc = service(labels[1]!, labels[0]!);
        const ingress = (((svc?.['status'] as Rec | undefined)?.['loadBalancer'] as Rec | undefined)?.['ingress'] ?? []) as { ip?: string }[];
        const external = ((svc?.['spec'] as Rec | undefined)?.['externalIPs'] ?? []) as string[];
        const ips = [...ingress.map((i) => i.ip).filter((x): x is string => !!x), ...external];
        if (ips.length) {
          const v4 = ips.filter((ip) => !ip.includes(':'));
          return q.type === 'A' ? reply(v4.map((ip) => ({ type: 'A', name: q.name, ttl: cfg.ttl, class: 'IN', data: ip }) as Answer), 'NOERROR') : reply([], 'NOERROR', auth);
        }
      }
      return reply([], 'NXDOMAIN', auth);
    }
    return reply([], 'NXDOMAIN');
  }

  const respond = (msg: Buffer): Buffer | undefined => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return undefined;
    }
    return dnsPacket.encode(answer(query));
  };

  // TCP first on the requested port, then UDP on the same number.
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    let buf = Buffer.alloc(0);
    s.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const out = respond(buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        if (out) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(out.length);
          s.write(Buffer.concat([head, out]));
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (tcp.address() as AddressInfo).port;
  const udp: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (msg, rinfo) => {
    const out = respond(msg);
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => resolve());
  });

  return {
    port,
    host,
    zones: () => structuredClone(zones),
    configErrors: () => [...errors],
    reloads: () => reloads,
    async stop() {
      offRollout();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => tcp.close(() => r()));
      await new Promise<void>((r) => udp.close(() => r()));
    },
  };
}
