// pnpm bench: measurements, not tests (nothing here gates CI). Writes bench/results/bench.md and
// prints it. Timings depend on the machine; request counts do not.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import node24 from '@private-wire/node24';
import { startEmulator, type Emulator } from '../packages/emulator/src/index';
import { SHIPPED_STEPS } from '../steps/catalog';
import { baselineBundles, bundleFilesIn, currentBundles, loadedBytes, previousRelease, readProbes, releaseTarballBytes, writeProbe, type BundleSet } from './lib/bench-bundles';
import { runConnectFlow, seedDemoWorld } from './lib/demo-world';
import { runGitHubAction } from './lib/runners';

const root = path.resolve(__dirname, '..');
const lines: string[] = ['# private-wire benchmarks', '', `Machine: ${process.platform} ${process.arch}, Node ${process.version} (host), run ${new Date().toISOString()}.`, ''];
const out = (...text: string[]) => {
  lines.push(...(text.length ? text : ['']));
};
const ms = (n: number) => `${Math.round(n)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function spEnv(e: Emulator, sp: { clientId: string; secret: string }) {
  return {
    NODE_EXTRA_CA_CERTS: e.tls.caFile,
    AZURE_CLIENT_ID: sp.clientId,
    AZURE_TENANT_ID: e.tenantId,
    AZURE_CLIENT_SECRET: sp.secret,
    AZURE_SUBSCRIPTION_ID: e.subscriptionId,
  };
}

interface StartSample {
  /** Process start → first request the stand-in answers (sign-in). */
  firstRequestMs?: number;
  maxRssKiB?: number;
  loadedBytes?: number;
}

/** One run of a step's GitHub bundle to its first request and on to its exit, with the probe. */
async function startOnce(e: Emulator, sp: { clientId: string; secret: string }, node: string, bundle: string, step: string, probe: string): Promise<StartSample> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-'));
  e.log.clear();
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const child = spawn(node, [bundle], {
      env: {
        PATH: process.env.PATH,
        ...spEnv(e, sp),
        NODE_OPTIONS: `--require ${probe}`,
        PRIVATE_WIRE_PROBE_DIR: dir,
        'INPUT_ENVIRONMENT': 'Custom',
        'INPUT_RESOURCE-MANAGER-ENDPOINT': e.urls.arm,
        'INPUT_AUTHORITY-HOST': e.urls.authorityHost,
        'INPUT_KUBECONFIG': e.kube!.kubeconfig({ https: true }),
        ...requiredInputs(step),
        GITHUB_OUTPUT: path.join(dir, 'out'),
      },
      stdio: 'ignore',
    });
    child.on('exit', () => resolve());
  });
  const first = e.log.entries[0]?.at;
  const probed = readProbes(dir)[0];
  return { firstRequestMs: first ? first - started : undefined, maxRssKiB: probed?.maxRssKiB, loadedBytes: probed && loadedBytes(probed) };
}

const medianOf = (samples: StartSample[], key: keyof StartSample) => {
  const xs = samples.map((s) => s[key]).filter((x): x is number => x !== undefined);
  return xs.length ? median(xs) : undefined;
};
const ratio = (now: number | undefined, before: number | undefined) => (now !== undefined && before ? `${(now / before).toFixed(2)}×` : '—');
const mib = (bytes: number | undefined) => (bytes === undefined ? '—' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
const msOrDash = (n: number | undefined) => (n === undefined ? '—' : ms(n));

/**
 * Each step's GitHub bundle against the baseline's, alternating so both meet the same machine
 * state: the JavaScript it loads, process start → first request and peak memory (median of 3 on
 * each runtime; the ratio is this checkout's over the baseline's, below 1 is better).
 */
async function compareBundles(sets: BundleSet[]): Promise<void> {
  out(`## Bundles: ${sets.map((s) => s.label).join(' against ')}`, '');
  out('Loaded: the JavaScript files the process loaded. Start: process start → first request (sign-in). Peak: maximum resident memory. Median of 3 runs each.', '');
  const runtimes = [['Node 20', process.execPath] as const, ['Node 24', node24] as const];
  out(`| Step | Loaded | ratio | ${runtimes.map(([n]) => `Start ${n} | ratio | Peak ${n} | ratio`).join(' | ')} |`, `| --- |${' --- |'.repeat(2 + runtimes.length * 4)}`);
  const e = await startEmulator();
  const secret = 'bench-secret-0123456789';
  const sp = { clientId: e.registerApp({ secret }).clientId, secret };
  const probe = writeProbe(mkdtempSync(path.join(tmpdir(), 'bench-probe-')));
  try {
    for (const meta of SHIPPED_STEPS) {
      const cells: string[] = [];
      const bySet: StartSample[][][] = sets.map(() => runtimes.map(() => []));
      for (let i = 0; i < 3; i++) {
        for (const [r, [, node]] of runtimes.entries()) {
          for (const [k, set] of sets.entries()) bySet[k]![r]!.push(await startOnce(e, sp, node, path.join(set.root, 'actions', meta.id, 'dist', 'index.js'), meta.id, probe));
        }
      }
      const [now, before] = bySet;
      const loaded = [medianOf(now![0]!, 'loadedBytes'), before && medianOf(before[0]!, 'loadedBytes')];
      cells.push(mib(loaded[0]), ratio(loaded[0], loaded[1]));
      for (const r of runtimes.keys()) {
        const start = [medianOf(now![r]!, 'firstRequestMs'), before && medianOf(before[r]!, 'firstRequestMs')];
        const peak = [medianOf(now![r]!, 'maxRssKiB'), before && medianOf(before[r]!, 'maxRssKiB')];
        cells.push(msOrDash(start[0]), ratio(start[0], start[1]), mib(peak[0] && peak[0] * 1024), ratio(peak[0], peak[1]));
      }
      out(`| ${meta.id} | ${cells.join(' | ')} |`);
    }
  } finally {
    await e.stop();
  }
  out();
}

