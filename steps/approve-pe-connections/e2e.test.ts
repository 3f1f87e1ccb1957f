// approve-pe-connections through its built bundles on both hosts against the stand-in: the
// allowlist (a hostile requester must stay Pending), every resource-type path, reject, faults
// mid-batch, a 500-connection batch, dry-run, re-runs and input validation.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from '../../test/support/harness';
import { runtimes } from '../../test/support/runners';

type LoggedRequest = World['e']['log']['entries'][number];

const STEP = 'approve-pe-connections';
let world: World;
const PARTNER = randomUUID();
const HOSTILE = randomUUID();

before(async () => {
  // Small LRO delay and page size: App Service approvals are long-running, lists page at 100.
  world = await startWorld({ provisioningDelayMs: 5, kube: { enabled: false } });
});
after(() => world?.stop());

let counter = 0;
/** A fresh resource group per test, so tests never see each other's connections. */
function group(): string {
  const rg = `rg-pe-${++counter}`;
  world.e.seed.resourceGroup(rg);
  return rg;
}

function pls(rg: string, name = 'pls-ingress'): string {
  const { subnets } = world.e.seed.vnet(rg, 'vnet-aks', { subnets: [{ name: 'pls', addressPrefix: '10.0.0.0/24', privateLinkServiceNetworkPolicies: 'Disabled' }] });
  return world.e.seed.privateLinkService(rg, name, { subnetId: subnets[0]!.id }).id;
}

/** A private endpoint from `subscriptionId` asking to connect to `targetId`; returns the connection id. */
function request(targetId: string, subscriptionId: string, name: string, opts: { status?: 'Pending' | 'Approved'; resourceGroup?: string } = {}): { connection: string; endpoint: string } {
  const { endpoint, connection } = world.e.seed.privateEndpointRequest(targetId, { subscriptionId, name, status: opts.status, resourceGroup: opts.resourceGroup });
  return { connection: connection.id, endpoint: endpoint.id };
}

function stateOf(connectionId: string): { status: string; description: string } {
  const props = world.e.store.get(connectionId)?.properties as { privateLinkServiceConnectionState: { status: string; description: string } };
  return props.privateLinkServiceConnectionState;
}

/** Requests answered during `fn`, for write counts. */
async function recording<T>(fn: () => Promise<T>): Promise<{ result: T; requests: LoggedRequest[] }> {
  const start = world.e.log.entries.length;
  const result = await fn();
  return { result, requests: world.e.log.entries.slice(start) };
}

const writesOf = (requests: LoggedRequest[]) => requests.filter((r) => r.surface === 'arm' && !['GET', 'HEAD'].includes(r.method));

function run(host: HostName, inputs: Record<string, string>, options: Parameters<typeof runShippedStep>[4] = {}): Promise<StepRun> {
  return runShippedStep(world, STEP, host, inputs, options);
}

