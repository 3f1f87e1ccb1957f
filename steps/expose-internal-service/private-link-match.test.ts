import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choosePrivateLinkService, needsIpMatch, ownedCandidates, parseFrontendId, type ChooseQuery, type PlsCandidate } from './private-link-match';

const SUB = '00000000-0000-0000-0000-000000000001';
const fe = (rg: string, name: string) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Network/loadBalancers/kubernetes-internal/frontendIPConfigurations/${name}`;
// Two AKS clusters: both tag their PLS k8s-azure-cluster-name=kubernetes, as AKS does.
const pls = (name: string, rg: string, owner: string, frontend: string): PlsCandidate => ({
  id: `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Network/privateLinkServices/${name}`,
  name,
  tags: { 'k8s-azure-cluster-name': 'kubernetes', 'k8s-azure-owner-service': owner },
  frontendIds: [frontend],
});
const a = pls('pls-web', 'MC_rg_a_westeurope', 'default/web', fe('MC_rg_a_westeurope', 'aweb'));
const b = pls('pls-web', 'MC_rg_b_westeurope', 'default/web', fe('MC_rg_b_westeurope', 'bweb'));
// A PLS in a shared resource group (pls-resource-group) still references its cluster's load balancer.
const shared = pls('pls-web-shared', 'rg-shared', 'default/web', fe('MC_rg_b_westeurope', 'bweb2'));
const other = pls('pls-api', 'MC_rg_a_westeurope', 'default/api', fe('MC_rg_a_westeurope', 'aapi'));
const all = [a, b, shared, other];
const query = (over: Partial<ChooseQuery> = {}): ChooseQuery => ({ owner: 'default/web', where: `subscription ${SUB}`, frontendIps: new Map(), inputName: (n) => n, ...over });

test('a frontend ID is split into its subscription, group, load balancer and name', () => {
  assert.deepEqual(parseFrontendId(fe('MC_x', 'f1')), { subscriptionId: SUB, resourceGroup: 'MC_x', loadBalancer: 'kubernetes-internal', name: 'f1' });
  assert.equal(parseFrontendId('/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateLinkServices/p'), undefined);
});

test('the owner tag, the name and the node resource group (of the frontend, not of the PLS) narrow the candidates', () => {
  assert.deepEqual(ownedCandidates(all, { owner: 'default/web' }), [a, b, shared]);
  assert.deepEqual(ownedCandidates(all, { owner: 'default/web', name: 'PLS-WEB' }), [a, b]);
  assert.deepEqual(ownedCandidates(all, { owner: 'default/web', nodeResourceGroup: 'mc_rg_b_westeurope' }), [b, shared]);
  assert.deepEqual(ownedCandidates(all, { owner: 'default/web', name: 'pls-web', nodeResourceGroup: 'MC_rg_a_westeurope' }), [a]);
});

test('with the node resource group known, one candidate is the answer without reading IPs', () => {
  assert.equal(needsIpMatch([a], 'MC_rg_a_westeurope'), false);
  assert.deepEqual(choosePrivateLinkService([a], query({ nodeResourceGroup: 'MC_rg_a_westeurope' })), { found: a });
});

test('without the cluster, even a single candidate must be on a frontend with the Service IP', () => {
  assert.equal(needsIpMatch([b], undefined), true);
  const ips = new Map([[b.frontendIds[0]!.toLowerCase(), '10.224.0.7']]);
  assert.deepEqual(choosePrivateLinkService([b], query({ ip: '10.224.0.7', frontendIps: ips })), { found: b });
  const miss = choosePrivateLinkService([b], query({ ip: '10.224.0.9', frontendIps: ips }));
  assert.ok('problem' in miss && /none of the Private Link Services tagged k8s-azure-owner-service=default\/web .* is on a load balancer frontend with the Service's IP 10\.224\.0\.9/.test(miss.problem), JSON.stringify(miss));
  const noIp = choosePrivateLinkService([b], query());
  assert.ok('problem' in noIp && /the Service has no load balancer IP yet.*give 'cluster-resource-group' and 'cluster-name'/.test(noIp.problem), JSON.stringify(noIp));
});

test('the frontend IP picks one of several clusters\' PLSs; several on the same IP ask for the cluster', () => {
  const ips = new Map([
    [a.frontendIds[0]!.toLowerCase(), '10.224.0.7'],
    [b.frontendIds[0]!.toLowerCase(), '10.224.0.8'],
    [shared.frontendIds[0]!.toLowerCase(), '10.224.0.7'],
  ]);
  assert.deepEqual(choosePrivateLinkService([a, b], query({ ip: '10.224.0.8', frontendIps: ips })), { found: b });
  const both = choosePrivateLinkService([a, b, shared], query({ ip: '10.224.0.7', frontendIps: ips }));
  assert.ok('problem' in both && /^2 Private Link Services tagged .* are on frontends with IP 10\.224\.0\.7 \(.*pls-web, .*pls-web-shared\); give 'cluster-resource-group' and 'cluster-name'/.test(both.problem), JSON.stringify(both));
});

test('no candidate says where it looked', () => {
  const none = choosePrivateLinkService([], query({ where: 'resource group MC_rg_a_westeurope', nodeResourceGroup: 'MC_rg_a_westeurope' }));
  assert.deepEqual(none, { problem: 'no Private Link Service tagged k8s-azure-owner-service=default/web on load balancers in node resource group MC_rg_a_westeurope was found in resource group MC_rg_a_westeurope (yet)' });
});
