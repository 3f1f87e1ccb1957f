// aks-api-access through its built bundles on both hosts against the stand-in, main run then
// post-job run with the state carried over as the runners carry it: the runner's address opens the
// (enforcing) API server during the job and is removed after it; other people's ranges are never
// lost (412 re-merge), a running operation is waited out (409), echo failures and bad answers stop
// the step before any write, and two jobs at once both get in and both clean up.
import assert from 'node:assert/strict';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type RunOptions, type StepRun, type World } from '../../test/support/harness';

const STEP = 'aks-api-access';
const RUNNER = '20.81.4.7';
const OFFICE = '198.51.100.0/24';
let world: World;

before(async () => {
  // Cluster updates take 400 ms here (minutes in Azure); refused connections are reset, not dropped, to keep tests fast.
  world = await startWorld({ clusterUpdateDelayMs: 400, network: { runnerAddress: RUNNER, refusal: 'reset' } });
  // The first cluster is the one the Kubernetes API serves (and enforces the ranges of).
  world.e.seed.resourceGroup('rg-served');
  world.e.seed.cluster('rg-served', 'aks', { authorizedIPRanges: [OFFICE] });
});
after(() => world?.stop());

let counter = 0;
function cluster(opts: Parameters<World['e']['seed']['cluster']>[2] = { authorizedIPRanges: [OFFICE] }): { rg: string; id: string } {
  const rg = `rg-access-${++counter}`;
  world.e.seed.resourceGroup(rg);
  return { rg, id: world.e.seed.cluster(rg, 'aks', opts).id };
}

const rangesOf = (id: string) => (((world.e.store.get(id)?.properties as { apiServerAccessProfile?: { authorizedIPRanges?: string[] } }).apiServerAccessProfile?.authorizedIPRanges) ?? []);
const armWrites = (from: number) => world.e.log.entries.slice(from).filter((r) => r.surface === 'arm' && r.method === 'PUT');
const echoCalls = (from: number) => world.e.log.entries.slice(from).filter((r) => r.surface === 'echo');

function run(host: HostName, inputs: Record<string, string>, options: RunOptions = {}): Promise<StepRun> {
  return runShippedStep(world, STEP, host, { 'ip-echo-url': world.e.urls.ipEcho, ...inputs }, options);
}

