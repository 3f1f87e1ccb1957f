// Azure Front Door Standard/Premium (Microsoft.Cdn, afdx.json 2025-09-01) in the stand-in: profiles,
// origin groups and origins; a private origin's Pending request on its target from Front Door's
// own subscription, with the request message as its description; the origin's status following
// the target owner's decision; one shared request per (profile, resource, group ID, location).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FRONT_DOOR_SUBSCRIPTION } from '../src/arm/cdn';
import { fetchArm, world } from './helpers';

const API = '2025-09-01';
type Connection = { id: string; properties: { privateEndpoint: { id: string }; privateLinkServiceConnectionState: { status: string; description: string } } };
type Origin = { id: string; type: string; properties: { originGroupName: string; provisioningState: string; sharedPrivateLinkResource: null | { privateLink: { id: string }; requestMessage: string; privateLinkLocation: string; status: string } } };

describe('ARM Microsoft.Cdn (Front Door profiles, origin groups, origins)', () => {
  let w: Awaited<ReturnType<typeof world>>;
  before(async () => (w = await world({ pageSize: 2 })));
  after(() => w.e.stop());

  const profilePath = (name: string) => `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Cdn/profiles/${name}`;
  /** PUT, then poll its Azure-AsyncOperation until done; returns the PUT's status and body. */
  const put = async (path: string, body: unknown) => {
    const res = await fetchArm(w, 'PUT', `${path}?api-version=${API}`, body);
    const answer = { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    const op = String(res.headers['azure-asyncoperation'] ?? '');
    for (let i = 0; op && i < 200; i++) {
      if (((await (await fetchArm(w, 'GET', op)).json()) as { status: string }).status !== 'InProgress') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    return answer;
  };
  const get = async <T>(path: string) => (await (await fetchArm(w, 'GET', `${path}?api-version=${API}`)).json()) as T;
  const connectionsOn = async (targetId: string) => {
    const out: Connection[] = [];
    for (let next: string | undefined = `${targetId}/privateEndpointConnections?api-version=2023-05-01`; next; ) {
      const page = (await (await fetchArm(w, 'GET', next)).json()) as { value: Connection[]; nextLink?: string };
      out.push(...page.value);
      next = page.nextLink;
    }
    return out;
  };
  const profile = async (name: string, sku = 'Premium_AzureFrontDoor') => {
    const res = await put(profilePath(name), { location: 'global', sku: { name: sku } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((await put(`${profilePath(name)}/originGroups/og-web`, { properties: { loadBalancingSettings: { sampleSize: 4 } } })).status, 201);
    return profilePath(name);
  };
  const privateOrigin = (targetId: string, requestMessage: string, location = 'westeurope') => ({
    properties: { hostName: 'app.internal', sharedPrivateLinkResource: { privateLink: { id: targetId }, privateLinkLocation: location, requestMessage } },
  });

  it('a private origin makes a Pending request from Front Door, and shows its approval', async () => {
    const target = w.e.seed.storageAccount('rg', 'stfd1').id;
    const p = await profile('afd-1');
    const originPath = `${p}/originGroups/og-web/origins/o-blob`;
    assert.equal((await put(originPath, privateOrigin(target, 'front door afd-1 7f3a'))).status, 201);

    const [connection, ...others] = await connectionsOn(target);
    assert.equal(others.length, 0);
    assert.match(connection!.properties.privateEndpoint.id, new RegExp(`^/subscriptions/${FRONT_DOOR_SUBSCRIPTION}/resourceGroups/[^/]+/providers/Microsoft\\.Network/privateEndpoints/`));
    assert.deepEqual(
      [connection!.properties.privateLinkServiceConnectionState.status, connection!.properties.privateLinkServiceConnectionState.description],
      ['Pending', 'front door afd-1 7f3a'],
    );
    const pending = await get<Origin>(originPath);
    assert.equal(pending.properties.originGroupName, 'og-web');
    assert.equal(pending.properties.provisioningState, 'Succeeded');
    assert.equal(pending.properties.sharedPrivateLinkResource?.status, 'Pending');
    assert.equal(pending.properties.sharedPrivateLinkResource?.privateLink.id.toLowerCase(), target.toLowerCase());

    const approved = await fetchArm(w, 'PUT', `${connection!.id}?api-version=2023-05-01`, { properties: { privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } } });
    assert.equal(approved.status, 200);
    assert.equal((await get<Origin>(originPath)).properties.sharedPrivateLinkResource?.status, 'Approved', "the origin follows the target owner's decision");
    // Re-putting the origin makes no second request.
    await put(originPath, privateOrigin(target, 'front door afd-1 7f3a'));
    assert.equal((await connectionsOn(target)).length, 1);
  });

  it('origins of one profile share one request per resource and location; another location asks again', async () => {
    const target = w.e.seed.storageAccount('rg', 'stfd2').id;
    const p = await profile('afd-2');
    await put(`${p}/originGroups/og-web/origins/o-1`, privateOrigin(target, 'first message'));
    await put(`${p}/originGroups/og-web/origins/o-2`, privateOrigin(target, 'second message'));
    assert.deepEqual((await connectionsOn(target)).map((c) => c.properties.privateLinkServiceConnectionState.description), ['first message']);
    await put(`${p}/originGroups/og-web/origins/o-3`, privateOrigin(target, 'north message', 'northeurope'));
    assert.equal((await connectionsOn(target)).length, 2);
    // Lists page (page size 2 here) and carry the origin's status.
    const first = await get<{ value: Origin[]; nextLink?: string }>(`${p}/originGroups/og-web/origins`);
    assert.equal(first.value.length, 2);
    assert.ok(first.nextLink, 'a third origin is on the next page');
    const second = (await (await fetchArm(w, 'GET', first.nextLink!)).json()) as { value: Origin[] };
    assert.deepEqual(second.value.map((o) => o.properties.sharedPrivateLinkResource?.status), ['Pending']);
  });

  it('deleting the profile removes its requests; deleting one of two sharing origins keeps the request', async () => {
    const target = w.e.seed.storageAccount('rg', 'stfd3').id;
    const p = await profile('afd-3');
    await put(`${p}/originGroups/og-web/origins/o-1`, privateOrigin(target, 'm'));
    await put(`${p}/originGroups/og-web/origins/o-2`, privateOrigin(target, 'm'));
    assert.equal((await fetchArm(w, 'DELETE', `${p}/originGroups/og-web/origins/o-1?api-version=${API}`)).status, 200);
    assert.equal((await connectionsOn(target)).length, 1, 'o-2 still uses the shared endpoint');
    assert.equal((await fetchArm(w, 'DELETE', `${p}?api-version=${API}`)).status, 200);
    assert.deepEqual(await connectionsOn(target), []);
  });

  it('refuses an origin without hostName, a private origin on a Standard profile, and an unknown target', async () => {
    const target = w.e.seed.storageAccount('rg', 'stfd4').id;
    const premium = await profile('afd-4');
    assert.equal((await put(`${premium}/originGroups/og-web/origins/o-x`, { properties: { httpsPort: 443 } })).status, 400);
    const missing = `${target.replace('stfd4', 'nosuchaccount')}`;
    assert.equal((await put(`${premium}/originGroups/og-web/origins/o-y`, privateOrigin(missing, 'm'))).status, 400);
    const standard = await profile('afd-std', 'Standard_AzureFrontDoor');
    assert.equal((await put(`${standard}/originGroups/og-web/origins/o-z`, privateOrigin(target, 'm'))).status, 400);
    assert.deepEqual(await connectionsOn(target), [], 'no refused origin made a request');
    assert.equal((await put(profilePath('afd-nosku'), { location: 'global' })).status, 400);
    const profileBody = await get<{ sku: { name: string }; kind: string; properties: { frontDoorId: string } }>(premium);
    assert.deepEqual([profileBody.sku.name, profileBody.kind], ['Premium_AzureFrontDoor', 'frontdoor']);
    assert.ok(profileBody.properties.frontDoorId);
  });

  it('the seeder makes the same request as the ARM handlers', async () => {
    const target = w.e.seed.storageAccount('rg', 'stfd5').id;
    const p = w.e.seed.frontDoorProfile('rg', 'afd-seeded');
    w.e.seed.frontDoorOrigin(p.id, 'og', 'o-seeded', { targetId: target, requestMessage: 'seeded message' });
    const [connection] = await connectionsOn(target);
    assert.equal(connection!.properties.privateLinkServiceConnectionState.description, 'seeded message');
    const origin = await get<Origin>(`${p.id}/originGroups/og/origins/o-seeded`);
    assert.equal(origin.properties.sharedPrivateLinkResource?.status, 'Pending');
  });
});