function assertOk(r: StepRun): void {
  assert.ok(r.succeeded, `step failed on ${r.host}: ${r.error}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  assert.deepEqual(secretsPrinted(r, [world.sp.secret]), []);
}

interface ConnectionOutput {
  id: string;
  endpoint: string | null;
  requesterSubscription: string | null;
  before: string;
  after: string;
  reason?: string;
}
const connectionsOf = (r: StepRun): ConnectionOutput[] => JSON.parse(r.outputs.connections!);

const RUN_ENV: Record<HostName, Record<string, string>> = {
  github: { GITHUB_REPOSITORY: 'contoso/web', GITHUB_RUN_ID: '424242' },
  'azure-pipelines': { BUILD_REPOSITORY_NAME: 'contoso/web', BUILD_BUILDID: '4711' },
};

describe('approve on a Private Link Service (both hosts)', () => {
  for (const host of HOSTS) {
    test(`${host}: own subscription by default; the hostile requester stays Pending; re-run writes nothing`, async () => {
      const rg = group();
      const plsId = pls(rg);
      const own = request(plsId, world.e.subscriptionId, 'pe-own');
      const hostile = request(plsId, HOSTILE, 'pe-hostile');
      const done = request(plsId, world.e.subscriptionId, 'pe-done', { status: 'Approved' });

      const first = await recording(() => run(host, { 'resource-id': plsId }, { env: RUN_ENV[host] }));
      assertOk(first.result);
      assert.equal(stateOf(own.connection).status, 'Approved');
      assert.equal(stateOf(hostile.connection).status, 'Pending');
      assert.equal(stateOf(done.connection).description, 'Auto-Approved', 'an approved connection is not rewritten');
      const pipelineRun = host === 'github' ? 'GitHub Actions run contoso/web#424242' : 'Azure Pipelines build contoso/web#4711';
      assert.equal(stateOf(own.connection).description, `Approved by private-wire in ${pipelineRun}`);
      const outputs = first.result.outputs;
      assert.equal(outputs.approved, '1');
      assert.equal(outputs.rejected, '0');
      assert.equal(outputs.skipped, '1');
      assert.equal(outputs.changed, 'true');
      const listed = connectionsOf(first.result);
      assert.equal(listed.length, 3);
      const hostileRecord = listed.find((c) => c.endpoint === hostile.endpoint)!;
      assert.equal(hostileRecord.requesterSubscription, HOSTILE);
      assert.deepEqual([hostileRecord.before, hostileRecord.after], ['Pending', 'Pending']);
      assert.match(hostileRecord.reason!, new RegExp(`skipped: requester subscription ${HOSTILE} is not in allowed-?[sS]ubscriptions`));
      assert.deepEqual(
        listed.find((c) => c.endpoint === own.endpoint),
        { id: own.connection, endpoint: own.endpoint, requesterSubscription: world.e.subscriptionId, before: 'Pending', after: 'Approved' },
      );
      // The summary names each connection by its endpoint and says why the hostile one was skipped.
      assert.match(first.result.summary, new RegExp(`\\| update \\| ${own.endpoint} \\|`));
      assert.match(first.result.summary, new RegExp(`\\| none \\| ${hostile.endpoint} \\| skipped: requester subscription ${HOSTILE}`));
      const puts = writesOf(first.requests);
      assert.deepEqual(puts.map((p) => [p.method, p.path.toLowerCase()]), [['PUT', own.connection.toLowerCase()]]);

      const second = await recording(() => run(host, { 'resource-id': plsId }));
      assertOk(second.result);
      assert.deepEqual(writesOf(second.requests), []);
      assert.equal(second.result.outputs.changed, 'false');
      assert.equal(second.result.outputs.approved, '0');
      assert.equal(second.result.outputs.skipped, '1');
      assert.equal(stateOf(hostile.connection).status, 'Pending');
    });
  }

  test('explicit subscription list: only the listed ones, not even the own subscription', async () => {
    const rg = group();
    const plsId = pls(rg);
    const own = request(plsId, world.e.subscriptionId, 'pe-own');
    const partner = request(plsId, PARTNER, 'pe-partner');
    const hostile = request(plsId, HOSTILE, 'pe-hostile');
    const other = randomUUID();
    const r = await run('azure-pipelines', { 'resource-id': plsId, 'allowed-subscriptions': `${PARTNER.toUpperCase()}\n${other}` });
    assertOk(r);
    assert.equal(stateOf(partner.connection).status, 'Approved', 'subscription IDs compare case-insensitively');
    assert.equal(stateOf(own.connection).status, 'Pending');
    assert.equal(stateOf(hostile.connection).status, 'Pending');
    assert.equal(r.outputs.skipped, '2');
  });

  test('`*` with endpoint globs: any subscription, but only matching endpoints', async () => {
    const rg = group();
    const plsId = pls(rg);
    const app = request(plsId, PARTNER, 'pe-app-1', { resourceGroup: 'rg-web' });
    const appElsewhere = request(plsId, HOSTILE, 'pe-app-2', { resourceGroup: 'rg-other' });
    const db = request(plsId, PARTNER, 'pe-db', { resourceGroup: 'rg-web' });
    const r = await run('github', {
      'resource-id': plsId,
      'allowed-subscriptions': '*',
      'allowed-endpoints': '/subscriptions/*/resourceGroups/rg-web/providers/Microsoft.Network/privateEndpoints/pe-app-*',
    });
    assertOk(r);
    assert.equal(stateOf(app.connection).status, 'Approved');
    assert.equal(stateOf(appElsewhere.connection).status, 'Pending', 'the glob pins the resource group');
    assert.equal(stateOf(db.connection).status, 'Pending');
    assert.match(connectionsOf(r).find((c) => c.endpoint === db.endpoint)!.reason!, /matches none of allowed-endpoints/);

    const crossing = await run('github', { 'resource-id': plsId, 'allowed-subscriptions': '*', 'allowed-endpoints': '**/privateEndpoints/pe-app-*' });
    assertOk(crossing);
    assert.equal(stateOf(appElsewhere.connection).status, 'Approved', '** spans subscription and resource group');
    assert.equal(stateOf(db.connection).status, 'Pending');
  });
});

describe('other resource types', () => {
  test('web app (App Service SDK, long-running approve) on Azure Pipelines', async () => {
    const rg = group();
    const plan = world.e.seed.plan(rg, 'plan');
    const site = world.e.seed.site(rg, 'app-pe', plan.id).id;
    const a = request(site, world.e.subscriptionId, 'pe-a');
    const b = request(site, world.e.subscriptionId, 'pe-b');
    const hostile = request(site, HOSTILE, 'pe-x');
    const first = await recording(() => run('azure-pipelines', { 'resource-id': site }));
    assertOk(first.result);
    for (const c of [a, b]) {
      assert.equal(stateOf(c.connection).status, 'Approved');
      // wait=true: the step returned only after the operation finished.
      assert.equal((world.e.store.get(c.connection)!.properties as { provisioningState: string }).provisioningState, 'Succeeded');
    }
    assert.equal(stateOf(hostile.connection).status, 'Pending');
    assert.equal(writesOf(first.requests).length, 2);
    const second = await recording(() => run('azure-pipelines', { 'resource-id': site }));
    assertOk(second.result);
    assert.deepEqual(writesOf(second.requests), []);
  });

  for (const kind of ['storage account', 'key vault'] as const) {
    test(`${kind} (generic ARM path) on GitHub`, async () => {
      const rg = group();
      const target = kind === 'storage account' ? world.e.seed.storageAccount(rg, `st${counter}pe`).id : world.e.seed.keyVault(rg, `kv-${counter}-pe`).id;
      const own = request(target, world.e.subscriptionId, 'pe-own');
      const hostile = request(target, HOSTILE, 'pe-hostile');
      const first = await recording(() => run('github', { 'resource-id': target, description: 'approved for the web tier' }));
      assertOk(first.result);
      assert.deepEqual(stateOf(own.connection), { status: 'Approved', description: 'approved for the web tier', actionsRequired: 'None' });
      assert.equal(stateOf(hostile.connection).status, 'Pending');
      assert.deepEqual(writesOf(first.requests).map((w) => w.path.toLowerCase()), [own.connection.toLowerCase()]);
      const second = await recording(() => run('github', { 'resource-id': target }));
      assertOk(second.result);
      assert.deepEqual(writesOf(second.requests), []);
      assert.equal(second.result.outputs.changed, 'false');
    });
  }

  test('reject: allowed pending connections become Rejected, others untouched', async () => {
    const rg = group();
    const target = world.e.seed.keyVault(rg, `kv-${counter}-rej`).id;
    const unwanted = request(target, PARTNER, 'pe-unwanted');
    const own = request(target, world.e.subscriptionId, 'pe-own');
    const r = await run('azure-pipelines', { 'resource-id': target, action: 'reject', 'allowed-subscriptions': PARTNER }, { env: RUN_ENV['azure-pipelines'] });
    assertOk(r);
    assert.deepEqual(stateOf(unwanted.connection), { status: 'Rejected', description: 'Rejected by private-wire in Azure Pipelines build contoso/web#4711', actionsRequired: 'None' });
    assert.equal(stateOf(own.connection).status, 'Pending');
    assert.deepEqual([r.outputs.approved, r.outputs.rejected, r.outputs.skipped], ['0', '1', '1']);
  });
});

type Change = (props: Record<string, unknown>) => Record<string, unknown>;

/** Someone changes `connection` in the stand-in's store (a new etag, as any write gives it). */
function changeInStore(connection: string, change: Change): void {
  const c = world.e.store.get(connection)!;
  world.e.store.put({ ...c, properties: change(c.properties as Record<string, unknown>) });
}

/** After the step's list is answered, a person decides on `connection` (the step has planned to approve it). */
function decideAfterList(target: string, change: Change, connection: string) {
  world.e.faults.add({
    surface: 'arm',
    kind: 'hook',
    when: 'after',
    method: 'GET',
    path: new RegExp(`${target.replace(/[/.]/g, '\\$&')}/privateEndpointConnections$`, 'i'),
    times: 1,
    run: () => changeInStore(connection, change),
  });
}

/** Just before the step's PUT on `connection` is handled (after the step read it), someone changes it, `times` times. */
function changeBeforeEachPut(connection: string, change: Change, times: number) {
  const name = connection.split('/').pop()!;
  world.e.faults.add({ surface: 'arm', kind: 'hook', when: 'before', method: 'PUT', path: name, times, run: () => changeInStore(connection, change) });
}

const reject: Change = (p) => ({ ...p, privateLinkServiceConnectionState: { status: 'Rejected', description: 'Rejected by the security team', actionsRequired: 'None' } });
const touch: Change = (p) => ({ ...p, privateLinkServiceConnectionState: { ...(p.privateLinkServiceConnectionState as object), description: `looked at ${randomUUID()}` } });
const putsOn = (requests: LoggedRequest[], connection: string) => requests.filter((q) => q.method === 'PUT' && q.path.toLowerCase() === connection.toLowerCase()).map((q) => q.status);

describe('a decision someone makes after the plan stands', () => {

  const targets: { kind: string; host: HostName; make: (rg: string) => string }[] = [
    { kind: 'Private Link Service', host: 'github', make: (rg) => pls(rg) },
    { kind: 'web app', host: 'azure-pipelines', make: (rg) => world.e.seed.site(rg, 'app-race', world.e.seed.plan(rg, 'plan').id).id },
    { kind: 'key vault', host: 'github', make: (rg) => world.e.seed.keyVault(rg, `kv-${counter}-race`).id },
  ];
  for (const t of targets) {
    test(`${t.kind} (${t.host}): a connection rejected between the plan and the write stays Rejected; the step says so and succeeds`, async () => {
      const target = t.make(group());
      const raced = request(target, world.e.subscriptionId, 'pe-raced');
      const other = request(target, world.e.subscriptionId, 'pe-other');
      decideAfterList(target, reject, raced.connection);
      try {
        const r = await run(t.host, { 'resource-id': target });
        assertOk(r);
        assert.deepEqual(stateOf(raced.connection), { status: 'Rejected', description: 'Rejected by the security team', actionsRequired: 'None' });
        assert.equal(stateOf(other.connection).status, 'Approved');
        assert.equal(r.outputs.approved, '1');
        assert.ok(r.warnings.some((w) => /Connection pe-raced.* was not approved: it became Rejected after the plan \(someone else decided\), so it was left alone\./.test(w)), r.warnings.join('\n'));
        const record = connectionsOf(r).find((c) => c.endpoint === raced.endpoint)!;
        assert.equal(record.after, 'Rejected');
        assert.match(record.reason ?? '', /^left alone: it became Rejected/);
      } finally {
        world.e.faults.clear();
      }
    });
  }

  test('a connection whose private endpoint changed after the plan is left alone', async () => {
    const target = pls(group());
    const raced = request(target, world.e.subscriptionId, 'pe-swapped');
    const imposter = `/subscriptions/${HOSTILE}/resourceGroups/x/providers/Microsoft.Network/privateEndpoints/imposter`;
    decideAfterList(target, (p) => ({ ...p, privateEndpoint: { id: imposter } }), raced.connection);
    try {
      const r = await run('azure-pipelines', { 'resource-id': target });
      assertOk(r);
      assert.equal(stateOf(raced.connection).status, 'Pending');
      assert.ok(r.warnings.some((w) => w.includes(`its private endpoint is now ${imposter}`)), r.warnings.join('\n'));
    } finally {
      world.e.faults.clear();
    }
  });

  test('Private Link Service: a change between our read and our write (412) is read again and checked again', async () => {
    const target = pls(group());
    const c = request(target, world.e.subscriptionId, 'pe-touched');
    // Someone edits the connection's description just before our PUT: its etag changes.
    world.e.faults.add({
      surface: 'arm',
      kind: 'hook',
      when: 'before',
      method: 'PUT',
      path: new RegExp('privateEndpointConnections/pe-touched', 'i'),
      times: 1,
      run: () => {
        const stored = world.e.store.get(c.connection)!;
        const p = stored.properties as { privateLinkServiceConnectionState: Record<string, unknown> };
        world.e.store.put({ ...stored, properties: { ...p, privateLinkServiceConnectionState: { ...p.privateLinkServiceConnectionState, description: 'looked at' } } });
      },
    });
    try {
      const { result, requests } = await recording(() => run('github', { 'resource-id': target }));
      assertOk(result);
      assert.equal(stateOf(c.connection).status, 'Approved');
      assert.deepEqual(
        requests.filter((q) => q.method === 'PUT').map((q) => q.status),
        [412, 200],
        'the first write was conditioned on the etag read, the second on the one read again',
      );
    } finally {
      world.e.faults.clear();
    }
  });
});

describe('SQL servers: a long-running approve through their own provisioning states', () => {
  for (const host of HOSTS) {
    test(`${host}: Approving → Ready is waited for (the PUT is only accepted); the status is checked once it settles`, async () => {
      const rg = group();
      const server = world.e.seed.sqlServer(rg, `sql-${counter}`).id;
      const own = request(server, world.e.subscriptionId, 'pe-own');
      const hostile = request(server, HOSTILE, 'pe-hostile');
      // Longer than the step's poll interval, so the step reads the connection while SQL is still Approving.
      const delay = world.e.arm.ops.delayMs;
      world.e.arm.ops.delayMs = 3000;
      try {
        const { result, requests } = await recording(() => run(host, { 'resource-id': server }));
        assertOk(result);
        assert.equal(result.outputs.approved, '1');
        const after = world.e.store.get(own.connection)!.properties as { provisioningState: string; privateLinkServiceConnectionState: { status: string } };
        assert.deepEqual([after.privateLinkServiceConnectionState.status, after.provisioningState], ['Approved', 'Ready'], 'the step returned only once SQL was done');
        assert.equal(stateOf(hostile.connection).status, 'Pending');
        assert.deepEqual(putsOn(requests, own.connection), [202]);
        const polls = requests.filter((q) => q.method === 'GET' && q.path.toLowerCase() === own.connection.toLowerCase());
        assert.ok(polls.length >= 3, `read before the write and polled while Approving (${polls.length} reads)`);
        assert.equal(connectionsOf(result).find((c) => c.endpoint === own.endpoint)!.after, 'Approved');
      } finally {
        world.e.arm.ops.delayMs = delay;
      }
      const second = await recording(() => run(host, { 'resource-id': server }));
      assertOk(second.result);
      assert.deepEqual(writesOf(second.requests), []);
    });
  }
});

describe('ETags: conditioned writes where the provider has them, the re-read guard where it has none', () => {
  for (const host of HOSTS) {
    test(`key vault (${host}): a connection changed between our read and our write (412) is read and checked again, however often; one rejected meanwhile stays Rejected`, async () => {
      const target = world.e.seed.keyVault(group(), `kv-${counter}-412`).id;
      const busy = request(target, world.e.subscriptionId, 'pe-busy');
      const raced = request(target, world.e.subscriptionId, 'pe-raced');
      // Four changes in a row, each just before our PUT: each PUT carries an etag already stale.
      changeBeforeEachPut(busy.connection, touch, 4);
      changeBeforeEachPut(raced.connection, reject, 1);
      try {
        const { result, requests } = await recording(() => run(host, { 'resource-id': target }));
        assertOk(result);
        assert.deepEqual(putsOn(requests, busy.connection), [412, 412, 412, 412, 200], 'each write conditioned on the etag just read');
        assert.equal(stateOf(busy.connection).status, 'Approved');
        assert.deepEqual(putsOn(requests, raced.connection), [412]);
        assert.deepEqual(stateOf(raced.connection), { status: 'Rejected', description: 'Rejected by the security team', actionsRequired: 'None' });
        assert.ok(result.warnings.some((w) => /Connection pe-raced.* was not approved: it became Rejected after the plan/.test(w)), result.warnings.join('\n'));
        assert.equal(result.outputs.approved, '1');
      } finally {
        world.e.faults.clear();
      }
    });

    test(`storage account (${host}): no etag, so no If-Match: a change between our read and our write is not detected (the documented window); a decision before our read stands`, async () => {
      const target = world.e.seed.storageAccount(group(), `st${counter}noetag`).id;
      const touched = request(target, world.e.subscriptionId, 'pe-touched');
      const decided = request(target, world.e.subscriptionId, 'pe-decided');
      changeBeforeEachPut(touched.connection, touch, 1);
      decideAfterList(target, reject, decided.connection);
      try {
        const { result, requests } = await recording(() => run(host, { 'resource-id': target, description: 'approved for the web tier' }));
        assertOk(result);
        // One unconditioned PUT, answered 200 although the connection had just changed: ours replaced it.
        assert.deepEqual(putsOn(requests, touched.connection), [200]);
        assert.deepEqual(stateOf(touched.connection), { status: 'Approved', description: 'approved for the web tier', actionsRequired: 'None' });
        assert.deepEqual(putsOn(requests, decided.connection), [], 'read again before the write: Rejected, so never written');
        assert.equal(stateOf(decided.connection).status, 'Rejected');
      } finally {
        world.e.faults.clear();
      }
    });
  }
});

describe('dry-run', () => {
  test('shows exactly the connections that would change and writes nothing', async () => {
    const rg = group();
    const plsId = pls(rg);
    const a = request(plsId, world.e.subscriptionId, 'pe-a');
    const b = request(plsId, world.e.subscriptionId, 'pe-b');
    const hostile = request(plsId, HOSTILE, 'pe-hostile');
    const { result, requests } = await recording(() => run('github', { 'resource-id': plsId, 'dry-run': 'true' }));
    assertOk(result);
    assert.deepEqual(writesOf(requests), []);
    for (const c of [a, b, hostile]) assert.equal(stateOf(c.connection).status, 'Pending');
    assert.equal(result.outputs.changed, 'true');
    assert.equal(result.outputs.approved, '2');
    const updates = [...result.summary.matchAll(/^\| update \| ([^|]+) \|/gm)].map((m) => m[1]!.trim()).sort();
    assert.deepEqual(updates, [a.endpoint, b.endpoint].sort());
    assert.match(result.summary, /Dry run: nothing was changed/);
  });
});

describe('faults and volume', () => {
  test('429 and 500 mid-batch: every allowed connection still ends Approved, none written twice', async () => {
    const rg = group();
    const plsId = pls(rg);
    const conns = Array.from({ length: 20 }, (_, i) => request(plsId, world.e.subscriptionId, `pe-${i}`));
    world.e.faults.add({ surface: 'arm', kind: 'throttle', retryAfterSeconds: 1, method: 'PUT', path: plsId, times: 3 });
    world.e.faults.add({ surface: 'arm', kind: 'error', status: 500, method: 'PUT', path: plsId, times: 2 });
    try {
      const { result, requests } = await recording(() => run('github', { 'resource-id': plsId }));
      assertOk(result);
      assert.equal(result.outputs.approved, '20');
      for (const c of conns) assert.equal(stateOf(c.connection).status, 'Approved');
      const puts = writesOf(requests);
      assert.equal(puts.filter((p) => p.status === 429).length, 3, 'the throttles were hit');
      assert.equal(puts.filter((p) => p.status === 500).length, 2, 'the errors were hit');
      assertEachWrittenOnce(puts, conns.map((c) => c.connection));
    } finally {
      world.e.faults.clear();
    }
  });

  test('connections are changed concurrently (a slow ARM does not make the batch sequential)', async () => {
    const rg = group();
    const plsId = pls(rg);
    const conns = Array.from({ length: 16 }, (_, i) => request(plsId, world.e.subscriptionId, `pe-slow-${i}`).connection);
    // 16 writes of 600 ms each: ~9.6 s from the first to the last answer one after another,
    // ~1.2 s eight at a time. Measured at the stand-in, so process start and sign-in do not count.
    world.e.faults.add({ surface: 'arm', kind: 'latency', ms: 600, method: 'PUT', path: plsId, times: 16 });
    try {
      const { result, requests } = await recording(() => run('github', { 'resource-id': plsId }));
      assertOk(result);
      assert.equal(conns.filter((c) => stateOf(c).status !== 'Approved').length, 0);
      const answered = writesOf(requests).map((r) => r.at!);
      const span = Math.max(...answered) - Math.min(...answered);
      assert.ok(span < 5000, `the 16 writes were answered over ${span} ms`);
    } finally {
      world.e.faults.clear();
    }
  });

  test('sustained throttling (more 429s than the SDK retries) still finishes the batch', async () => {
    const rg = group();
    const plsId = pls(rg);
    const conns = Array.from({ length: 12 }, (_, i) => request(plsId, world.e.subscriptionId, `pe-throttled-${i}`).connection);
    // 60 writes in a row are refused: with 8 at once, some connection meets more than the SDK's 3 retries.
    world.e.faults.add({ surface: 'arm', kind: 'throttle', retryAfterSeconds: 0, method: 'PUT', path: plsId, times: 60 });
    try {
      const { result, requests } = await recording(() => run('azure-pipelines', { 'resource-id': plsId }));
      assertOk(result);
      assert.equal(result.outputs.approved, '12');
      const puts = writesOf(requests);
      assert.equal(puts.filter((p) => p.status === 429).length, 60);
      assertEachWrittenOnce(puts, conns);
    } finally {
      world.e.faults.clear();
    }
  });

  test('a connection that keeps failing fails the step at the end; the others are approved', async () => {
    const rg = group();
    const plsId = pls(rg);
    const conns = Array.from({ length: 6 }, (_, i) => request(plsId, world.e.subscriptionId, `pe-${i}`));
    const broken = conns[2]!;
    world.e.faults.add({ surface: 'arm', kind: 'error', status: 500, method: 'PUT', path: broken.connection });
    try {
      const r = await run('azure-pipelines', { 'resource-id': plsId });
      assert.ok(!r.succeeded);
      const name = broken.connection.split('/').pop()!;
      assert.match(r.error!, new RegExp(`1 of 6 connection\\(s\\) could not be approved`));
      assert.match(r.error!, new RegExp(`approving connection ${name.replace(/\./g, '\\.')} \\(InternalServerError\\)`));
      assert.equal(stateOf(broken.connection).status, 'Pending');
      for (const c of conns.filter((c) => c !== broken)) assert.equal(stateOf(c.connection).status, 'Approved');
      // What was done is still reported: outputs and the summary, with the failure on top.
      assert.equal(r.outputs.approved, '5');
      assert.equal(r.outputs.changed, 'true');
      const records = JSON.parse(r.outputs.connections!) as { id: string; after: string; reason?: string }[];
      const failed = records.find((c) => c.id.toLowerCase() === broken.connection.toLowerCase())!;
      assert.equal(failed.after, 'Pending');
      assert.match(failed.reason!, /^failed: /);
      assert.match(r.summary, /\(failed\)\n\n> \*\*Failed:\*\* 1 of 6 connection\(s\) could not be approved/);
    } finally {
      world.e.faults.clear();
    }
    const rerun = await recording(() => run('azure-pipelines', { 'resource-id': plsId }));
    assertOk(rerun.result);
    assert.equal(rerun.result.outputs.approved, '1', 'a re-run finishes only what is left');
    assert.equal(writesOf(rerun.requests).length, 1);
  });

  test('500 pending connections (paged list) all finish, each written once', async () => {
    const rg = group();
    const plsId = pls(rg);
    const conns = Array.from({ length: 500 }, (_, i) => request(plsId, world.e.subscriptionId, `pe-bulk-${i}`).connection);
    const { result, requests } = await recording(() => run('github', { 'resource-id': plsId }));
    assertOk(result);
    assert.equal(result.outputs.approved, '500');
    assert.equal(conns.filter((c) => stateOf(c).status !== 'Approved').length, 0);
    const lists = requests.filter((r) => r.method === 'GET' && r.path.toLowerCase() === `${plsId}/privateEndpointConnections`.toLowerCase());
    assert.ok(lists.length >= 5, `the list was paged (${lists.length} pages)`);
    assertEachWrittenOnce(writesOf(requests), conns);
  });
});

/** Every connection got exactly one successful PUT, and nothing else was written. */
function assertEachWrittenOnce(writes: LoggedRequest[], connections: string[]): void {
  const ok = writes.filter((w) => w.status < 300);
  const counts = new Map<string, number>();
  for (const w of ok) counts.set(w.path.toLowerCase(), (counts.get(w.path.toLowerCase()) ?? 0) + 1);
  assert.equal(counts.size, connections.length);
  for (const c of connections) assert.equal(counts.get(c.toLowerCase()), 1, `${c} written ${counts.get(c.toLowerCase()) ?? 0} times`);
}

describe('input validation: one clear message, zero writes', () => {
  const plsOf = () => pls(group());
  const cases: { name: string; inputs: () => Record<string, string>; message: RegExp; host: HostName }[] = [
    { name: 'missing resource-id', host: 'github', inputs: () => ({}), message: /Input 'resource-id' is required/ },
    { name: 'resource-id is a name', host: 'azure-pipelines', inputs: () => ({ 'resource-id': 'pls-ingress' }), message: /Input 'resourceId' is 'pls-ingress', which is not a valid resource ID/ },
    {
      name: 'unsupported resource type',
      host: 'github',
      inputs: () => ({ 'resource-id': `/subscriptions/${world.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet` }),
      message: /is the ID of a Microsoft\.Network\/virtualNetworks, which this step cannot approve connections on\. Give the ID of one of: Microsoft\.Network\/privateLinkServices/,
    },
    { name: 'subscription not a GUID', host: 'azure-pipelines', inputs: () => ({ 'resource-id': plsOf(), 'allowed-subscriptions': 'contoso-prod' }), message: /Input 'allowedSubscriptions' has 'contoso-prod', which is not a subscription ID/ },
    { name: '`*` mixed with IDs', host: 'github', inputs: () => ({ 'resource-id': plsOf(), 'allowed-subscriptions': `*,${PARTNER}` }), message: /Input 'allowed-subscriptions' mixes '\*' with subscription IDs/ },
    { name: 'glob that cannot match', host: 'azure-pipelines', inputs: () => ({ 'resource-id': plsOf(), 'allowed-endpoints': 'pe-app-*' }), message: /Input 'allowedEndpoints' has 'pe-app-\*', which cannot match a private endpoint ID/ },
    { name: 'unknown action', host: 'github', inputs: () => ({ 'resource-id': plsOf(), action: 'approve-all' }), message: /Input 'action' is 'approve-all', which is not one of the allowed values\. Use one of: approve, reject/ },
    { name: 'wait not a boolean', host: 'azure-pipelines', inputs: () => ({ 'resource-id': plsOf(), wait: 'maybe' }), message: /Input 'wait' is 'maybe', which is not a boolean/ },
    { name: 'description too long', host: 'github', inputs: () => ({ 'resource-id': plsOf(), description: 'x'.repeat(141) }), message: /Input 'description' is 141 characters long/ },
    {
      name: 'resource-id with a query suffix',
      host: 'github',
      inputs: () => ({ 'resource-id': `${plsOf()}?x=1` }),
      message: /Input 'resource-id' is '.*\?x=1', which is not a valid resource ID: segment 'pls-ingress\?x=1': it contains '\?', which no Azure resource name has\./,
    },
    {
      name: 'resource-id with a dot segment',
      host: 'azure-pipelines',
      inputs: () => ({ 'resource-id': `/subscriptions/${world.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls/../../privateLinkServices/other` }),
      message: /segment '\.\.': '\.\.' is a relative path segment/,
    },
    {
      name: 'resource does not exist',
      host: 'azure-pipelines',
      inputs: () => ({ 'resource-id': `/subscriptions/${world.e.subscriptionId}/resourceGroups/${group()}/providers/Microsoft.Network/privateLinkServices/nope` }),
      message: /Azure refused listing the private endpoint connections of .*\/privateLinkServices\/nope \(ResourceNotFound\)/,
    },
  ];
  for (const c of cases) {
    test(`${c.name} (${c.host})`, async () => {
      const inputs = c.inputs();
      // A pending request on the Private Link Service named (without any suffix) must stay Pending.
      const target = inputs['resource-id']?.replace(/\?.*$/, '');
      const pending = target?.includes('privateLinkServices/pls-ingress') ? request(target, world.e.subscriptionId, 'pe-own') : undefined;
      const { result, requests } = await recording(() => run(c.host, inputs));
      assert.ok(!result.succeeded, `${c.name} must fail`);
      assert.match(result.error ?? '', c.message);
      assert.ok(!/Unexpected error|\n\s+at /.test(result.error!), `no stack or unexpected error: ${result.error}`);
      assert.deepEqual(writesOf(requests), []);
      if (pending) assert.equal(stateOf(pending.connection).status, 'Pending');
    });
  }
});

describe('Node runtimes', () => {
  for (const runtime of runtimes().filter((r) => r.name === 'node24')) {
    test(`${runtime.name}: approves on both hosts`, async () => {
      for (const host of HOSTS) {
        const target = world.e.seed.storageAccount(group(), `st${counter}n24`).id;
        const own = request(target, world.e.subscriptionId, 'pe-own');
        const r = await run(host, { 'resource-id': target }, { node: runtime.path });
        assertOk(r);
        assert.equal(stateOf(own.connection).status, 'Approved');
      }
    });
  }
});