function assertOk(r: StepRun): void {
  assert.ok(r.succeeded, `step failed on ${r.host}: ${r.error}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  assert.deepEqual(secretsPrinted(r, [world.sp.secret]), []);
}

/** Whether a TLS connection to the stand-in's Kubernetes API gets through the firewall. */
function apiServerReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const url = new URL(world.e.kube!.httpsUrl!);
    const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca: world.e.tls.caPem, servername: 'localhost' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(3000, () => done(false));
  });
}

describe('main run and post-job run (both hosts)', () => {
  for (const host of HOSTS) {
    test(`${host}: adds the detected /32, the API server lets the runner in; a re-run writes nothing; post removes exactly it`, async () => {
      const servedId = world.e.store.ofType('Microsoft.ContainerService/managedClusters')[0]!.id;
      const inputs = { 'cluster-resource-group': 'rg-served', 'cluster-name': 'aks' };
      assert.equal(await apiServerReachable(), false, 'the runner is outside the ranges before the step');
      const start = world.e.log.entries.length;
      const main = await run(host, inputs);
      assertOk(main);
      assert.deepEqual([main.outputs['runner-ip'], main.outputs.added, main.outputs.private, main.outputs.changed], [`${RUNNER}/32`, 'true', 'false', 'true']);
      assert.deepEqual(rangesOf(servedId), [OFFICE, `${RUNNER}/32`]);
      assert.equal(echoCalls(start).length, 1);
      assert.equal(armWrites(start).length, 1);
      assert.match(main.stdout, /is updating \(AKS cluster updates take a few minutes\); waiting for it to finish/);
      assert.equal(world.e.store.get(servedId)?.properties?.provisioningState, 'Succeeded', 'wait: true waits for the operation');
      assert.equal(await apiServerReachable(), true, 'the runner is let in once the step is done');
      assert.equal(main.state.addedRange, `${RUNNER}/32`);

      const again = world.e.log.entries.length;
      const rerun = await run(host, inputs);
      assertOk(rerun);
      assert.deepEqual([rerun.outputs.added, rerun.outputs.changed], ['false', 'false']);
      assert.deepEqual(armWrites(again), []);
      assert.equal(rerun.state.addedRange, undefined, 'a run that added nothing leaves nothing to remove');

      const post = await run(host, inputs, { state: main.state });
      assertOk(post);
      assert.match(post.stdout, new RegExp(`Removed ${RUNNER}/32 from the authorized IP ranges of AKS cluster rg-served/aks`));
      assert.deepEqual(rangesOf(servedId), [OFFICE]);
      assert.equal(await apiServerReachable(), false, 'closed again after the job');
      assert.deepEqual(post.outputs, {}, 'the post run plans nothing and sets no outputs');

      const postOfRerun = world.e.log.entries.length;
      assertOk(await run(host, inputs, { state: rerun.state }));
      assert.deepEqual(armWrites(postOfRerun), []);
    });

    test(`${host}: runner-ip given: no echo call; a wider existing range covers it (no write); keep leaves the added range after the job`, async () => {
      const { rg, id } = cluster({ authorizedIPRanges: [OFFICE, '20.81.0.0/16'] });
      const start = world.e.log.entries.length;
      const covered = await run(host, { 'cluster-resource-group': rg, 'cluster-name': 'aks', 'runner-ip': '20.81.4.9' });
      assertOk(covered);
      assert.deepEqual([covered.outputs['runner-ip'], covered.outputs.added, covered.outputs.changed], ['20.81.4.9/32', 'false', 'false']);
      assert.match(covered.summary, /20\.81\.4\.9\/32 is already allowed by 20\.81\.0\.0\/16/);
      assert.deepEqual(echoCalls(start), []);
      assert.deepEqual(armWrites(start), []);

      const main = await run(host, { 'cluster-name': id, 'runner-ip': '203.0.113.9', keep: 'true' });
      assertOk(main);
      assert.equal(main.outputs.added, 'true');
      const post = await run(host, { 'cluster-name': id, 'runner-ip': '203.0.113.9', keep: 'true' }, { state: main.state });
      assertOk(post);
      assert.match(post.stdout, /is true: 203\.0\.113\.9\/32 stays/);
      assert.deepEqual(rangesOf(id), [OFFICE, '20.81.0.0/16', '203.0.113.9/32']);
      assert.deepEqual(echoCalls(start), []);
    });

    test(`${host}: the echo service unreachable or answering no public IPv4 fails the step before any write, naming runner-ip`, async () => {
      const { rg, id } = cluster();
      const runnerIp = host === 'github' ? 'runner-ip' : 'runnerIp';
      const start = world.e.log.entries.length;
      world.e.faults.add({ surface: 'echo', kind: 'error', status: 503, times: 1 });
      const down = await run(host, { 'cluster-resource-group': rg, 'cluster-name': 'aks' });
      assert.equal(down.succeeded, false);
      assert.match(down.error!, new RegExp(`answered 503 instead of this runner's public address\\. Give the runner's public IPv4 address in '${runnerIp}'`));
      world.e.faults.add({ surface: 'echo', kind: 'respond', status: 200, body: '10.1.2.3\n', times: 1 });
      const privateAnswer = await run(host, { 'cluster-resource-group': rg, 'cluster-name': 'aks' });
      assert.match(privateAnswer.error!, new RegExp(`answered '10\\.1\\.2\\.3', which cannot be this runner's public address: it is a private address.*'${runnerIp}'`));
      const unreachable = await run(host, { 'cluster-resource-group': rg, 'cluster-name': 'aks', 'ip-echo-url': 'https://127.0.0.1:9/' });
      assert.match(unreachable.error!, /could not be reached to learn this runner's public address/);
      assert.deepEqual(armWrites(start), []);
      assert.deepEqual(rangesOf(id), [OFFICE]);
    });
  }
});

