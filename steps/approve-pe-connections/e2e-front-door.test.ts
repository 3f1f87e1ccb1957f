// approve-pe-connections with `front-door`, through its built bundles on both hosts against the
// stand-in: a Front Door origin's request (from Front Door's own subscription) is approved because
// its description is the origin's request message; unknown requesters stay Pending; origins
// without a message or sharing one are warned about; dry-run and re-runs write nothing; bad
// Front Door inputs fail before any write.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { FRONT_DOOR_SUBSCRIPTION as FRONT_DOOR_SUB } from '@private-wire/emulator/arm/cdn';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from '../../test/support/harness';

type LoggedRequest = World['e']['log']['entries'][number];
type Record_ = { id: string; endpoint: string | null; requesterSubscription: string | null; before: string; after: string; frontDoorOrigin?: string; reason?: string };

const STEP = 'approve-pe-connections';
const HOSTILE = randomUUID();
let world: World;

before(async () => {
  world = await startWorld({ provisioningDelayMs: 5, kube: { enabled: false } });
});
after(() => world?.stop());

let counter = 0;
function group(): string {
  const rg = `rg-fd-${++counter}`;
  world.e.seed.resourceGroup(rg);
  return rg;
}

function pls(rg: string): string {
  const { subnets } = world.e.seed.vnet(rg, 'vnet-aks', { subnets: [{ name: 'pls', addressPrefix: '10.0.0.0/24', privateLinkServiceNetworkPolicies: 'Disabled' }] });
  return world.e.seed.privateLinkService(rg, 'pls-ingress', { subnetId: subnets[0]!.id }).id;
}

/** The target's connection from a private endpoint whose subscription is `subscriptionId`. */
function connectionFrom(targetId: string, subscriptionId: string): string {
  const found = world.e.store
    .all()
    .filter((r) => r.id.toLowerCase().startsWith(`${targetId.toLowerCase()}/privateendpointconnections/`))
    .filter((c) => String((c.properties as { privateEndpoint: { id: string } }).privateEndpoint.id).toLowerCase().startsWith(`/subscriptions/${subscriptionId.toLowerCase()}/`));
  assert.equal(found.length, 1, `one connection on ${targetId} from subscription ${subscriptionId}`);
  return found[0]!.id;
}
const FRONT_DOOR_SUBSCRIPTION = () => FRONT_DOOR_SUB;

function stateOf(connectionId: string): { status: string; description: string } {
  return (world.e.store.get(connectionId)!.properties as { privateLinkServiceConnectionState: { status: string; description: string } }).privateLinkServiceConnectionState;
}

/** A Premium profile in `rg` with one private origin per entry, each pointing at `targetId`; returns the profile ID. */
function frontDoor(rg: string, targetId: string, origins: { name: string; message: string; location?: string; group?: string }[], name = 'afd-web'): string {
  const profile = world.e.seed.frontDoorProfile(rg, name);
  for (const o of origins) world.e.seed.frontDoorOrigin(profile.id, o.group ?? 'og-web', o.name, { targetId, requestMessage: o.message, location: o.location });
  return profile.id;
}

async function recording<T>(fn: () => Promise<T>): Promise<{ result: T; requests: LoggedRequest[] }> {
  const start = world.e.log.entries.length;
  const result = await fn();
  return { result, requests: world.e.log.entries.slice(start) };
}
const writesOf = (requests: LoggedRequest[]) => requests.filter((r) => r.surface === 'arm' && !['GET', 'HEAD'].includes(r.method));
const run = (host: HostName, inputs: Record<string, string>) => runShippedStep(world, STEP, host, inputs);
const recordsOf = (r: StepRun): Record_[] => JSON.parse(r.outputs.connections!) as Record_[];

