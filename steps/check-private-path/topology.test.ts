import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthyWorld } from './fixture';
import { integrationFindings, planFindings, regionFindings, subnetFindings } from './topology';
import type { World } from './world';

const ids = (fs: { id: string; severity: string }[]) => fs.map((f) => `${f.severity} ${f.id}`);
const all = (w: World) => [...regionFindings(w), ...planFindings(w), ...integrationFindings(w), ...subnetFindings(w)];

test('a healthy topology has no finding', () => {
  assert.deepEqual(ids(all(healthyWorld())), []);
});

test('regions: the VNet and the plan in the web app\'s region (location spellings compared loosely)', () => {
  assert.deepEqual(ids(regionFindings(healthyWorld((w) => { w.vnet.location = 'eastus'; }))), ['error region-mismatch']);
  assert.deepEqual(ids(regionFindings(healthyWorld((w) => { w.webapp.planLocation = 'North Europe'; }))), ['error plan-region-mismatch']);
  assert.deepEqual(ids(regionFindings(healthyWorld((w) => { w.vnet.location = 'West Europe'; }))), []);
});

test('plan tiers without VNet integration', () => {
  for (const tier of ['Free', 'Shared', 'Dynamic']) assert.deepEqual(ids(planFindings(healthyWorld((w) => { w.webapp.planTier = tier; }))), ['error plan-tier-no-vnet'], tier);
  for (const tier of ['Basic', 'Standard', 'PremiumV3', 'ElasticPremium']) assert.deepEqual(planFindings(healthyWorld((w) => { w.webapp.planTier = tier; })), [], tier);
});

test('an integration with another subnet, and a legacy gateway-required one', () => {
  const other = healthyWorld((w) => { w.webapp.subnetId = `${w.vnet.id}/subnets/aks`; });
  assert.deepEqual(ids(integrationFindings(other)), ['error integrated-elsewhere']);
  const same = healthyWorld((w) => { w.webapp.subnetId = `${w.vnet.id}/SUBNETS/WEB`; });
  assert.deepEqual(integrationFindings(same), []);
  assert.deepEqual(ids(integrationFindings(healthyWorld((w) => { w.webapp.legacyVnets = ['/x/old-vnet']; }))), ['warning legacy-gateway-integration']);
});

test('subnet size: /28 minimum, /26 recommended; a planned range is checked the same way', () => {
  const sized = (prefix: string) => ids(subnetFindings(healthyWorld((w) => { w.subnet!.prefixes = [prefix]; })));
  assert.deepEqual(sized('10.225.0.0/29'), ['error subnet-too-small']);
  assert.deepEqual(sized('10.225.0.0/28'), ['warning subnet-small']);
  assert.deepEqual(sized('10.225.0.0/27'), ['warning subnet-small']);
  assert.deepEqual(sized('10.225.0.0/26'), []);
  const planned = (prefix: string) => ids(subnetFindings(healthyWorld((w) => { w.subnet = undefined; w.subnetName = 'new'; w.plannedPrefix = prefix; })));
  assert.deepEqual(planned('10.226.0.0/26'), []);
  assert.deepEqual(planned('10.226.0.0/29'), ['error subnet-too-small']);
  assert.deepEqual(planned('10.0.0.0/26'), ['error subnet-outside-vnet']);
  assert.deepEqual(planned('10.225.0.0/27'), ['warning subnet-small', 'error subnet-overlaps-subnet']);
  assert.deepEqual(ids(subnetFindings(healthyWorld((w) => { w.subnet = undefined; w.subnetName = 'new'; }))), ['error subnet-missing']);
});

test('delegation to another service, an undelegated subnet in use, and other plans on the subnet', () => {
  assert.deepEqual(ids(subnetFindings(healthyWorld((w) => { w.subnet!.delegations = ['Microsoft.ContainerInstance/containerGroups']; }))), ['error subnet-delegated-elsewhere']);
  assert.deepEqual(ids(subnetFindings(healthyWorld((w) => { w.subnet!.delegations = []; w.subnet!.users = ['/nic/ipconfig']; }))), ['error subnet-in-use']);
  assert.deepEqual(subnetFindings(healthyWorld((w) => { w.subnet!.delegations = []; })), [], 'empty and undelegated: the delegation can be added');
  const samePlanSub = (w: World) => w.webapp.planId.replace(/plan$/, 'other-plan');
  assert.deepEqual(subnetFindings(healthyWorld((w) => { w.subnet!.plans = [samePlanSub(w)]; })), [], 'multi-plan subnet join on a /26');
  assert.deepEqual(ids(subnetFindings(healthyWorld((w) => { w.subnet!.prefixes = ['10.225.0.0/27']; w.subnet!.plans = [samePlanSub(w)]; }))), ['warning subnet-small', 'error subnet-used-by-another-plan']);
  assert.deepEqual(ids(subnetFindings(healthyWorld((w) => { w.subnet!.plans = ['/subscriptions/other/resourceGroups/r/providers/Microsoft.Web/serverfarms/p']; }))), ['error subnet-used-by-another-plan']);
});
