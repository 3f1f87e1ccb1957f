// The sites' SCM command API: Kudu's authentication (an ARM token, or basic auth only when the
// site's policy allows it), and nameresolver / tcpping answered from the stand-in's network:
// CoreDNS behind the cluster DNS internal load balancer, a listener behind each internal LB
// Service, only for a site integrated into the VNet and allowed by the integration subnet's NSG.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { CONFIGMAPS, DEPLOYMENTS, SERVICES } from '../src/kube/resources';
import { RESTARTED_AT } from '../src/kube/rollout';
import { seedApp } from '../src/kube/seed';
import { AKS_AAD_SERVER_APP_ID, type Emulator } from '../src/index';
import { world } from './helpers';

type W = Awaited<ReturnType<typeof world>>;
let w: W;
let e: Emulator;
const ZONE = 'svc.example.internal';
const ILB = 'service.beta.kubernetes.io/azure-load-balancer-internal';
const IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

/** POST /api/command to a site's SCM host name (TLS for that name, on the stand-in's port). */
function scm(site: string, command: string, authorization?: string): Promise<{ status: number; body: { Output?: string; Error?: string; ExitCode?: number } | string }> {
  const host = `${site}.scm.azurewebsites.net`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: new URL(e.urls.arm).port, path: '/api/command', method: 'POST', servername: host, ca: e.tls.caPem, headers: { host, 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: res.headers['content-type']?.includes('json') ? JSON.parse(text) : text });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ command, dir: 'site' }));
  });
}
const output = (r: Awaited<ReturnType<typeof scm>>) => (typeof r.body === 'string' ? r.body : `${r.body.Output ?? ''}${r.body.Error ?? ''}`);
let bearer = '';

