// One proxy decision for every client, through real bundles on both hosts and a real CONNECT proxy
// in front of the stand-in. The stand-in is addressed by names under `.proxied.test`, which only
// the proxy resolves: a request that does not go through the proxy cannot reach it at all. Names
// under `.direct.test` resolve on the "runner" too (test/support/direct-test-names.cjs), so a
// target that NO_PROXY or the agent's bypass list excludes is reached directly. Loopback addresses
// are never proxied (see packages/shared/src/net/proxy.ts), which is why the test needs names.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildKubeconfig } from '@private-wire/emulator/kube/server';
import { bundleFixture, ROOT, type HostBundles } from './support/bundles';
import { startConnectProxy, type ConnectProxy } from './support/connect-proxy';
import { runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from './support/harness';

const ARM = 'management.proxied.test';
const LOGIN = 'login.proxied.test';
const KUBE = 'kube.proxied.test';
const LOGIN_DIRECT = 'login.direct.test';
const KUBE_DIRECT = 'kube.direct.test';
const DIRECT_NAMES = path.join(ROOT, 'test', 'support', 'direct-test-names.cjs');
const CREDENTIALS = { username: 'CORP\\builder', password: `pw-${randomBytes(10).toString('hex')}` };

let world: World;
let bundles: HostBundles;
/** The proxy the runner is configured with (credentials required). */
let proxy: ConnectProxy;
/** Another proxy: a kubeconfig's proxy-url, or an HTTPS_PROXY the agent's proxy must win over. */
let other: ConnectProxy;

const onlyProxiedNames = (host: string) => (host.endsWith('.proxied.test') ? '127.0.0.1' : undefined);

before(async () => {
  [world, bundles, proxy, other] = await Promise.all([
    startWorld({ hostNames: [ARM, LOGIN, KUBE, LOGIN_DIRECT, KUBE_DIRECT] }),
    bundleFixture('auth-probe'),
    startConnectProxy({ resolve: onlyProxiedNames, credentials: CREDENTIALS }),
    startConnectProxy({ resolve: onlyProxiedNames }),
  ]);
  world.e.seed.resourceGroup('rg-net');
  world.e.seed.vnet('rg-net', 'vnet-hub', { subnets: [{ name: 'aks', addressPrefix: '10.0.0.0/22' }] });
});

after(async () => {
  await Promise.all([world?.stop(), proxy?.stop(), other?.stop()]);
});

const frontPort = () => new URL(world.e.urls.arm).port;
const kubePort = () => new URL(world.e.kube!.httpsUrl!).port;
const at = (name: string, port: string) => `https://${name}:${port}`;

/** A kubeconfig for the stand-in's API server by `name`, with a proxy-url when given. */
function kubeconfigFor(name: string, proxyUrl?: string): string {
  const text = buildKubeconfig({ server: at(name, kubePort()), caPem: world.e.tls.caPem, token: world.e.kube!.tokens.user });
  return proxyUrl ? text.replace(/^(\s*)server: .*$/m, (line, indent: string) => `${line}\n${indent}proxy-url: ${proxyUrl}`) : text;
}

interface Probe {
  login?: string;
  kube?: string;
  kubeProxyUrl?: string;
  env: Record<string, string>;
}

/** The auth-probe fixture: signs in (Entra ID), lists VNets (ARM) and namespaces (Kubernetes). */
function probe(host: HostName, p: Probe): Promise<StepRun> {
  const inputs = {
    'resource-group': 'rg-net',
    'resource-manager-endpoint': at(ARM, frontPort()),
    'authority-host': at(p.login ?? LOGIN, frontPort()),
    kubeconfig: kubeconfigFor(p.kube ?? KUBE, p.kubeProxyUrl),
  };
  return runShippedStep(world, 'auth-probe', host, inputs, {
    bundle: host === 'github' ? bundles.github : bundles.azurePipelines,
    env: { NODE_OPTIONS: `--require ${DIRECT_NAMES}`, ...p.env },
  });
}

/** The agent's proxy as the agent hands it to a task (microsoft/azure-pipelines-agent ExecutionContext.cs, Handler.cs). */
function agentProxyEnv(bypass: string[]): Record<string, string> {
  return {
    AGENT_PROXYURL: proxy.url,
    AGENT_PROXYUSERNAME: CREDENTIALS.username,
    SECRET_AGENT_PROXYPASSWORD: CREDENTIALS.password,
    VSTS_SECRET_VARIABLES: JSON.stringify(['Agent.ProxyPassword']),
    AGENT_PROXYBYPASSLIST: JSON.stringify(bypass),
  };
}

const tunnelsSince = (p: ConnectProxy, start: number) => [...new Set(p.tunnels.slice(start))].sort();
const mark = () => ({ proxy: proxy.tunnels.length, other: other.tunnels.length, refused: proxy.refused.length + other.refused.length });

/** Succeeded, read from all three, and never printed the proxy password (task-lib's own debug line aside, see below). */
function assertProbed(run: StepRun): void {
  assert.ok(run.succeeded, `${run.host} failed: ${run.error}\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-2000)}`);
  assert.equal(run.outputs.vnets, 'vnet-hub');
  assert.match(run.outputs.namespaces!, /(^|,)kube-system(,|$)/);
  // azure-pipelines-task-lib writes `Agent.ProxyPassword=<value>` to the debug log when it loads
  // (internal.js _exposeProxySettings → _getVariable); the agent masks its own secret variables.
  const ours = { ...run, stdout: run.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.debug]Agent.ProxyPassword=')).join('\n') };
  assert.deepEqual(secretsPrinted(ours, [CREDENTIALS.password, world.sp.secret]), []);
}

const logLine = (endpoint: string, via: string) => new RegExp(`^Proxy: requests to ${endpoint.replace(/[.]/g, '\\.')} go ${via}`, 'm');

describe('GitHub: HTTPS_PROXY and NO_PROXY', () => {
  test('ARM, Entra ID and the Kubernetes API all go through the proxy, with its credentials', async () => {
    const before = mark();
    const run = await probe('github', { env: { HTTPS_PROXY: proxy.urlWithCredentials() } });
    assertProbed(run);
    assert.deepEqual(tunnelsSince(proxy, before.proxy), [`${ARM}:${frontPort()}`, `${KUBE}:${kubePort()}`, `${LOGIN}:${frontPort()}`].sort());
    assert.equal(proxy.refused.length + other.refused.length, before.refused);
    assert.ok(run.masked.includes(CREDENTIALS.password));
    for (const endpoint of [at(ARM, frontPort()), at(LOGIN, frontPort()), `the Kubernetes API server ${at(KUBE, kubePort())}`]) {
      assert.match(run.stdout, logLine(endpoint, `through ${proxy.url} \\(HTTPS_PROXY\\)\\.$`));
    }
  });

  test('NO_PROXY sends Entra ID directly; ARM and Kubernetes still go through the proxy', async () => {
    const before = mark();
    const run = await probe('github', { login: LOGIN_DIRECT, env: { https_proxy: proxy.urlWithCredentials(), no_proxy: `.example.com, ${LOGIN_DIRECT}:${frontPort()}` } });
    assertProbed(run);
    assert.deepEqual(tunnelsSince(proxy, before.proxy), [`${ARM}:${frontPort()}`, `${KUBE}:${kubePort()}`].sort());
    assert.match(run.stdout, logLine(at(LOGIN_DIRECT, frontPort()), `directly \\(no_proxy entry '${LOGIN_DIRECT}:${frontPort()}'\\)\\.$`));
  });

  test("a kubeconfig's proxy-url wins for its cluster, over HTTPS_PROXY and NO_PROXY", async () => {
    const before = mark();
    const run = await probe('github', { kubeProxyUrl: other.url, env: { HTTPS_PROXY: proxy.urlWithCredentials(), NO_PROXY: KUBE } });
    assertProbed(run);
    assert.deepEqual(tunnelsSince(proxy, before.proxy), [`${ARM}:${frontPort()}`, `${LOGIN}:${frontPort()}`].sort());
    assert.deepEqual(tunnelsSince(other, before.other), [`${KUBE}:${kubePort()}`]);
    assert.match(run.stdout, logLine(`the Kubernetes API server ${at(KUBE, kubePort())}`, `through ${other.url} \\(the kubeconfig's proxy-url \\(cluster 'emulator'\\)\\)\\.$`));
  });

  test('a proxy that refuses the credentials: the sign-in fails and a warning says why; so does the cluster connection', async () => {
    const run = await probe('github', { env: { HTTPS_PROXY: proxy.url.replace('://', '://CORP%5Cbuilder:wrong-password-1@') } });
    assert.equal(run.succeeded, false);
    assert.match(run.error!, /^Signing in to Azure with client secret from AZURE_CLIENT_SECRET .* failed/);
    const refusal = `Proxy: ${proxy.url} (HTTPS_PROXY) refused the tunnel to ${LOGIN}:${frontPort()}: 407 Proxy Authentication Required. Check the proxy user name and password.`;
    assert.deepEqual(run.warnings, [refusal]);
    assert.deepEqual(secretsPrinted(run, ['wrong-password-1']), []);

    const cluster = await probe('github', { kubeProxyUrl: proxy.url, env: { HTTPS_PROXY: proxy.urlWithCredentials() } });
    assert.equal(cluster.error, `The proxy ${proxy.url} refused the tunnel to the Kubernetes API server ${at(KUBE, kubePort())} (407 Proxy Authentication Required). Check the proxy user name and password.`);
  });
});

describe("Azure Pipelines: the agent's proxy", () => {
  test('ARM and Entra ID go through the agent proxy (not HTTPS_PROXY); its bypass list sends the cluster directly', async () => {
    const before = mark();
    const run = await probe('azure-pipelines', {
      kube: KUBE_DIRECT,
      env: { ...agentProxyEnv(['\\.internal\\.example$', `^https://${KUBE_DIRECT.replace(/\./g, '\\.')}:${kubePort()}$`]), HTTPS_PROXY: other.url },
    });
    assertProbed(run);
    assert.ok(run.masked.includes(CREDENTIALS.password));
    assert.deepEqual(tunnelsSince(proxy, before.proxy), [`${ARM}:${frontPort()}`, `${LOGIN}:${frontPort()}`].sort());
    assert.deepEqual(tunnelsSince(other, before.other), [], 'HTTPS_PROXY is not used when the agent has a proxy');
    assert.match(run.stdout, logLine(at(ARM, frontPort()), `through ${proxy.url} \\(the agent's proxy \\(Agent\\.ProxyUrl\\)\\)\\.$`));
    assert.match(run.stdout, logLine(`the Kubernetes API server ${at(KUBE_DIRECT, kubePort())}`, "directly \\(the agent's proxy bypass entry"));
  });

  test("a kubeconfig's proxy-url wins for its cluster over the agent's proxy", async () => {
    const before = mark();
    const run = await probe('azure-pipelines', { kubeProxyUrl: other.url, env: agentProxyEnv([]) });
    assertProbed(run);
    assert.deepEqual(tunnelsSince(proxy, before.proxy), [`${ARM}:${frontPort()}`, `${LOGIN}:${frontPort()}`].sort());
    assert.deepEqual(tunnelsSince(other, before.other), [`${KUBE}:${kubePort()}`]);
  });
});

describe('a shipped step through the proxy', () => {
  test('configure-coredns-external fetches AKS credentials from ARM and configures the cluster, all through HTTPS_PROXY', async () => {
    world.e.seed.resourceGroup('rg-aks');
    world.e.seed.cluster('rg-aks', 'aks');
    const kube = world.e.kube!;
    // AKS hands out its API server by name (…azmk8s.io); here a name only the proxy resolves.
    world.e.setKube({ server: at(KUBE, kubePort()), caPem: world.e.tls.caPem, adminToken: kube.tokens.admin, userToken: kube.tokens.user });
    const before = mark();
    const run = await runShippedStep(
      world,
      'configure-coredns-external',
      'github',
      { zone: 'internal.example', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks', 'resource-manager-endpoint': at(ARM, frontPort()), 'authority-host': at(LOGIN, frontPort()) },
      { cluster: 'none', env: { HTTPS_PROXY: proxy.urlWithCredentials() } },
    );
    assert.ok(run.succeeded, `${run.error}\n${run.stdout.slice(-4000)}`);
    assert.match(run.outputs['dns-ip'] ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(tunnelsSince(proxy, before.proxy), [`${ARM}:${frontPort()}`, `${KUBE}:${kubePort()}`, `${LOGIN}:${frontPort()}`].sort());
    assert.deepEqual(secretsPrinted(run, [CREDENTIALS.password, world.sp.secret]), []);
  });
});
