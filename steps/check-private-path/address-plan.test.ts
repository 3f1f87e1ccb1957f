import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overlapFindings, pluginFindings, podsOutsideVnet, targetFindings } from './address-plan';
import { healthyWorld } from './fixture';

const ids = (fs: { id: string; severity: string }[]) => fs.map((f) => `${f.severity} ${f.id}`);

test('a healthy address plan: no overlap, the DNS IP in a subnet of the VNet', () => {
  const w = healthyWorld();
  assert.deepEqual([...overlapFindings(w), ...targetFindings(w)], []);
});

test('the integration subnet or the VNet overlapping the service CIDR', () => {
  const subnet = healthyWorld((w) => { w.cluster.serviceCidrs = ['10.225.0.0/24']; });
  assert.deepEqual(ids(overlapFindings(subnet)), ['error subnet-overlaps-service-cidr']);
  assert.match(overlapFindings(subnet)[0]!.message, /10\.225\.0\.0\/26 overlaps the service CIDR 10\.225\.0\.0\/24 of cluster 'aks1'/);
  assert.deepEqual(ids(overlapFindings(healthyWorld((w) => { w.cluster.serviceCidrs = ['10.230.0.0/16']; }))), ['warning vnet-overlaps-service-cidr']);
});

test('the pod CIDR counts only where pods are outside the VNet (kubenet, overlay), not with flat Azure CNI', () => {
  const overlap = (plugin: string, mode?: string) => ids(overlapFindings(healthyWorld((w) => { w.cluster.networkPlugin = plugin; w.cluster.networkPluginMode = mode; w.cluster.podCidrs = ['10.225.0.0/16']; })));
  assert.deepEqual(overlap('kubenet'), ['error subnet-overlaps-pod-cidr']);
  assert.deepEqual(overlap('azure', 'overlay'), ['error subnet-overlaps-pod-cidr']);
  assert.deepEqual(overlap('azure'), []);
  assert.equal(podsOutsideVnet({ name: 'c', networkPlugin: 'azure', podCidrs: [], serviceCidrs: [], nodeSubnetIds: [], apiServer: { authorizedRanges: [], isPrivate: false } }), false);
});

test('the DNS IP: a ClusterIP, a kubenet pod IP, or outside every subnet', () => {
  assert.deepEqual(ids(targetFindings(healthyWorld((w) => { w.dnsIp = '10.0.0.10'; }))), ['error target-in-service-cidr']);
  assert.match(targetFindings(healthyWorld((w) => { w.dnsIp = '10.0.0.10'; }))[0]!.message, /it is the cluster's dnsServiceIP/);
  const kubenet = healthyWorld((w) => { w.cluster.networkPlugin = 'kubenet'; w.cluster.networkPluginMode = undefined; w.dnsIp = '10.244.1.7'; });
  assert.deepEqual(ids(targetFindings(kubenet)), ['error target-is-pod-ip']);
  assert.match(targetFindings(kubenet)[0]!.message, /uses kubenet: its pod IPs are not reachable from the VNet/);
  const flat = healthyWorld((w) => { w.cluster.networkPlugin = 'azure'; w.cluster.networkPluginMode = undefined; w.dnsIp = '10.244.1.7'; });
  assert.deepEqual(ids(targetFindings(flat)), ['warning target-outside-vnet'], 'flat CNI: a podCidr does not apply; the IP is simply in no subnet');
  assert.deepEqual(targetFindings(healthyWorld((w) => { w.dnsIp = undefined; })), []);
});

test('kubenet and overlay say that only internal load balancer Services are reachable', () => {
  assert.deepEqual(ids(pluginFindings(healthyWorld((w) => { w.cluster.networkPlugin = 'kubenet'; w.cluster.networkPluginMode = undefined; }))), ['info pods-not-routable']);
  assert.deepEqual(pluginFindings(healthyWorld((w) => { w.cluster.networkPluginMode = undefined; })), []);
});