before(async () => {
  w = await world({ provisioningDelayMs: 5, kube: { loadBalancerDelayMs: 5, rolloutDelayMs: 5 } });
  e = w.e;
  bearer = `Bearer ${(await w.credential.getToken('https://management.azure.com/.default'))!.token}`;
  const { vnet } = e.seed.vnet('rg', 'vnet', {
    addressPrefixes: ['10.224.0.0/12'],
    subnets: [
      { name: 'aks', addressPrefix: '10.224.0.0/16' },
      { name: 'web', addressPrefix: '10.225.0.0/26', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'web-locked', addressPrefix: '10.225.0.64/26', delegations: ['Microsoft.Web/serverFarms'] },
    ],
  });
  e.seed.networkSecurityGroup('rg', 'locked', { subnetIds: [`${vnet.id}/subnets/web-locked`], rules: [{ name: 'deny-8080', priority: 100, access: 'Deny', protocol: 'Tcp', destinationPorts: '8080' }] });
  const plan = e.seed.plan('rg', 'win', { linux: false }).id;
  const windows = { reserved: false };
  e.seed.site('rg', 'app', plan, { properties: { ...windows, virtualNetworkSubnetId: `${vnet.id}/subnets/web`, dnsConfiguration: { dnsServers: ['10.224.0.50'] } }, appSettings: { WEBSITE_DNS_SERVER: '10.224.0.99' } });
  e.seed.site('rg', 'app-setting-dns', plan, { properties: { ...windows, virtualNetworkSubnetId: `${vnet.id}/subnets/web` }, appSettings: { WEBSITE_DNS_SERVER: '10.224.0.50' } });
  e.seed.site('rg', 'app-alone', plan, { properties: windows });
  e.seed.site('rg', 'app-locked', plan, { properties: { ...windows, virtualNetworkSubnetId: `${vnet.id}/subnets/web-locked` } });
  e.seed.site('rg', 'app-linux', e.seed.plan('rg', 'linux').id, { properties: { virtualNetworkSubnetId: `${vnet.id}/subnets/web` } });
  const kube = e.kube!;
  seedApp(kube.api, { name: 'api', type: 'LoadBalancer', port: 8080, annotations: { [ILB]: 'true', [IPV4]: '10.224.0.60' } });
  kube.api.create(SERVICES, 'kube-system', { metadata: { name: 'kube-dns-ilb', annotations: { [ILB]: 'true', [IPV4]: '10.224.0.50' } }, spec: { type: 'LoadBalancer', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } }, { manager: 'test' });
  const cm = kube.store.get(CONFIGMAPS, 'kube-system', 'coredns-custom')!;
  kube.api.replace(CONFIGMAPS, 'kube-system', 'coredns-custom', { ...cm, data: { 'zone.override': `k8s_external ${ZONE}\n` } }, { manager: 'test' });
  const reloads = e.coredns!.reloads();
  const dep = kube.store.get(DEPLOYMENTS, 'kube-system', 'coredns')!;
  const spec = dep['spec'] as { template: { metadata?: { annotations?: Record<string, string> } } };
  kube.api.replace(DEPLOYMENTS, 'kube-system', 'coredns', { ...dep, spec: { ...spec, template: { ...spec.template, metadata: { ...spec.template.metadata, annotations: { [RESTARTED_AT]: new Date().toISOString() } } } } }, { manager: 'test' });
  await until(() => (e.coredns!.reloads() > reloads ? true : undefined));
  await until(() => ((kube.store.get(SERVICES, 'default', 'api')?.['status'] as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress?.length ? true : undefined));
  await until(() => ((kube.store.get(SERVICES, 'kube-system', 'kube-dns-ilb')?.['status'] as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress?.length ? true : undefined));
});

after(() => e?.stop());

describe('authentication', () => {
  test('no credentials, a token for another audience, or basic auth with the policy off: 401; an ARM token: 200', async () => {
    assert.equal((await scm('app', 'echo ok')).status, 401);
    const aks = e.issueAccessToken({ appId: w.app.clientId, objectId: w.app.objectId }, AKS_AAD_SERVER_APP_ID);
    assert.equal((await scm('app', 'echo ok', `Bearer ${aks}`)).status, 401);
    const basic = `Basic ${Buffer.from('$app:pw-1').toString('base64')}`;
    e.store.put({ id: `${e.store.ofType('Microsoft.Web/sites').find((s) => s.name === 'app')!.id}/config/publishingcredentials`, name: 'publishingcredentials', type: 'Microsoft.Web/sites/config', properties: { publishingUserName: '$app', publishingPassword: 'pw-1' } });
    assert.equal((await scm('app', 'echo ok', basic)).status, 401, 'no policy resource: not allowed');
    const siteId = e.store.ofType('Microsoft.Web/sites').find((s) => s.name === 'app')!.id;
    e.store.put({ id: `${siteId}/basicPublishingCredentialsPolicies/scm`, name: 'scm', type: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies', properties: { allow: false } });
    assert.equal((await scm('app', 'echo ok', basic)).status, 401, 'policy off');
    e.store.put({ id: `${siteId}/basicPublishingCredentialsPolicies/scm`, name: 'scm', type: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies', properties: { allow: true } });
    assert.equal((await scm('app', 'echo ok', basic)).status, 200, 'policy on, right credentials');
    assert.equal((await scm('app', 'echo ok', `Basic ${Buffer.from('$app:wrong').toString('base64')}`)).status, 401);
    assert.equal((await scm('app', 'echo ok', bearer)).status, 200);
    assert.equal((await scm('nosuchapp', 'echo ok', bearer)).status, 404);
  });
});

describe('nameresolver and tcpping', () => {
  test('an integrated Windows site resolves through its dnsConfiguration server (over WEBSITE_DNS_SERVER) and connects to the ILB', async () => {
    const dns = await scm('app', `nameresolver api.default.${ZONE}`, bearer);
    assert.match(output(dns), /^Server: 10\.224\.0\.50\r\n[\s\S]*Addresses: \r\n\t10\.224\.0\.60\r\n/);
    assert.match(output(await scm('app-setting-dns', `nameresolver.exe api.default.${ZONE}`, bearer)), /Addresses: \r\n\t10\.224\.0\.60/, 'WEBSITE_DNS_SERVER alone is used');
    assert.match(output(await scm('app', `nameresolver nope.default.${ZONE} 10.224.0.50`, bearer)), /can't find nope\.default\.svc\.example\.internal: Non-existent domain/);
    assert.match(output(await scm('app', `nameresolver api.default.${ZONE} 10.224.0.99`, bearer)), /Request to 10\.224\.0\.99 timed-out/, 'no DNS server at that IP');
    assert.match(output(await scm('app', 'tcpping -n 1 -w 10 10.224.0.60:8080', bearer)), /^Connected to 10\.224\.0\.60:8080, time taken: \d+ms\r\nComplete: 1\/1/);
    assert.match(output(await scm('app', 'tcpping 10.224.0.60:9999', bearer)), /^Connection attempt failed: No connection could be made because the target machine actively refused it 10\.224\.0\.60:9999/);
    assert.match(output(await scm('app', 'tcpping 10.224.0.61:8080', bearer)), /^Connection attempt failed: Connection timed out\./, 'no load balancer at that IP');
  });

  test('a site without integration, or whose NSG denies the port, times out; a Linux site has no such tools', async () => {
    assert.match(output(await scm('app-alone', `nameresolver api.default.${ZONE} 10.224.0.50`, bearer)), /timed-out/);
    assert.match(output(await scm('app-alone', 'tcpping 10.224.0.60:8080', bearer)), /Connection timed out/);
    assert.match(output(await scm('app-locked', 'tcpping 10.224.0.60:8080', bearer)), /Connection timed out/);
    assert.match(output(await scm('app-locked', `nameresolver api.default.${ZONE} 10.224.0.50`, bearer)), /Addresses: \r\n\t10\.224\.0\.60/, 'the NSG denies only 8080');
    const linux = await scm('app-linux', `nameresolver api.default.${ZONE}`, bearer);
    assert.equal(typeof linux.body === 'string' ? -1 : linux.body.ExitCode, 127);
    assert.match(output(linux), /nameresolver: command not found/);
  });
});