/** Every task bundle's size (the .vsix ships each task folder whole), against the baseline's where it has them. */
function taskSizes(sets: BundleSet[]): void {
  out('## Azure Pipelines task bundles (each task folder ships whole in the .vsix)', '');
  out(`| Task | ${sets.map((s) => s.label).join(' | ')} | ratio |`, `| --- |${' --- |'.repeat(sets.length + 1)}`);
  const size = (root: string, id: string) => {
    const files = bundleFilesIn(root, [path.join('tasks', id, 'dist')]);
    return files.length ? files.reduce((sum, f) => sum + statSync(path.join(root, f)).size, 0) : undefined;
  };
  for (const meta of SHIPPED_STEPS) {
    const sizes = sets.map((s) => size(s.root, meta.id));
    out(`| ${meta.id} | ${sizes.map(mib).join(' | ')} | ${ratio(sizes[0], sizes[1])} |`);
  }
  out('', 'A release commit holds no task bundles (they ship in the .vsix attached to the GitHub release), so against a release tag this column is empty; a baseline built from source has them.', '');
}

/** The download every job makes for `uses: …@<release>`: the repository at the release commit. */
function tarballs(sets: BundleSet[]): void {
  out('## Release tarball (what a runner downloads for each job that uses a step)', '');
  const sizes = sets.map((set) => releaseTarballBytes(root, set));
  out(`| ${sets.map((s) => s.label).join(' | ')} | ratio |`, `|${' --- |'.repeat(sets.length + 1)}`, `| ${sizes.map(mib).join(' | ')} | ${ratio(sizes[0], sizes[1])} |`, '');
}

/**
 * The real path a reviewer runs first: the composed flow with `dry-run: true` against the demo
 * world, through each set's bundles (the same composite and inputs), alternating, 3 times each.
 * Wall time and the largest peak memory of any step process.
 */
