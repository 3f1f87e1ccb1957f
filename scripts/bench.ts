// pnpm bench: measurements, not tests (nothing here gates CI). Writes bench/results/bench.md and
// prints it. Timings depend on the machine; request counts do not.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import node24 from '@private-wire/node24';
import { startEmulator, type Emulator } from '../packages/emulator/src/index';
import { SHIPPED_STEPS } from '../steps/catalog';
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

/** Process start → first request the stand-in answers (sign-in), per bundle and runtime, median of 3. */
async function coldStarts(): Promise<void> {
  out('## Cold start (process start → first request)', '');
  out('| Step | Node 20 | Node 24 | Bundle size |', '| --- | --- | --- | --- |');
  const e = await startEmulator();
  const secret = 'bench-secret-0123456789';
  const sp = { clientId: e.registerApp({ secret }).clientId, secret };
  try {
    for (const meta of SHIPPED_STEPS) {
      const bundle = path.join(root, 'actions', meta.id, 'dist', 'index.js');
      const row: string[] = [];
      for (const node of [process.execPath, node24]) {
        const samples: number[] = [];
        for (let i = 0; i < 3; i++) {
          e.log.clear();
          const started = Date.now();
          await new Promise<void>((resolve) => {
            const child = spawn(node, [bundle], {
              env: {
                PATH: process.env.PATH,
                ...spEnv(e, sp),
                'INPUT_ENVIRONMENT': 'Custom',
                'INPUT_RESOURCE-MANAGER-ENDPOINT': e.urls.arm,
                'INPUT_AUTHORITY-HOST': e.urls.authorityHost,
                'INPUT_KUBECONFIG': e.kube!.kubeconfig({ https: true }),
                ...requiredInputs(meta.id),
                GITHUB_OUTPUT: path.join(mkdtempSync(path.join(tmpdir(), 'bench-')), 'out'),
              },
              stdio: 'ignore',
            });
            child.on('exit', () => resolve());
          });
          const first = e.log.entries[0]?.at;
          if (first) samples.push(first - started);
        }
        row.push(samples.length ? ms(median(samples)) : 'no request');
      }
      out(`| ${meta.id} | ${row[0]} | ${row[1]} | ${(statSync(bundle).size / 1024 / 1024).toFixed(1)} MiB |`);
    }
  } finally {
    await e.stop();
  }
  out();
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

async function main(): Promise<void> {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'build.ts'), '--github-only'], { cwd: root, stdio: 'inherit' });
  await coldStarts();
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
