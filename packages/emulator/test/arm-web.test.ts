import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { armCode, armOptions, fetchArm, world } from './helpers';

describe('ARM Microsoft.Web through @azure/arm-appservice', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let web: WebSiteManagementClient;
  let planId: string;
  let subnetIds: Record<string, string>;
  before(async () => {
    w = await world();
    web = new WebSiteManagementClient(w.credential, w.e.subscriptionId, armOptions(w.e));
    const { subnets } = w.e.seed.vnet('rg', 'vnet', {
      addressPrefixes: ['10.0.0.0/16'],
      subnets: [
        { name: 'integration', addressPrefix: '10.0.1.0/26', delegations: ['Microsoft.Web/serverFarms'] },
        { name: 'plain', addressPrefix: '10.0.2.0/26' },
        { name: 'aci', addressPrefix: '10.0.3.0/26', delegations: ['Microsoft.ContainerInstance/containerGroups'] },
        { name: 'second', addressPrefix: '10.0.4.0/26', delegations: ['Microsoft.Web/serverFarms'] },
      ],
    });
    subnetIds = Object.fromEntries(subnets.map((s) => [s.name, s.id]));
    planId = w.e.seed.plan('rg', 'plan', { sku: 'P1v3' }).id;
    w.e.seed.site('rg', 'app', planId, { appSettings: { A: '1', B: '2' }, slotSettingNames: ['A'], slots: ['staging'] });
  });
  after(() => w.e.stop());

  it('lists and replaces app settings (POST list / PUT replaces the whole dictionary)', async () => {
    const listed = await web.webApps.listApplicationSettings('rg', 'app');
    assert.deepEqual(listed.properties, { A: '1', B: '2' });
    await web.webApps.updateApplicationSettings('rg', 'app', { properties: { A: '1', C: '3' } });
    assert.deepEqual((await web.webApps.listApplicationSettings('rg', 'app')).properties, { A: '1', C: '3' });
    const slot = await web.webApps.listApplicationSettingsSlot('rg', 'app', 'staging');
    assert.deepEqual(slot.properties, {});
    const names = await web.webApps.listSlotConfigurationNames('rg', 'app');
    assert.deepEqual(names.appSettingNames, ['A']);
    await web.webApps.updateSlotConfigurationNames('rg', 'app', { appSettingNames: ['A', 'C'] });
    assert.deepEqual((await web.webApps.listSlotConfigurationNames('rg', 'app')).appSettingNames, ['A', 'C']);
  });

  it('seeds sites and slots exactly as a PUT of what GET returns stores them (steps cannot tell them apart)', async () => {
    const id = `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/app`;
    for (const resource of [id, `${id}/slots/staging`]) {
      const seeded = w.e.store.get(resource)!;
      const got = await (await fetchArm(w, 'GET', `${resource}?api-version=2024-04-01`)).json();
      assert.equal((await fetchArm(w, 'PUT', `${resource}?api-version=2024-04-01`, got)).status, 200);
      const stored = w.e.store.get(resource)!;
      assert.notEqual(stored.etag, seeded.etag);
      assert.deepEqual({ ...stored, etag: undefined }, { ...seeded, etag: undefined });
    }
  });

  it('refuses GET on config/appsettings (secrets only via POST .../list)', async () => {
    const site = w.e.store.get(`/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/app`)!;
    const res = await fetchArm(w, 'GET', `${site.id}/config/appsettings?api-version=2023-12-01`);
    assert.equal(res.status, 405);
  });

  it('integrates the app with a delegated subnet and adds the serviceAssociationLink', async () => {
    const swift = await web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck('rg', 'app', { subnetResourceId: subnetIds.integration });
    assert.equal(swift.subnetResourceId, subnetIds.integration);
    const site = await web.webApps.get('rg', 'app');
    assert.equal(site.virtualNetworkSubnetId, subnetIds.integration);
    const subnet = w.e.store.get(subnetIds.integration!)!;
    const sal = (subnet.properties!.serviceAssociationLinks as { properties: { link: string } }[])[0]!;
    assert.equal(sal.properties.link, planId);
    const conns = await web.webApps.listVnetConnections('rg', 'app');
    assert.equal(conns.length, 1);
    assert.equal(conns[0]!.isSwift, true);
  });

  it('keeps vnetRouteAllEnabled, siteConfig and outboundVnetRouting.applicationTraffic in step', async () => {
    await web.webApps.updateConfiguration('rg', 'app', { vnetRouteAllEnabled: true });
    const site = await web.webApps.get('rg', 'app');
    // arm-appservice 19 models the site-level flag only as outboundVnetRouting; the raw resource keeps both.
    assert.equal(w.e.store.get(site.id!)!.properties!.vnetRouteAllEnabled, true);
    assert.equal(site.outboundVnetRouting?.applicationTraffic, true);
    assert.equal((await web.webApps.getConfiguration('rg', 'app')).vnetRouteAllEnabled, true);
    // SitePatchResource in arm-appservice 19 has no outboundVnetRouting/dnsConfiguration, so PATCH raw.
    const patch = await fetchArm(w, 'PATCH', `${site.id}?api-version=2024-04-01`, { properties: { outboundVnetRouting: { applicationTraffic: false }, dnsConfiguration: { dnsServers: ['10.0.0.10'] } } });
    assert.equal(patch.status, 200);
    assert.equal((await web.webApps.getConfiguration('rg', 'app')).vnetRouteAllEnabled, false);
    assert.deepEqual((await web.webApps.get('rg', 'app')).dnsConfiguration?.dnsServers, ['10.0.0.10']);
  });

  it('enforces the VNet integration rules', async () => {
    const freePlan = w.e.seed.plan('rg', 'free', { sku: 'F1' }).id;
    w.e.seed.site('rg', 'free-app', freePlan);
    const otherPlan = w.e.seed.plan('rg', 'other', { sku: 'S1' }).id;
    w.e.seed.site('rg', 'other-app', otherPlan);
    w.e.seed.site('rg', 'twin', planId);
    w.e.seed.resourceGroup('us', 'eastus');
    const { subnets } = w.e.seed.vnet('us', 'us-vnet', { subnets: [{ name: 'web', addressPrefix: '10.0.0.0/26', delegations: ['Microsoft.Web/serverFarms'] }] });
    const swift = (app: string, subnet: string) => armCode(web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck('rg', app, { subnetResourceId: subnet }));
    const message = async (app: string, subnet: string) => {
      try {
        await web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck('rg', app, { subnetResourceId: subnet });
      } catch (e) {
        return (e as Error).message;
      }
      return 'succeeded';
    };
    assert.match(await message('other-app', subnetIds.plain!), /missing a delegation to Microsoft.Web\/serverFarms/);
    assert.match(await message('other-app', subnetIds.aci!), /delegated to Microsoft.ContainerInstance/);
    assert.match(await message('other-app', subnetIds.integration!), /already in use by another App Service plan/);
    assert.match(await message('other-app', subnets[0]!.id), /same region/);
    assert.match(await message('free-app', subnetIds.second!), /not supported for App Service plans in the Free tier/);
    assert.match(await message('twin', subnetIds.second!), /exceed the App Service Plan VNET limit of 1/);
    // Another app of the same plan may join the plan's subnet.
    const joined = await web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck('rg', 'twin', { subnetResourceId: subnetIds.integration });
    assert.equal(joined.subnetResourceId, subnetIds.integration);
    void swift;
  });

  it('removes the integration and the serviceAssociationLink when the last app leaves', async () => {
    await web.webApps.deleteSwiftVirtualNetwork('rg', 'twin');
    await web.webApps.deleteSwiftVirtualNetwork('rg', 'app');
    assert.equal((await web.webApps.get('rg', 'app')).virtualNetworkSubnetId ?? null, null);
    assert.deepEqual(w.e.store.get(subnetIds.integration!)!.properties!.serviceAssociationLinks, []);
  });

  it('approves a private endpoint connection on the site (long-running PUT)', async () => {
    const site = w.e.store.get(`/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/app`)!;
    const { connection } = w.e.seed.privateEndpointRequest(site.id, { groupIds: ['sites'] });
    const list = [];
    for await (const c of web.webApps.listPrivateEndpointConnectionList('rg', 'app')) list.push(c);
    assert.equal(list[0]!.privateLinkServiceConnectionState?.status, 'Pending');
    const approved = await web.webApps.beginApproveOrRejectPrivateEndpointConnectionAndWait('rg', 'app', connection.name, { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } }, { updateIntervalInMs: 5 });
    assert.equal(approved.privateLinkServiceConnectionState?.status, 'Approved');
  });
});