async function dryRunFlow(sets: BundleSet[]): Promise<void> {
  out('## Dry run of the composed flow (connect-webapp-to-aks, `dry-run: true`)', '');
  const probe = writeProbe(mkdtempSync(path.join(tmpdir(), 'bench-probe-')));
  const results = sets.map(() => ({ wall: [] as number[], peak: [] as number[], ok: true }));
  for (let i = 0; i < 3; i++) {
    for (const [k, set] of sets.entries()) {
      const e = await startEmulator({ provisioningDelayMs: 0 });
      try {
        const world = await seedDemoWorld(e);
        const dir = mkdtempSync(path.join(tmpdir(), 'bench-flow-'));
        const t = Date.now();
        const flow = await runConnectFlow(e, world, {
          bundleRoot: set.root,
          inputs: { 'dry-run': 'true' },
          env: { NODE_OPTIONS: `--require ${probe}`, PRIVATE_WIRE_PROBE_DIR: dir },
        });
        results[k]!.wall.push(Date.now() - t);
        results[k]!.peak.push(Math.max(0, ...readProbes(dir).map((p) => p.maxRssKiB)));
        results[k]!.ok &&= flow.succeeded;
      } finally {
        await e.stop();
      }
    }
  }
  out(`| | ${sets.map((s) => s.label).join(' | ')} | ratio |`, `| --- |${' --- |'.repeat(sets.length + 1)}`);
  const walls = results.map((r) => median(r.wall));
  const peaks = results.map((r) => median(r.peak) * 1024);
  out(`| Succeeded | ${results.map((r) => r.ok).join(' | ')} | |`);
  out(`| Wall time | ${walls.map(ms).join(' | ')} | ${ratio(walls[0], walls[1])} |`);
  out(`| Largest step peak memory | ${peaks.map(mib).join(' | ')} | ${ratio(peaks[0], peaks[1])} |`, '');
}

/** Inputs that get each step past validation to its first request. */
function requiredInputs(step: string): Record<string, string> {
  const inputs: Record<string, Record<string, string>> = {
    'vnet-integrate-webapp': { INPUT_WEBAPP: 'app', 'INPUT_RESOURCE-GROUP': 'rg', INPUT_VNET: 'vnet', INPUT_SUBNET: 'snet' },
    'expose-internal-service': { INPUT_SERVICE: 'backend' },
    'configure-coredns-external': { INPUT_ZONE: 'internal.example' },
    'set-webapp-dns': { INPUT_WEBAPP: 'app', 'INPUT_RESOURCE-GROUP': 'rg', 'INPUT_DNS-SERVER': '10.0.0.10' },
    'approve-pe-connections': { 'INPUT_RESOURCE-ID': '/subscriptions/00000000-0000-4000-8000-000000000002/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls' },
    'aks-api-access': { 'INPUT_CLUSTER-RESOURCE-GROUP': 'rg', 'INPUT_CLUSTER-NAME': 'aks', 'INPUT_RUNNER-IP': '20.81.4.7' },
    'create-private-endpoint': { INPUT_NAME: 'pe', 'INPUT_RESOURCE-GROUP': 'rg', INPUT_VNET: 'vnet', INPUT_SUBNET: 'snet', INPUT_TARGET: '/subscriptions/00000000-0000-4000-8000-000000000002/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls' },
    'check-private-path': { INPUT_WEBAPP: 'app', 'INPUT_RESOURCE-GROUP': 'rg', INPUT_VNET: 'vnet', INPUT_SUBNET: 'snet', 'INPUT_CLUSTER-RESOURCE-GROUP': 'rg', 'INPUT_CLUSTER-NAME': 'aks' },
  };
  return inputs[step] ?? {};
}

