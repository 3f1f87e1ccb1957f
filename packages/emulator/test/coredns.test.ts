import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as dnsPacket from 'dns-packet';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { ArmStore } from '../src/arm/store';
import { LB_INTERNAL } from '../src/cloud-provider/annotations';
import { startCloudProvider, type CloudProvider } from '../src/cloud-provider/controller';
import { externalZones, parseCorefile } from '../src/coredns/corefile';
import { startCoreDns, type CoreDnsServer } from '../src/coredns/server';
import { seedApp } from '../src/kube/seed';
import type { KubeServer } from '../src/kube/server';
import { clientsFor, startTestKube, until, type KubeClients } from './kube-helpers';

/** One DNS query over TCP (2-byte length framing), as `dig +tcp` sends it. */
function queryTcp(port: number, name: string, type: 'A' | 'SOA' = 'A'): Promise<dnsPacket.Packet> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        s.end();
        resolve(dnsPacket.decode(buf.subarray(2)));
      }
    });
    s.on('error', reject);
    s.write(dnsPacket.streamEncode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] }));
  });
}

const rcode = (p: dnsPacket.Packet) => ((p.flags ?? 0) & 0xf) === 3 ? 'NXDOMAIN' : ((p.flags ?? 0) & 0xf) === 0 ? 'NOERROR' : String((p.flags ?? 0) & 0xf);

describe('Corefile parsing', () => {
  it('parses directives, args, nested blocks and comments', () => {
    const d = parseCorefile(`# private names\nk8s_external internal.example other.example {   # trailing comment\n  ttl 5\n  headless\n}\nlog\nforward . "10.0.0.1 "\n`);
    assert.deepEqual(d.map((x) => [x.name, x.args]), [['k8s_external', ['internal.example', 'other.example']], ['log', []], ['forward', ['.', '10.0.0.1 ']]]);
    assert.deepEqual(d[0]!.block!.map((x) => x.name), ['ttl', 'headless']);
    assert.deepEqual(externalZones(d), [{ zones: ['internal.example', 'other.example'], ttl: 5, headless: true, apex: 'dns' }]);
  });
  it('a k8s_external mentioned in a comment is not a directive; bad blocks are errors', () => {
    assert.deepEqual(externalZones(parseCorefile('# k8s_external nope.example\nlog\n')), []);
    assert.throws(() => parseCorefile('k8s_external a.example {\n ttl 5\n'), /missing '}'/);
    assert.throws(() => externalZones(parseCorefile('k8s_external a.example {\n ttl 99999\n}\n')), /ttl must be in range/);
  });
});

describe('CoreDNS stand-in over real DNS', () => {
  let server: KubeServer;
  let c: KubeClients;
  let cp: CloudProvider;
  let dns: CoreDnsServer;
  let resolver: Resolver;
  before(async () => {
    server = await startTestKube();
    c = clientsFor(server);
    cp = startCloudProvider({ kube: server.store, arm: new ArmStore(), subscriptionId: 'sub', location: 'westeurope', clusterName: 'aks', nodeResourceGroup: 'MC_rg', delayMs: 10 });
    dns = await startCoreDns({ store: server.store, rollouts: server.rollouts });
    resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dns.port}`]);
    seedApp(server.api, { name: 'backend', type: 'LoadBalancer', annotations: { [LB_INTERNAL]: 'true' } });
  });
  after(async () => {
    await dns.stop();
    cp.stop();
    await server.stop();
  });

  const lbIp = () => until(async () => (await c.core.readNamespacedService({ name: 'backend', namespace: 'default' })).status?.loadBalancer?.ingress?.[0]?.ip);

  it('answers svc.ns.svc.cluster.local with the ClusterIP over UDP and TCP; NXDOMAIN for unknown names', async () => {
    assert.deepEqual(await resolver.resolve4('kube-dns.kube-system.svc.cluster.local'), ['10.0.0.10']);
    const [rec] = await resolver.resolve4('kube-dns.kube-system.svc.cluster.local', { ttl: true });
    assert.equal(rec!.ttl, 30);
    const tcp = await queryTcp(dns.port, 'kube-dns.kube-system.svc.cluster.local');
    assert.equal((tcp.answers?.[0] as { data: string }).data, '10.0.0.10');
    await assert.rejects(resolver.resolve4('nope.default.svc.cluster.local'), { code: 'ENOTFOUND' });
    const nx = await queryTcp(dns.port, 'nope.default.svc.cluster.local');
    assert.equal(rcode(nx), 'NXDOMAIN');
    assert.equal(nx.authorities?.[0]?.type, 'SOA');
  });

  it('serves k8s_external zones only after coredns-custom changes AND a rollout restart', async () => {
    const ip = await lbIp();
    await assert.rejects(resolver.resolve4('backend.default.internal.example'), { code: 'ENOTFOUND' });
    await c.core.patchNamespacedConfigMap(
      {
        name: 'coredns-custom',
        namespace: 'kube-system',
        body: {
          data: {
            'private-wire.override': 'k8s_external internal.example {\n    ttl 7\n}\n',
            'notes.override': '# k8s_external ignored.example\nlog\n',
            'other.server': 'example.org:53 {\n  k8s_external server-block.example\n}\n',
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(resolver.resolve4('backend.default.internal.example'), { code: 'ENOTFOUND' }, 'config not reloaded without a restart');

    const reloads = dns.reloads();
    await c.apps.patchNamespacedDeployment(
      { name: 'coredns', namespace: 'kube-system', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await until(() => (dns.reloads() > reloads ? true : undefined));
    const [rec] = await resolver.resolve4('backend.default.internal.example', { ttl: true });
    assert.deepEqual(rec, { address: ip, ttl: 7 });
    const tcp = await queryTcp(dns.port, 'backend.default.internal.example');
    assert.equal((tcp.answers?.[0] as { data: string }).data, ip);
    assert.deepEqual(dns.zones().flatMap((z) => z.zones), ['internal.example'], 'comments and .server keys are not k8s_external overrides');
    await assert.rejects(resolver.resolve4('missing.default.internal.example'), { code: 'ENOTFOUND' });
    const apex = await queryTcp(dns.port, 'internal.example', 'SOA');
    assert.equal(apex.answers?.[0]?.type, 'SOA');
    assert.equal(server.rollouts.restartCount('kube-system', 'coredns'), 1);
  });

  it('a ClusterIP service has no external answer', async () => {
    await c.core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'plain' }, spec: { ports: [{ port: 80 }] } } });
    await assert.rejects(resolver.resolve4('plain.default.internal.example'), { code: 'ENOTFOUND' });
    assert.equal((await resolver.resolve4('plain.default.svc.cluster.local')).length, 1);
  });
});