function assertOk(r: StepRun): void {
  assert.ok(r.succeeded, `step failed on ${r.host}: ${r.error}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  assert.deepEqual(secretsPrinted(r, [world.sp.secret]), []);
}

describe('Front Door origins vouch for their requests (both hosts)', () => {
  for (const host of HOSTS) {
    test(`${host}: the origin's request is approved, the unknown requester stays Pending, a re-run writes nothing`, async () => {
      const rg = group();
      const plsId = pls(rg);
      const message = `afd-web to pls-ingress ${randomUUID().slice(0, 8)}`;
      frontDoor(rg, plsId, [{ name: 'o-aks', message }]);
      const fromFrontDoor = connectionFrom(plsId, FRONT_DOOR_SUBSCRIPTION());
      const stranger = world.e.seed.privateEndpointRequest(plsId, { subscriptionId: HOSTILE, name: 'pe-stranger', requestMessage: 'please let me in' });
      const inputs = { 'resource-id': plsId, 'front-door': 'afd-web', 'front-door-resource-group': rg };

      const first = await recording(() => run(host, inputs));
      assertOk(first.result);
      assert.equal(stateOf(fromFrontDoor).status, 'Approved');
      assert.equal(stateOf(stranger.connection.id).status, 'Pending');
      assert.equal(first.result.outputs.approved, '1');
      assert.equal(first.result.outputs.skipped, '1');
      const records = recordsOf(first.result);
      const vouched = records.find((c) => c.id.toLowerCase() === fromFrontDoor.toLowerCase())!;
      assert.equal(vouched.frontDoorOrigin, 'afd-web/og-web/o-aks');
      assert.equal(vouched.requesterSubscription, FRONT_DOOR_SUBSCRIPTION());
      const skipped = records.find((c) => c.endpoint === stranger.endpoint.id)!;
      assert.equal(skipped.frontDoorOrigin, undefined);
      assert.match(skipped.reason!, new RegExp(`skipped: requester subscription ${HOSTILE} is not in allowed-?[sS]ubscriptions, and its description is the request message of no origin of Front Door profile afd-web`));
      // The plan line names the origin that vouched; the message (the shared secret) is never printed.
      assert.match(first.result.summary, /\| update \| [^|]+ \| approve pending connection [^ ]+ from Front Door origin afd-web\/og-web\/o-aks \(its request message matches\)/);
      assert.ok(!first.result.stdout.includes(message) && !first.result.summary.includes(message), 'the request message is not printed');
      assert.deepEqual(writesOf(first.requests).map((w) => w.path.toLowerCase()), [fromFrontDoor.toLowerCase()]);

      const second = await recording(() => run(host, inputs));
      assertOk(second.result);
      assert.deepEqual(writesOf(second.requests), []);
      assert.equal(second.result.outputs.changed, 'false');
      assert.equal(stateOf(stranger.connection.id).status, 'Pending');
    });
  }

  test('allowlists are OR-ed: the own subscription by the allowlist, Front Door by its origin (profile by resource ID, web app target)', async () => {
    const rg = group();
    const site = world.e.seed.site(rg, 'app-fd', world.e.seed.plan(rg, 'plan').id).id;
    const profile = frontDoor(rg, site, [{ name: 'o-app', message: 'afd app 51c2' }]);
    const fromFrontDoor = connectionFrom(site, FRONT_DOOR_SUBSCRIPTION());
    const own = world.e.seed.privateEndpointRequest(site, { subscriptionId: world.e.subscriptionId, name: 'pe-own' });
    const r = await run('azure-pipelines', { 'resource-id': site, 'front-door': profile });
    assertOk(r);
    assert.equal(stateOf(fromFrontDoor).status, 'Approved');
    assert.equal(stateOf(own.connection.id).status, 'Approved');
    assert.equal(r.outputs.approved, '2');
  });

  test("origins past the first page of origin groups are read (ARM's nextLink)", async () => {
    const rg = group();
    const plsId = pls(rg);
    const profile = world.e.seed.frontDoorProfile(rg, 'afd-many');
    // 100 groups fill the stand-in's first page; the vouching origin is in the 101st.
    for (let i = 0; i < 100; i++) world.e.seed.frontDoorOrigin(profile.id, `og-${String(i).padStart(3, '0')}`, 'o-public');
    world.e.seed.frontDoorOrigin(profile.id, 'og-zz-last', 'o-private', { targetId: plsId, requestMessage: 'afd-many 3e9b' });
    const fromFrontDoor = connectionFrom(plsId, FRONT_DOOR_SUBSCRIPTION());
    const { result, requests } = await recording(() => run('github', { 'resource-id': plsId, 'front-door': 'afd-many', 'front-door-resource-group': rg }));
    assertOk(result);
    assert.equal(stateOf(fromFrontDoor).status, 'Approved');
    const groupLists = requests.filter((q) => q.method === 'GET' && q.path.toLowerCase() === `${profile.id}/originGroups`.toLowerCase());
    assert.equal(groupLists.length, 2, 'the origin group list was read in two pages');
  });
});

describe('weak origins are warned about', () => {
  test('an origin without a request message vouches for nothing (GitHub)', async () => {
    const rg = group();
    const plsId = pls(rg);
    frontDoor(rg, plsId, [{ name: 'o-quiet', message: '' }]);
    const fromFrontDoor = connectionFrom(plsId, FRONT_DOOR_SUBSCRIPTION());
    const { result, requests } = await recording(() => run('github', { 'resource-id': plsId, 'front-door': 'afd-web', 'front-door-resource-group': rg }));
    assertOk(result);
    assert.equal(stateOf(fromFrontDoor).status, 'Pending');
    assert.deepEqual(writesOf(requests), []);
    assert.ok(
      result.warnings.some((w) => /Front Door origin afd-web\/og-web\/o-quiet has a private link to the resource but no request message, so it vouches for no connection: give it a request message of its own/.test(w)),
      result.warnings.join('\n'),
    );
  });

  test('two origins sharing one message both vouch, with a warning (Azure Pipelines)', async () => {
    const rg = group();
    const plsId = pls(rg);
    frontDoor(rg, plsId, [
      { name: 'o-west', message: 'afd shared 77aa' },
      { name: 'o-north', message: 'afd shared 77aa', location: 'northeurope', group: 'og-north' },
    ]);
    const r = await run('azure-pipelines', { 'resource-id': plsId, 'front-door': 'afd-web', 'front-door-resource-group': rg });
    assertOk(r);
    assert.equal(r.outputs.approved, '2', 'each location has its own request, both vouched for');
    assert.ok(r.warnings.some((w) => /Front Door origins afd-web\/og-north\/o-north, afd-web\/og-web\/o-west share one request message|Front Door origins afd-web\/og-web\/o-west, afd-web\/og-north\/o-north share one request message/.test(w)), r.warnings.join('\n'));
    assert.ok(recordsOf(r).every((c) => c.frontDoorOrigin === 'afd-web/og-north/o-north and afd-web/og-web/o-west' || c.frontDoorOrigin === 'afd-web/og-web/o-west and afd-web/og-north/o-north'));
  });
});

