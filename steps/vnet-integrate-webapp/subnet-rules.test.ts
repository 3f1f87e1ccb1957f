import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Subnet, VirtualNetwork } from '@azure/arm-network';
import { UserError } from '@private-wire/shared/errors';
import { checkExistingSubnet, checkNewSubnet, checkSubnetName, parseSubnetPrefix } from './subnet-rules';

const names = { subnet: 'subnet', subnetPrefix: 'subnet-prefix', vnet: 'vnet', webapp: 'webapp' };
const PLAN = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan';
const web = [{ name: 'Microsoft.Web.serverFarms', serviceName: 'Microsoft.Web/serverFarms' }];

test('subnet names and prefixes as ARM and App Service take them', () => {
  assert.doesNotThrow(() => checkSubnetName('webapp-integration_1', 'subnet'));
  assert.throws(() => checkSubnetName('-web', 'subnet'), /not a valid subnet name/);
  assert.throws(() => checkSubnetName('AzureBastionSubnet', 'subnet'), /a name Azure reserves/);
  assert.equal(parseSubnetPrefix('10.0.4.0/26', 'p').canonical, '10.0.4.0/26');
  assert.throws(() => parseSubnetPrefix('10.0.4.1/26', 'p'), (e: unknown) => e instanceof UserError && /host bits set\. Use the range's first address: 10\.0\.4\.0\/26\./.test(e.toDisplayString()));
  assert.throws(() => parseSubnetPrefix('10.0.4.0/29', 'p'), /smaller than \/28/);
  assert.throws(() => parseSubnetPrefix('fd00::/64', 'p'), /an IPv6 range/);
});

test('a new subnet lies inside the VNet and clear of the others', () => {
  const vnet: VirtualNetwork = { name: 'vnet', addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'aks', addressPrefix: '10.0.0.0/22' }] };
  assert.doesNotThrow(() => checkNewSubnet(vnet, 'web', parseSubnetPrefix('10.0.8.0/26', 'p'), names));
  assert.throws(() => checkNewSubnet(vnet, 'web', parseSubnetPrefix('10.1.0.0/26', 'p'), names), /outside the address space/);
  assert.throws(() => checkNewSubnet(vnet, 'web', parseSubnetPrefix('10.0.1.0/26', 'p'), names), /overlaps subnet 'aks' \(10\.0\.0\.0\/22\)/);
});

test('an existing subnet: delegated to App Service (nothing to do), empty (delegate it), or refused', () => {
  const warnings: string[] = [];
  const check = (subnet: Subnet) => checkExistingSubnet({ name: 'web', addressPrefix: '10.0.8.0/26', ...subnet }, 'vnet', PLAN, undefined, names, (w) => warnings.push(w));
  assert.equal(check({ delegations: web }), 'nothing');
  assert.equal(check({}), 'delegation');
  assert.throws(() => check({ delegations: [{ serviceName: 'Microsoft.ContainerInstance/containerGroups' }] }), /delegated to Microsoft\.ContainerInstance/);
  assert.throws(() => check({ ipConfigurations: [{ id: '/x/nic/ipconfig' }] }), /is in use \(\/x\/nic\/ipconfig\), so the delegation cannot be added/);
  assert.throws(() => check({ addressPrefix: '10.0.8.0/29' }), /smaller than \/28/);
  assert.equal(check({ addressPrefix: '10.0.8.0/28', delegations: web }), 'nothing');
  assert.match(warnings.at(-1)!, /smaller than \/27/);
  assert.throws(
    () => checkExistingSubnet({ name: 'web', addressPrefix: '10.0.8.0/26' }, 'vnet', PLAN, parseSubnetPrefix('10.0.9.0/26', 'p'), names, () => undefined),
    /already exists in 'vnet' with 10\.0\.8\.0\/26/,
  );
});

test('several plans may share a subnet (multi-plan subnet join) when it is /26 or larger and the plans are in one subscription', () => {
  const link = (plan: string) => ({ delegations: web, serviceAssociationLinks: [{ linkedResourceType: 'Microsoft.Web/serverfarms', link: plan }] });
  const check = (subnet: Subnet) => checkExistingSubnet({ name: 'web', addressPrefix: '10.0.8.0/26', ...subnet }, 'vnet', PLAN, undefined, names, () => undefined);
  assert.equal(check(link(`${PLAN}-other`)), 'nothing', 'another plan of the subscription on a /26');
  assert.equal(check({ ...link(`${PLAN}-other`), addressPrefix: '10.0.8.0/25' }), 'nothing');
  assert.equal(check(link(PLAN)), 'nothing', 'our own plan');
  assert.throws(
    () => check({ ...link(`${PLAN}-other`), addressPrefix: '10.0.8.0/27' }),
    (e: unknown) =>
      e instanceof UserError &&
      /^Input 'subnet' is 'web' \(10\.0\.8\.0\/27\), which App Service plan \/subscriptions\/s\/.*\/plan-other already uses; plans can share a subnet only when it is \/26 or larger\. Choose another subnet, or create one/.test(e.toDisplayString()),
  );
  assert.throws(
    () => check(link('/subscriptions/t/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan')),
    (e: unknown) =>
      e instanceof UserError &&
      /which App Service plan \/subscriptions\/t\/.* already uses, in another subscription than the web app's plan\. Plans can share a subnet only when they are all in one subscription/.test(e.toDisplayString()),
  );
});