describe('what the step leaves alone', () => {
  test('a private cluster: private=true and a pointer to private-cluster: true; an open API server: nothing to open; no writes', async () => {
    const priv = cluster({ privateCluster: true });
    const open = cluster({});
    const start = world.e.log.entries.length;
    const p = await run('github', { 'cluster-resource-group': priv.rg, 'cluster-name': 'aks' });
    assertOk(p);
    assert.deepEqual([p.outputs.private, p.outputs.added, p.outputs.changed], ['true', 'false', 'false']);
    assert.match(p.stdout, /private cluster.*'private-cluster: true'/);
    const o = await run('azure-pipelines', { 'cluster-resource-group': open.rg, 'cluster-name': 'aks' });
    assertOk(o);
    assert.deepEqual([o.outputs.private, o.outputs.added], ['false', 'false']);
    assert.match(o.stdout, /has no API server authorized IP ranges/);
    assert.deepEqual(armWrites(start), []);
    assert.deepEqual(echoCalls(start), [], 'nothing to open: the echo service is not asked');
  });

  test('more than 200 ranges would result: a clear error and no write', async () => {
    const full = Array.from({ length: 200 }, (_, i) => `198.51.${Math.floor(i / 200) + 100}.${i}/32`);
    const { rg, id } = cluster({ authorizedIPRanges: full });
    const start = world.e.log.entries.length;
    const r = await run('azure-pipelines', { 'cluster-resource-group': rg, 'cluster-name': 'aks' });
    assert.equal(r.succeeded, false);
    assert.match(r.error!, /would make 201 authorized IP ranges; AKS allows at most 200/);
    assert.deepEqual(armWrites(start), []);
    assert.equal(rangesOf(id).length, 200);
  });

  test('dry-run: the plan says what would be added; nothing is written and nothing is saved for after the job', async () => {
    const { rg, id } = cluster();
    const start = world.e.log.entries.length;
    const r = await run('github', { 'cluster-resource-group': rg, 'cluster-name': 'aks', 'dry-run': 'true' });
    assertOk(r);
    assert.deepEqual([r.outputs.changed, r.outputs.added], ['true', 'false']);
    assert.match(r.summary, /\| update \| AKS cluster rg-access-\d+\/aks \| add 20\.81\.4\.7\/32 to the API server authorized IP ranges \|/);
    assert.deepEqual(armWrites(start), []);
    assert.deepEqual(rangesOf(id), [OFFICE]);
    assert.deepEqual(Object.keys(r.state), ['isPost']);
  });

  test('bad inputs: every problem at once, named as the host spells them, and no request', async () => {
    const start = world.e.log.entries.length;
    const r = await run('azure-pipelines', { 'cluster-name': 'aks', 'runner-ip': '20.81.4.7/24', 'ip-echo-url': 'http://api.ipify.org' });
    assert.equal(r.succeeded, false);
    assert.match(r.error!, /3 inputs need fixing/);
    assert.match(r.error!, /Input 'clusterName' is the name 'aks', but 'clusterResourceGroup' is not given/);
    assert.match(r.error!, /Input 'runnerIp' is '20\.81\.4\.7\/24', which has host bits set/);
    assert.match(r.error!, /Input 'ipEchoUrl' is 'http:\/\/api\.ipify\.org', which is not an https:\/\/ URL/);
    assert.deepEqual(world.e.log.entries.slice(start).filter((e) => e.surface !== 'entra'), []);
  });
});

