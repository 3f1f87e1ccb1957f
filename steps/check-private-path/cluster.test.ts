import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiServerFindings, corednsFindings, notCheckedOnCluster, serviceFindings, servedByKey } from './cluster';
import { healthyWorld } from './fixture';
import type { ServiceView, World } from './world';

const ids = (fs: { id: string; severity: string }[]) => fs.map((f) => `${f.severity} ${f.id}`);
const ilb = (change: Partial<ServiceView> = {}): ServiceView => ({ type: 'LoadBalancer', internal: true, clusterIP: '10.0.12.7', loadBalancerIps: ['10.224.0.60'], ports: [{ port: 80, protocol: 'TCP' }], ...change });
const withService = (svc: ServiceView | undefined, change: (w: World) => void = () => {}) =>
  healthyWorld((w) => {
    w.service = { name: 'api', namespace: 'shop', port: 80 };
    w.kube = { read: true, service: svc, corednsCustom: {} };
    change(w);
  });
const denyPort80 = (w: World) => {
  w.nsg = { id: '/nsg', name: 'web-nsg', rules: [{ name: 'deny-80', priority: 150, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', sourcePrefixes: ['*'], destinationPrefixes: ['*'], destinationPorts: ['80'] }], defaultRules: [] };
};

test('an internal load balancer Service in the VNet with the port: no finding', () => {
  assert.deepEqual(serviceFindings(withService(ilb())), []);
  assert.deepEqual(serviceFindings(withService(ilb(), (w) => { w.kube = undefined; })), [], 'nothing read: nothing to judge');
});

test('service-not-found, service-port-missing, service-ip-pending, service-lb-public', () => {
  assert.deepEqual(ids(serviceFindings(withService(undefined))), ['warning service-not-found']);
  assert.match(serviceFindings(withService(undefined))[0]!.message, /Service shop\/api does not exist in cluster 'aks1'/);
  const port = serviceFindings(withService(ilb({ ports: [{ port: 8080, protocol: 'TCP' }] })));
  assert.deepEqual(ids(port), ['error service-port-missing']);
  assert.match(port[0]!.message, /has no port 80 \(its ports: 8080\/TCP\)/);
  assert.deepEqual(ids(serviceFindings(withService(ilb({ loadBalancerIps: [] })))), ['warning service-ip-pending']);
  assert.deepEqual(ids(serviceFindings(withService(ilb({ internal: false })))), ['warning service-lb-public']);
});

test('a ClusterIP-only Service: kubenet/overlay never reach cluster or pod IPs; flat CNI reaches pods only', () => {
  const overlay = serviceFindings(withService(ilb({ type: 'ClusterIP', loadBalancerIps: [] })));
  assert.deepEqual(ids(overlay), ['warning service-not-internal-lb']);
  assert.match(overlay[0]!.message, /is of type ClusterIP \(ClusterIP 10\.0\.12\.7\), not an internal load balancer: .*with azure \(overlay\) the web app can never reach pod or cluster IPs/);
  const kubenet = serviceFindings(withService(ilb({ type: 'ClusterIP' }), (w) => { w.cluster.networkPlugin = 'kubenet'; w.cluster.networkPluginMode = undefined; }));
  assert.match(kubenet[0]!.message, /with kubenet the web app can never reach pod or cluster IPs/);
  const flat = serviceFindings(withService(ilb({ type: 'ClusterIP' }), (w) => { w.cluster.networkPluginMode = undefined; }));
  assert.match(flat[0]!.message, /with flat Azure CNI pod IPs are reachable but change with every pod/);
});

test('the Service IP outside every subnet and peering, and the NSG verdict for its port', () => {
  const outside = serviceFindings(withService(ilb({ loadBalancerIps: ['172.16.0.9'] })));
  assert.deepEqual(ids(outside), ['warning service-ip-outside-vnet']);
  const denied = serviceFindings(withService(ilb(), denyPort80));
  assert.deepEqual(ids(denied), ['error nsg-blocks-service']);
  assert.match(denied[0]!.message, /NSG 'web-nsg' on subnet 'web' denies TCP 80 from the web app to 10\.224\.0\.60 \(Service shop\/api\): rule 'deny-80' \(priority 150\) matches first\./);
  assert.deepEqual(serviceFindings(withService(ilb({ ports: [{ port: 443, protocol: 'TCP' }] }), (w) => { denyPort80(w); w.service!.port = undefined; })), [], 'no port given: the Service\'s own ports are checked');
});

test('coredns-custom: the k8s_external zone of an .override key matches; missing or another zone is a finding', () => {
  const zoned = (data: Record<string, string> | undefined) => healthyWorld((w) => { w.kube = { read: true, corednsCustom: data }; });
  assert.deepEqual(corednsFindings(zoned({ 'private-wire-k8s-external.override': 'k8s_external svc.example.internal {\n  ttl 30\n}\n' })), []);
  assert.deepEqual(corednsFindings(zoned({ 'x.override': '# k8s_external other\nk8s_external a.example SVC.example.internal.' })), [], 'several zones, case and a trailing dot');
  assert.deepEqual(ids(corednsFindings(zoned(undefined))), ['warning coredns-zone-missing']);
  assert.match(corednsFindings(zoned(undefined))[0]!.message, /coredns-custom does not exist: CoreDNS does not answer names under 'svc\.example\.internal'/);
  assert.deepEqual(ids(corednsFindings(zoned({ 'x.override': '# k8s_external svc.example.internal' }))), ['warning coredns-zone-missing'], 'a comment serves nothing');
  const other = corednsFindings(zoned({ 'a.override': 'k8s_external old.example.internal', 'b.server': 'svc.example.internal:53 {\n  forward . 10.1.1.1\n}' }));
  assert.deepEqual(ids(other), ['warning coredns-zone-mismatch']);
  assert.match(other[0]!.message, /serves k8s_external old\.example\.internal \(key a\.override\), server block svc\.example\.internal \(key b\.server\), but not k8s_external 'svc\.example\.internal'/);
  assert.deepEqual(servedByKey('c.server', 'k8s_external svc.example.internal'), { k8sExternal: [], serverBlocks: [] }, 'k8s_external only counts in an .override key');
});

test('API server: private cluster, runner outside the authorized ranges, unknown runner and no answer', () => {
  const api = (change: (w: World) => void) => ids(apiServerFindings(healthyWorld(change)));
  assert.deepEqual(api(() => {}), []);
  assert.deepEqual(api((w) => { w.cluster.apiServer.isPrivate = true; }), ['info api-server-private']);
  assert.deepEqual(api((w) => { w.cluster.apiServer.isPrivate = true; w.kube = { read: false, reason: 'reset' }; }), ['warning api-server-private']);
  assert.match(apiServerFindings(healthyWorld((w) => { w.cluster.apiServer.isPrivate = true; }))[0]!.fix, /'private-cluster: true'.*self-hosted agent/);
  const ranges = (w: World) => { w.cluster.apiServer.authorizedRanges = ['20.0.0.0/24', '52.1.1.1']; };
  assert.deepEqual(api((w) => { ranges(w); w.runnerAddress = '20.0.0.9'; }), []);
  assert.deepEqual(api((w) => { ranges(w); w.runnerAddress = '52.1.1.1'; }), [], 'a single address as a range');
  const outside = apiServerFindings(healthyWorld((w) => { ranges(w); w.runnerAddress = '20.81.4.7'; }));
  assert.deepEqual(ids(outside), ['warning api-server-runner-not-authorized']);
  assert.match(outside[0]!.message, /authorized IP ranges \(20\.0\.0\.0\/24, 52\.1\.1\.1\), and this runner's address 20\.81\.4\.7 is not inside them/);
  assert.match(outside[0]!.fix, /aks-api-access/);
  assert.deepEqual(api(ranges), [], 'runner unknown, but the API server answered');
  assert.deepEqual(api((w) => { ranges(w); w.kube = { read: false, reason: 'timeout' }; }), ['warning api-server-runner-not-authorized']);
});

test('cluster-side checks that could not be made are reported as not checked', () => {
  assert.deepEqual(notCheckedOnCluster(healthyWorld()), []);
  const w = healthyWorld((x) => { x.service = { name: 'api', namespace: 'shop' }; x.kube = { read: false, reason: 'The Kubernetes API server at https://x cannot be reached.' }; });
  assert.deepEqual(ids(notCheckedOnCluster(w)), ['warning cluster-not-checked']);
  assert.match(notCheckedOnCluster(w)[0]!.message, /Service shop\/api \(.*\) and the CoreDNS k8s_external zone 'svc\.example\.internal' were not checked: The Kubernetes API server at https:\/\/x cannot be reached\./);
  assert.deepEqual(serviceFindings(w), [], 'and nothing is judged from what was not read');
  assert.deepEqual(corednsFindings(w), []);
});