/** The composed flow with provisioning latency injected, against the sum of the injected waits. */
async function composedFlow(): Promise<void> {
  out('## Composed flow (connect-webapp-to-aks) with injected latency', '');
  const provisioningDelayMs = 1500;
  const loadBalancerDelayMs = 2000;
  const rolloutDelayMs = 1000;
  const e = await startEmulator({ provisioningDelayMs, kube: { loadBalancerDelayMs, rolloutDelayMs } });
  try {
    const world = await seedDemoWorld(e);
    const t = Date.now();
    const first = await runConnectFlow(e, world);
    const wall = Date.now() - t;
    const count = (surface: string) => e.log.entries.filter((r) => r.surface === surface).length;
    const arm = count('arm');
    const kube = count('kube');
    const armWrites = e.log.writes('arm').length;
    // Long-running operations answer 201/202 and then take provisioningDelayMs each.
    const asyncOps = e.log.entries.filter((r) => r.surface === 'arm' && r.method !== 'GET' && (r.status === 201 || r.status === 202)).length;
    const kubeWrites = e.log.writes('kube').length;
    e.log.clear();
    const t2 = Date.now();
    const second = await runConnectFlow(e, world);
    const rerun = Date.now() - t2;
    out(`Injected: ARM long-running operations ${provisioningDelayMs} ms each, load balancer IP ${loadBalancerDelayMs} ms, CoreDNS rollout ${rolloutDelayMs} ms.`, '');
    out('| Run | Succeeded | Wall time | ARM requests (writes) | Kubernetes requests (writes) |', '| --- | --- | --- | --- | --- |');
    out(`| first | ${first.succeeded} | ${ms(wall)} | ${arm} (${armWrites}) | ${kube} (${kubeWrites}) |`);
    out(`| re-run | ${second.succeeded} | ${ms(rerun)} | ${e.log.entries.filter((r) => r.surface === 'arm').length} (${e.log.writes('arm').length}) | ${e.log.entries.filter((r) => r.surface === 'kube').length} (${e.log.writes('kube').length}) |`);
    out();
    const waits = asyncOps * provisioningDelayMs + 2 * loadBalancerDelayMs + rolloutDelayMs;
    out(`Sum of the injected waits the first run met: ${ms(waits)} (${asyncOps} long-running ARM operations × ${provisioningDelayMs} ms, 2 load balancer IPs × ${loadBalancerDelayMs} ms, 1 rollout × ${rolloutDelayMs} ms). Wall time minus that is the flow's own cost (${first.steps.filter((s) => !s.skipped).length} process starts, the preflight's reads among them, sign-ins, reads): ${ms(wall - waits)}.`, '');
  } finally {
    await e.stop();
  }
}

/**
 * aks-api-access against a cluster whose updates take a set time: the time the step adds (main:
 * add the range and wait; post: remove it and wait) beyond the two injected updates.
 */
async function apiAccess(): Promise<void> {
  out('## aks-api-access: time added against the injected cluster update duration', '');
  out('| Injected update | Main (add range) | Post (remove range) | Added beyond the 2 updates |', '| --- | --- | --- | --- |');
  for (const clusterUpdateDelayMs of [0, 5000, 15000]) {
    const e = await startEmulator({ provisioningDelayMs: 0, clusterUpdateDelayMs });
    const secret = 'bench-secret-0123456789';
    const sp = { clientId: e.registerApp({ secret }).clientId, secret };
    try {
      e.seed.resourceGroup('rg');
      e.seed.cluster('rg', 'aks', { authorizedIPRanges: ['198.51.100.0/24'] });
      const bundle = path.join(root, 'actions', 'aks-api-access', 'dist', 'index.js');
      const inputs = { 'cluster-resource-group': 'rg', 'cluster-name': 'aks', 'ip-echo-url': e.urls.ipEcho, environment: 'Custom', 'resource-manager-endpoint': e.urls.arm, 'authority-host': e.urls.authorityHost };
      const t = Date.now();
      const main = await runGitHubAction(bundle, inputs, { env: spEnv(e, sp) });
      const mainMs = Date.now() - t;
      const t2 = Date.now();
      const post = await runGitHubAction(bundle, inputs, { env: spEnv(e, sp), state: main.state });
      const postMs = Date.now() - t2;
      const ok = main.exitCode === 0 && post.exitCode === 0 && main.outputs.added === 'true';
      out(`| ${ms(clusterUpdateDelayMs)} | ${ok ? ms(mainMs) : 'failed'} | ${ok ? ms(postMs) : 'failed'} | ${ok ? ms(mainMs + postMs - 2 * clusterUpdateDelayMs) : '—'} |`);
    } finally {
      await e.stop();
    }
  }
  out('', 'The step polls the operation every 2 s, so the added time includes up to 2 s per update of polling granularity.', '');
}

