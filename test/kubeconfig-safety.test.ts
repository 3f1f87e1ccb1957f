// A kubeconfig is input, often pasted from elsewhere: through the shipped expose-internal-service
// bundles, nothing in it runs a program unless allowed (never in a dry run), its credentials are
// masked by their fields (names stay readable), tokens never reach a log, a path is not taken for
// content, weak transport is warned about, and an explicit service connection wins over KUBECONFIG.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { seedApp } from '@private-wire/emulator/kube/seed';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type RunOptions, type World } from './support/harness';

const STEP = 'expose-internal-service';
let world: World;
const dir = () => mkdtempSync(path.join(tmpdir(), 'kc-safety-'));

before(async () => {
  world = await startWorld({ kube: { loadBalancerDelayMs: 5 } });
  seedApp(world.e.kube!.api, { name: 'backend', type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } });
});
after(() => world?.stop());

/** The stand-in's kubeconfig with the user's credentials replaced by `userLines` (YAML under `user:`). */
function kubeconfigWithUser(userLines: string[], server?: string): string {
  const base = world.e.kube!.kubeconfig({ https: true });
  const head = base.slice(0, base.indexOf('  user:\n') + '  user:\n'.length);
  return (server ? head.replace(/server: \S+/, `server: ${server}`) : head) + userLines.map((l) => `    ${l}`).join('\n') + '\n';
}

/** An exec credential plugin (a node script) that leaves a marker when it runs and prints `token` (with a trailing newline). */
function plugin(options: { token?: string; stderr?: string; exitCode?: number } = {}): { script: string; marker: string } {
  const d = dir();
  const marker = path.join(d, 'ran');
  const script = path.join(d, 'plugin.js');
  const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: `${options.token ?? world.e.kube!.tokens.user}\n` } };
  writeFileSync(
    script,
    [
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');`,
      options.stderr ? `process.stderr.write(${JSON.stringify(options.stderr)});` : '',
      options.exitCode ? `process.exit(${options.exitCode});` : `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});`,
    ].join('\n'),
  );
  return { script, marker };
}

const execUser = (script: string) => ['exec:', '  apiVersion: client.authentication.k8s.io/v1', `  command: ${process.execPath}`, '  args:', `  - ${script}`, '  interactiveMode: Never'];

function run(host: HostName, inputs: Record<string, string>, options: RunOptions = {}) {
  return runShippedStep(world, STEP, host, { service: 'backend', ...inputs }, { azure: 'none', ...options });
}

describe('credential programs in a kubeconfig', () => {
  for (const host of HOSTS) {
    test(`${host}: an exec plugin is refused unless allowed, and nothing runs or is written`, async () => {
      const { script, marker } = plugin();
      world.e.log.clear();
      const r = await run(host, { kubeconfig: kubeconfigWithUser(execUser(script)) });
      assert.equal(r.succeeded, false);
      assert.match(r.error ?? '', /makes user 'clusterUser_emulator' run an exec credential plugin: '.*plugin\.js'\. A kubeconfig does not run programs here unless you allow it\. Set 'allow(-c|C)redential(-p|P)lugin' to true/);
      assert.equal(existsSync(marker), false, 'the plugin ran');
      assert.deepEqual(world.e.log.writes('kube'), []);
    });
  }

  test('a legacy auth-provider cmd-path is refused the same way', async () => {
    const { script, marker } = plugin();
    const user = ['auth-provider:', '  name: gcp', '  config:', `    cmd-path: ${process.execPath} ${script}`, "    cmd-args: ''"];
    const r = await run('github', { kubeconfig: kubeconfigWithUser(user) });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /run a legacy auth-provider command \(cmd-path\)/);
    assert.equal(existsSync(marker), false);
  });

  test('allowed, it never runs in a dry run', async () => {
    const { script, marker } = plugin();
    const r = await run('azure-pipelines', { kubeconfig: kubeconfigWithUser(execUser(script)), 'allow-credential-plugin': 'true', 'dry-run': 'true' });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /a dry run never runs programs/);
    assert.equal(existsSync(marker), false);
  });

  for (const host of HOSTS) {
    test(`${host}: allowed, it runs, the log names it, and its token (trailing newline and all) is masked and never shown`, async () => {
      const { script, marker } = plugin();
      const r = await run(host, { kubeconfig: kubeconfigWithUser(execUser(script)), 'allow-credential-plugin': 'true' });
      assert.ok(r.succeeded, r.error ?? r.stdout);
      assert.equal(existsSync(marker), true);
      assert.match(r.stdout, /User 'clusterUser_emulator' signs in with the credential plugin '.*plugin\.js' \(allowed by 'allow(-c|C)redential(-p|P)lugin'\)/);
      assert.ok(r.masked.includes(world.e.kube!.tokens.user), 'the plugin token is masked');
      assert.deepEqual(secretsPrinted(r, [world.e.kube!.tokens.user]), []);
    });
  }

  test("a failing plugin's error output is shown as one redacted line, never raw", async () => {
    const secret = 'rawsecret-after-first-line-1234';
    const { script } = plugin({ exitCode: 3, stderr: `error: Bearer abcdefghijklmnop1234 was refused\n${secret}\n` });
    const r = await run('github', { kubeconfig: kubeconfigWithUser(execUser(script)), 'allow-credential-plugin': 'true' });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /The credential plugin '.*plugin\.js' of user 'clusterUser_emulator' failed \(3\): error: Bearer \*\*\* was refused\./);
    assert.ok(![r.stdout, r.stderr, r.summary].some((t) => t.includes(secret) || t.includes('abcdefghijklmnop1234')));
  });
});