describe('never losing someone else\'s change', () => {
  test('a range added by someone else between our read and our write survives (412, re-read, re-merge), and post keeps it', async () => {
    const { rg, id } = cluster();
    world.e.faults.add({
      surface: 'arm',
      kind: 'hook',
      when: 'before',
      method: 'PUT',
      path: `/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/aks`,
      times: 1,
      run: () => {
        const c = world.e.store.get(id)!;
        const p = c.properties as { apiServerAccessProfile: { authorizedIPRanges: string[] } };
        p.apiServerAccessProfile.authorizedIPRanges = [...p.apiServerAccessProfile.authorizedIPRanges, '192.0.2.44/32'];
        world.e.store.put(c);
      },
    });
    const main = await run('github', { 'cluster-resource-group': rg, 'cluster-name': 'aks' });
    assertOk(main);
    assert.match(main.stdout, /changed since it was read \(its eTag no longer matches\): reading it again/);
    assert.deepEqual(rangesOf(id), [OFFICE, '192.0.2.44/32', `${RUNNER}/32`]);
    const post = await run('github', { 'cluster-resource-group': rg, 'cluster-name': 'aks' }, { state: main.state });
    assertOk(post);
    assert.deepEqual(rangesOf(id), [OFFICE, '192.0.2.44/32']);
  });

  test('another operation running on the cluster (409) is waited out with back-off', async () => {
    const { rg, id } = cluster();
    const busy = world.e.store.get(id)!;
    world.e.store.put({ ...busy, properties: { ...busy.properties, provisioningState: 'Upgrading' } });
    // The other operation ends a moment after it made our first write fail (whatever the machine's speed).
    let done: NodeJS.Timeout | undefined;
    world.e.faults.add({
      surface: 'arm',
      kind: 'hook',
      when: 'after',
      method: 'PUT',
      path: `/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/aks`,
      times: 1,
      run: () => {
        done = setTimeout(() => {
          const c = world.e.store.get(id)!;
          world.e.store.put({ ...c, properties: { ...c.properties, provisioningState: 'Succeeded' } });
        }, 1000);
      },
    });
    try {
      const main = await run('azure-pipelines', { 'cluster-resource-group': rg, 'cluster-name': 'aks' });
      assertOk(main);
      assert.match(main.stdout, /Another operation is running on AKS cluster rg-access-\d+\/aks: trying again in \d+ s/);
      assert.deepEqual(rangesOf(id), [OFFICE, `${RUNNER}/32`]);
    } finally {
      clearTimeout(done);
    }
  });

  test('a post-job failure is a visible warning with the exact az command, and does not fail the job', async () => {
    const { rg, id } = cluster();
    const main = await run('azure-pipelines', { 'cluster-resource-group': rg, 'cluster-name': 'aks' });
    assertOk(main);
    const refuse = () => world.e.faults.add({ surface: 'arm', kind: 'respond', method: 'PUT', path: `/resourceGroups/${rg}/`, status: 403, body: JSON.stringify({ error: { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action Microsoft.ContainerService/managedClusters/write.' } }), headers: { 'content-type': 'application/json' }, times: 1 });
    for (const host of HOSTS) {
      refuse();
      const post = await run(host, { 'cluster-resource-group': rg, 'cluster-name': 'aks' }, { state: main.state });
      assertOk(post);
      const warning = post.warnings.join('\n');
      assert.match(warning, new RegExp(`Could not remove ${RUNNER}/32, added by this run, from the authorized IP ranges of AKS cluster ${rg}/aks: .*AuthorizationFailed`));
      assert.ok(warning.includes(`az aks update --subscription ${world.e.subscriptionId} --resource-group ${rg} --name aks --api-server-authorized-ip-ranges ${OFFICE}`), warning);
      assert.deepEqual(rangesOf(id), [OFFICE, `${RUNNER}/32`]);
    }
    // The same state once ARM lets it: removed.
    assertOk(await run('github', { 'cluster-resource-group': rg, 'cluster-name': 'aks' }, { state: main.state }));
    assert.deepEqual(rangesOf(id), [OFFICE]);
  });
});

describe('two jobs against one cluster at the same time', () => {
  test('both find their address present during their work, and both are removed at the end; the owner\'s range stays', async () => {
    const { rg, id } = cluster();
    const jobs = [
      { host: 'github' as const, ip: '20.81.4.21' },
      { host: 'azure-pipelines' as const, ip: '20.81.4.22' },
    ];
    const inputs = (ip: string) => ({ 'cluster-resource-group': rg, 'cluster-name': 'aks', 'runner-ip': ip });
    const mains = await Promise.all(
      jobs.map(async (job) => {
        const main = await run(job.host, inputs(job.ip));
        // The job's own work starts now: its address must be there.
        const present = rangesOf(id).includes(`${job.ip}/32`);
        return { main, present };
      }),
    );
    for (const { main, present } of mains) {
      assertOk(main);
      assert.equal(main.outputs.added, 'true');
      assert.ok(present, `${main.host}: its address was present when its main run ended`);
    }
    assert.deepEqual([...rangesOf(id)].sort(), [OFFICE, '20.81.4.21/32', '20.81.4.22/32'].sort());
    const posts = await Promise.all(jobs.map((job, i) => run(job.host, inputs(job.ip), { state: mains[i]!.main.state })));
    for (const post of posts) {
      assertOk(post);
      assert.deepEqual(post.warnings, []);
    }
    assert.deepEqual(rangesOf(id), [OFFICE]);
  });
});