/** Approving 1,000 pending connections while the stand-in throttles writes. */
async function bulkApprove(): Promise<void> {
  out('## Approving 1,000 pending connections under 429 throttling', '');
  const e = await startEmulator({ provisioningDelayMs: 0 });
  const secret = 'bench-secret-0123456789';
  const sp = { clientId: e.registerApp({ secret }).clientId, secret };
  try {
    e.seed.resourceGroup('rg-pls');
    const { subnets } = e.seed.vnet('rg-pls', 'vnet', { subnets: [{ name: 'pls', addressPrefix: '10.0.0.0/24', privateLinkServiceNetworkPolicies: 'Disabled' }] });
    const pls = e.seed.privateLinkService('rg-pls', 'pls', { subnetId: subnets[0]!.id });
    for (let i = 0; i < 1000; i++) e.seed.privateEndpointRequest(pls.id, { subscriptionId: e.subscriptionId, name: `pe-${i}` });
    // The first 100 writes are refused with 429 and a one-second Retry-After, as ARM does when a
    // principal exceeds its write budget.
    e.faults.add({ surface: 'arm', kind: 'throttle', retryAfterSeconds: 1, method: 'PUT', times: 100 });
    const t = Date.now();
    const run = await runGitHubAction(
      path.join(root, 'actions', 'approve-pe-connections', 'dist', 'index.js'),
      { 'resource-id': pls.id, environment: 'Custom', 'resource-manager-endpoint': e.urls.arm, 'authority-host': e.urls.authorityHost },
      { env: spEnv(e, sp) },
    );
    const wall = Date.now() - t;
    const puts = e.log.entries.filter((r) => r.method === 'PUT');
    out('| Connections | Approved | Wall time | PUTs (429s) |', '| --- | --- | --- | --- |');
    out(`| 1000 | ${run.outputs.approved ?? run.stdout.split('\n').filter((l) => l.startsWith('::error::')).join(' ')} | ${ms(wall)} | ${puts.length} (${puts.filter((p) => p.status === 429).length}) |`);
    out();
  } finally {
    await e.stop();
  }
}

/** `--baseline <ref>`, else the newest vX.Y.Z tag; none when there is no release yet. */
function baselineRef(): string | undefined {
  const at = process.argv.indexOf('--baseline');
  if (at !== -1) {
    const ref = process.argv[at + 1];
    if (!ref) throw new Error('--baseline needs a git ref (a tag, branch or commit)');
    return ref;
  }
  return previousRelease(root);
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'build.ts')], { cwd: root, stdio: 'inherit' });
  const ref = baselineRef();
  if (!ref) console.error('No previous release (no vX.Y.Z tag) and no --baseline <ref>: measuring this checkout alone.');
  const sets = [currentBundles(root), ...(ref ? [baselineBundles(root, ref)] : [])];
  try {
    if (ref) out(`Baseline: ${ref} (${sets[1]!.releaseFiles.length ? 'built from source' : 'a release commit, bundles as committed'}). Ratios are this checkout over the baseline: below 1 is smaller, faster or leaner.`, '');
    await compareBundles(sets);
    taskSizes(sets);
    tarballs(sets);
    await dryRunFlow(sets);
  } finally {
    for (const set of sets) set.dispose();
  }
  await composedFlow();
  await apiAccess();
  await bulkApprove();
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'bench.md'), lines.join('\n') + '\n');
  console.log(lines.join('\n'));
  console.log(`\n(written to ${path.relative(root, path.join(dir, 'bench.md'))})`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