describe('credentials in a kubeconfig', () => {
  test('a token file with a trailing newline works and its token is never printed', async () => {
    const file = path.join(dir(), 'token');
    writeFileSync(file, `${world.e.kube!.tokens.user}\n`);
    const r = await run('github', { kubeconfig: kubeconfigWithUser([`token-file: ${file}`]) });
    assert.ok(r.succeeded, r.error ?? r.stdout);
    assert.deepEqual(secretsPrinted(r, [world.e.kube!.tokens.user]), []);
  });

  test('a server URL with user:password is never printed', async () => {
    const password = 'pw-in-url-5b3c9d';
    const server = world.e.kube!.httpsUrl!.replace('https://', `https://admin:${password}@`);
    const r = await run('github', { kubeconfig: kubeconfigWithUser([`token: ${world.e.kube!.tokens.user}`], server) });
    assert.ok(![r.stdout, r.stderr, r.summary, JSON.stringify(r.outputs)].some((t) => t.includes(password)), r.stdout);
  });

  for (const host of HOSTS) {
    test(`${host}: only credential fields are masked: a 403 names the user readably`, async () => {
      world.e.kube!.authorizer.deny({ user: 'clusterUser', verb: 'get', resource: 'services' });
      try {
        const r = await run(host, {});
        assert.equal(r.succeeded, false);
        assert.match(r.error ?? '', /clusterUser_emulator is not allowed to do this on the cluster/);
        assert.ok(r.masked.includes(world.e.kube!.tokens.user));
        assert.ok(!r.masked.some((m) => m.includes('clusterUser_emulator')), `names were masked: ${r.masked.join(', ')}`);
      } finally {
        world.e.kube!.authorizer.clearDenials();
      }
    });
  }

  test('a kubeconfig input that is a file path says so', async () => {
    const file = path.join(dir(), 'config.yaml');
    writeFileSync(file, world.e.kube!.kubeconfig({ https: true }));
    const r = await run('github', { kubeconfig: file });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /The kubeconfig from input 'kubeconfig' is a file path, not the kubeconfig's content\. Give the file's content .* or set KUBECONFIG to the path/);
  });

  test('insecure-skip-tls-verify and a plain http server are warned about', async () => {
    const r = await run('github', { kubeconfig: world.e.kube!.kubeconfig({ https: false }) });
    assert.ok(r.succeeded, r.error ?? r.stdout);
    assert.ok(r.warnings.some((w) => /is plain http \(http:\/\/127\.0\.0\.1:\d+\): credentials and data cross the network unencrypted/.test(w)), r.warnings.join('\n'));
    assert.ok(r.warnings.some((w) => /sets insecure-skip-tls-verify: the API server's certificate is not checked/.test(w)));
  });
});

test('Azure Pipelines: an explicit Kubernetes service connection wins over an ambient KUBECONFIG', async () => {
  const id = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
  const ambient = path.join(dir(), 'config');
  writeFileSync(ambient, world.e.kube!.kubeconfig({ https: true }).replace(/server: \S+/, 'server: https://127.0.0.1:9'));
  const r = await run(
    'azure-pipelines',
    { 'kubernetes-service-connection': id },
    {
      cluster: 'none',
      env: {
        KUBECONFIG: ambient,
        [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ scheme: 'Kubernetes', parameters: { kubeconfig: world.e.kube!.kubeconfig({ https: true }) } }),
        [`ENDPOINT_DATA_${id}_AUTHORIZATIONTYPE`]: 'Kubeconfig',
      },
    },
  );
  assert.ok(r.succeeded, r.error ?? r.stdout);
  assert.match(r.stdout, /through Kubernetes service connection 7a6b5c4d/);
});
