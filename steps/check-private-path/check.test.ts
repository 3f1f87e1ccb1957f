import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preflightFindings } from './check';
import { healthyWorld } from './fixture';
import { DEFAULT_OUTBOUND_RULES } from './nsg';

const ids = (w: Parameters<typeof preflightFindings>[0]) => preflightFindings(w).map((f) => `${f.severity} ${f.id}`);
const withNsg = healthyWorld((w) => { w.nsg = { id: '/nsg', name: 'nsg', rules: [], defaultRules: [...DEFAULT_OUTBOUND_RULES] }; });

test('a healthy world: only what is worth knowing', () => {
  assert.deepEqual(ids(withNsg), ['info pods-not-routable']);
});

test('errors first, then warnings, then infos', () => {
  const w = healthyWorld((x) => { x.vnet.dnsServers = ['10.1.0.4']; x.webapp.planTier = 'Free'; x.dnsIp = undefined; });
  assert.deepEqual(ids(w), ['error plan-tier-no-vnet', 'warning vnet-custom-dns', 'info pods-not-routable', 'info dns-ip-not-checked']);
});

test('a DNS IP the VNet can never reach is one finding: the NSG and routes are not evaluated for it', () => {
  const clusterIp = { ...withNsg, dnsIp: '10.0.0.10' };
  assert.deepEqual(ids(clusterIp), ['error target-in-service-cidr', 'info pods-not-routable']);
  const outside = { ...withNsg, dnsIp: '172.16.0.10' };
  assert.deepEqual(ids(outside), ['error nsg-blocks-dns', 'error nsg-blocks-dns', 'warning target-outside-vnet', 'info pods-not-routable'], 'outside the VNet only a warning: the NSG verdict still counts');
});

test('a Service and a zone given: judged from the cluster when read, said to be not checked when not', () => {
  const service = { name: 'api', namespace: 'default', port: 80 };
  const read = { ...withNsg, service, kube: { read: true as const, service: { type: 'ClusterIP', internal: false, loadBalancerIps: [], ports: [{ port: 80, protocol: 'TCP' }] }, corednsCustom: { 'a.override': 'k8s_external svc.example.internal' } } };
  assert.deepEqual(ids(read), ['warning service-not-internal-lb', 'info pods-not-routable']);
  const unread = { ...withNsg, service, kube: { read: false as const, reason: 'no answer' }, cluster: { ...withNsg.cluster, apiServer: { authorizedRanges: ['20.0.0.0/24'], isPrivate: false } } };
  assert.deepEqual(ids(unread), ['warning api-server-runner-not-authorized', 'warning cluster-not-checked', 'info pods-not-routable']);
});
