import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { armOptions, fetchArm, world } from './helpers';

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
        { name: 'third', addressPrefix: '10.0.5.0/26', delegations: ['Microsoft.Web/serverFarms'] },
        { name: 'narrow', addressPrefix: '10.0.6.0/27', delegations: ['Microsoft.Web/serverFarms'] },
        { name: 'tiny', addressPrefix: '10.0.7.0/29', delegations: ['Microsoft.Web/serverFarms'] },
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

  it('shows each api-version only the routing fields it defines, over one setting', async () => {
    const site = (await web.webApps.get('rg', 'app')).id!;
    const get = async (version: string) => ((await (await fetchArm(w, 'GET', `${site}?api-version=${version}`)).json()) as { properties: Record<string, unknown> }).properties;
    await web.webApps.updateConfiguration('rg', 'app', { vnetRouteAllEnabled: true });
    // 2024-11-01 and later (arm-appservice 19 speaks 2025-05-01): outboundVnetRouting, no site-level flag.
    assert.equal((await web.webApps.get('rg', 'app')).outboundVnetRouting?.applicationTraffic, true);
    for (const version of ['2024-11-01', '2025-05-01']) {
      const p = await get(version);
      assert.deepEqual(p.outboundVnetRouting, { allTraffic: false, applicationTraffic: true, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false }, version);
      assert.equal('vnetRouteAllEnabled' in p, false, version);
    }
    // 2022-03-01 to 2024-04-01: the site-level vnetRouteAllEnabled, no outboundVnetRouting; before: neither.
    for (const version of ['2022-03-01', '2023-12-01', '2024-04-01']) {
      const p = await get(version);
      assert.equal(p.vnetRouteAllEnabled, true, version);
      assert.equal('outboundVnetRouting' in p, false, version);
    }
    const old = await get('2021-03-01');
    assert.equal('vnetRouteAllEnabled' in old || 'outboundVnetRouting' in old, false);
    assert.equal((old.siteConfig as Record<string, unknown>).vnetRouteAllEnabled, true, 'siteConfig has it in every version');
  });

  it('applies a routing write only in a version that defines the field, and keeps the three names equal', async () => {
    const site = (await web.webApps.get('rg', 'app')).id!;
    const patch = (version: string, properties: Record<string, unknown>) => fetchArm(w, 'PATCH', `${site}?api-version=${version}`, { properties });
    const routeAll = async () => (await web.webApps.getConfiguration('rg', 'app')).vnetRouteAllEnabled;
    assert.equal(await routeAll(), true);
    // Fields the version does not define are ignored (the write succeeds, the setting stays).
    assert.equal((await patch('2024-04-01', { outboundVnetRouting: { applicationTraffic: false } })).status, 200);
    assert.equal((await patch('2025-05-01', { vnetRouteAllEnabled: false })).status, 200);
    assert.equal(await routeAll(), true);
    assert.equal('outboundVnetRouting' in (((await (await patch('2024-04-01', {})).json()) as { properties: object }).properties), false, 'a write answers in its own version too');
    // The field the version defines is applied, and every version sees it.
    assert.equal((await patch('2024-04-01', { vnetRouteAllEnabled: false })).status, 200);
    assert.equal(await routeAll(), false);
    assert.equal((await web.webApps.get('rg', 'app')).outboundVnetRouting?.applicationTraffic, false);
    assert.equal((await patch('2025-05-01', { outboundVnetRouting: { allTraffic: true, applicationTraffic: true }, dnsConfiguration: { dnsServers: ['10.0.0.10'] } })).status, 200);
    const stored = w.e.store.get(site)!.properties!;
    assert.deepEqual(stored.outboundVnetRouting, { allTraffic: true, applicationTraffic: true, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false });
    assert.equal(stored.vnetRouteAllEnabled, true);
    assert.equal(await routeAll(), true);
    assert.deepEqual((await web.webApps.get('rg', 'app')).dnsConfiguration?.dnsServers, ['10.0.0.10']);
    // A PATCH of one flag keeps the others (JSON merge).
    await patch('2025-05-01', { outboundVnetRouting: { allTraffic: false } });
    assert.deepEqual((w.e.store.get(site)!.properties!.outboundVnetRouting as Record<string, boolean>).applicationTraffic, true);
  });

  it('enforces the VNet integration rules', async () => {
    const freePlan = w.e.seed.plan('rg', 'free', { sku: 'F1' }).id;
    w.e.seed.site('rg', 'free-app', freePlan);
    const otherPlan = w.e.seed.plan('rg', 'other', { sku: 'S1' }).id;
    w.e.seed.site('rg', 'other-app', otherPlan);
    w.e.seed.site('rg', 'twin', planId);
    w.e.seed.site('rg', 'triplet', planId);
    w.e.seed.resourceGroup('us', 'eastus');
    const { subnets } = w.e.seed.vnet('us', 'us-vnet', { subnets: [{ name: 'web', addressPrefix: '10.0.0.0/26', delegations: ['Microsoft.Web/serverFarms'] }] });
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
    assert.match(await message('other-app', subnetIds.tiny!), /too small for App Service VNet integration, which requires an IPv4 \/28 block or larger/);
    assert.match(await message('other-app', subnets[0]!.id), /same region/);
    assert.match(await message('free-app', subnetIds.second!), /not supported for App Service plans in the Free tier/);
    // Multi-plan subnet join: another plan of the subscription may share a /26, not a /27.
    assert.equal(await message('app', subnetIds.narrow!), 'succeeded');
    assert.match(await message('other-app', subnetIds.narrow!), /in use by App Service plan .*\/plan\. Several App Service plans can share a subnet only when it is \/26 or larger/);
    assert.equal(await message('other-app', subnetIds.integration!), 'succeeded');
    // A plan spans at most two subnets: app (narrow → integration) and twin (second), then triplet is refused.
    assert.equal(await message('app', subnetIds.integration!), 'succeeded');
    assert.equal(await message('twin', subnetIds.second!), 'succeeded');
    assert.match(await message('triplet', subnetIds.third!), /^Adding this VNET would exceed the App Service Plan VNET limit of 2$/);
    assert.equal(await message('triplet', subnetIds.integration!), 'succeeded', "another app of the plan joins one of the plan's subnets");
  });

  it('refuses to share a subnet with a plan of another subscription', async () => {
    const sub2 = '00000000-0000-4000-8000-0000000000b2';
    w.e.seed.resourceGroup('rg2', 'westeurope', sub2);
    const foreign = w.e.seed.site('rg2', 'far-app', w.e.seed.plan('rg2', 'far-plan', { subscriptionId: sub2 }).id, { subscriptionId: sub2 });
    const res = await fetchArm(w, 'PUT', `${foreign.id}/networkConfig/virtualNetwork?api-version=2025-05-01`, { properties: { subnetResourceId: subnetIds.integration } });
    assert.equal(res.status, 409);
    assert.match(JSON.stringify(await res.json()), /in use by App Service plan .* in another subscription\. App Service plans can share a subnet only when they are in the same subscription/);
  });

  it('removes the integration and the serviceAssociationLink when the last app leaves; while another plan uses the subnet, the link is to that plan', async () => {
    const link = () => (w.e.store.get(subnetIds.integration!)!.properties!.serviceAssociationLinks as { properties: { link: string } }[]).map((l) => l.properties.link);
    await web.webApps.deleteSwiftVirtualNetwork('rg', 'triplet');
    await web.webApps.deleteSwiftVirtualNetwork('rg', 'app');
    assert.equal((await web.webApps.get('rg', 'app')).virtualNetworkSubnetId ?? null, null);
    assert.deepEqual(link(), [w.e.store.get(`${planId.replace(/plan$/, 'other')}`)!.id], 'the other plan still uses the subnet');
    await web.webApps.deleteSwiftVirtualNetwork('rg', 'other-app');
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