describe('dry-run with a Front Door profile', () => {
  test('shows the vouched connection as an update and writes nothing', async () => {
    const rg = group();
    const plsId = pls(rg);
    frontDoor(rg, plsId, [{ name: 'o-aks', message: 'afd dry 1b2c' }]);
    const fromFrontDoor = connectionFrom(plsId, FRONT_DOOR_SUBSCRIPTION());
    const { result, requests } = await recording(() => run('github', { 'resource-id': plsId, 'front-door': 'afd-web', 'front-door-resource-group': rg, 'dry-run': 'true' }));
    assertOk(result);
    assert.deepEqual(writesOf(requests), []);
    assert.equal(stateOf(fromFrontDoor).status, 'Pending');
    assert.equal(result.outputs.approved, '1');
    assert.match(result.summary, /from Front Door origin afd-web\/og-web\/o-aks/);
    assert.match(result.summary, /Dry run: nothing was changed/);
  });
});

describe('Front Door input validation: one clear message, zero writes', () => {
  const cases: { name: string; host: HostName; inputs: (plsId: string, rg: string) => Record<string, string>; message: RegExp }[] = [
    { name: 'profile name without its resource group', host: 'github', inputs: (p) => ({ 'resource-id': p, 'front-door': 'afd-web' }), message: /Input 'front-door' is the name 'afd-web', but 'front-door-resource-group' is not given/ },
    { name: 'resource group without a profile', host: 'azure-pipelines', inputs: (p, rg) => ({ 'resource-id': p, 'front-door-resource-group': rg }), message: new RegExp(`Input 'frontDoorResourceGroup' is 'rg-fd-\\d+', but 'frontDoor' is not given`) },
    {
      name: 'an ID of another type',
      host: 'github',
      inputs: (p) => ({ 'resource-id': p, 'front-door': p }),
      message: /Input 'front-door' is the ID of a Microsoft\.Network\/privateLinkServices, not of a Microsoft\.Cdn\/profiles/,
    },
    {
      name: 'a classic CDN profile',
      host: 'azure-pipelines',
      inputs: (p, rg) => {
        world.e.seed.frontDoorProfile(rg, 'cdn-classic', { sku: 'Standard_Microsoft' });
        return { 'resource-id': p, 'front-door': 'cdn-classic', 'front-door-resource-group': rg };
      },
      message: /Input 'frontDoor' names profile .*\/cdn-classic, whose SKU is Standard_Microsoft: it is not an Azure Front Door Standard\/Premium profile/,
    },
    { name: 'a profile that does not exist', host: 'github', inputs: (p, rg) => ({ 'resource-id': p, 'front-door': 'afd-nope', 'front-door-resource-group': rg }), message: /Input 'front-door' names Front Door profile .*\/afd-nope, which does not exist/ },
  ];
  for (const c of cases) {
    test(`${c.name} (${c.host})`, async () => {
      const rg = group();
      const plsId = pls(rg);
      frontDoor(rg, plsId, [{ name: 'o-aks', message: 'afd valid 4d5e' }]);
      const fromFrontDoor = connectionFrom(plsId, FRONT_DOOR_SUBSCRIPTION());
      const own = world.e.seed.privateEndpointRequest(plsId, { subscriptionId: world.e.subscriptionId, name: 'pe-own' });
      const { result, requests } = await recording(() => run(c.host, c.inputs(plsId, rg)));
      assert.ok(!result.succeeded, `${c.name} must fail`);
      assert.match(result.error ?? '', c.message);
      assert.ok(!/Unexpected error|\n\s+at /.test(result.error!), `no stack or unexpected error: ${result.error}`);
      assert.deepEqual(writesOf(requests), []);
      assert.equal(stateOf(fromFrontDoor).status, 'Pending');
      assert.equal(stateOf(own.connection.id).status, 'Pending', 'not even the allowlisted connection is written');
    });
  }
});
