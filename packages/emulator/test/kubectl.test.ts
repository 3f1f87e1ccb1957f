import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeServer } from '../src/kube/server';
import { SERVICES } from '../src/kube/resources';
import { startTestKube } from './kube-helpers';

/**
 * Debian's kubectl (package kubernetes-client, 1.20): $KUBECTL if set, else the binary the
 * package installed. /usr/bin/kubectl itself may be another kubectl (google-cloud-sdk's
 * dispatcher), so the path comes from dpkg, not from PATH.
 */
function debianKubectl(): string | undefined {
  if (process.env['KUBECTL']) return process.env['KUBECTL'];
  const r = spawnSync('dpkg', ['-L', 'kubernetes-client'], { encoding: 'utf8' });
  const bin = r.status === 0 ? r.stdout.split('\n').find((l) => /\/bin\/kubectl$/.test(l)) : undefined;
  return bin && existsSync(bin) ? bin : undefined;
}

const kubectlPath = debianKubectl();

describe('kubectl 1.20 against the stand-in', { skip: kubectlPath ? false : 'Debian kubernetes-client (kubectl 1.20) not installed: apt-get install kubernetes-client, or set KUBECTL' }, () => {
  let server: KubeServer;
  let dir: string;
  let kubeconfig: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubectl-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const certPem = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    server = await startTestKube({ tls: { certPem, caPem: certPem, keyPem: readFileSync(path.join(dir, 'key.pem'), 'utf8') } });
    kubeconfig = path.join(dir, 'config');
    writeFileSync(kubeconfig, server.kubeconfig({ https: true }));
  });
  after(() => server.stop());

  // Asynchronous on purpose: the stand-in serves from this same process.
  const kubectl = (...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      execFile(kubectlPath!, ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, HOME: dir } }, (error, out, err) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err }),
      );
    });
  const ok = async (...args: string[]) => {
    const r = await kubectl(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.err}`);
    return r.out;
  };

  it('is kubectl 1.20', async () => {
    assert.match(await ok('version', '--client', '--short'), /v1\.20\./);
  });

  it('get svc -n kube-system prints the server-side table', async () => {
    const out = await ok('get', 'svc', '-n', 'kube-system');
    assert.match(out, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    assert.match(out, /^kube-dns\s+ClusterIP\s+10\.0\.0\.10\s+<none>\s+53\/UDP,53\/TCP\s+\S+$/m);
  });

  it('get configmap coredns-custom -o yaml', async () => {
    const out = await ok('get', 'configmap', 'coredns-custom', '-n', 'kube-system', '-o', 'yaml');
    assert.match(out, /^kind: ConfigMap$/m);
    assert.match(out, /^ {2}name: coredns-custom$/m);
    assert.match(out, /addonmanager.kubernetes.io\/mode: EnsureExists/);
  });

  const manifest = (annotation: string) => `apiVersion: v1
kind: Service
metadata:
  name: backend-ilb
  namespace: default
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "${annotation}"
spec:
  type: LoadBalancer
  selector:
    app: backend
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;

  it('apply -f (client-side): created, unchanged, configured', async () => {
    const file = path.join(dir, 'svc.yaml');
    writeFileSync(file, manifest('true'));
    assert.equal((await ok('apply', '-f', file)).trim(), 'service/backend-ilb created');
    assert.equal((await ok('apply', '-f', file)).trim(), 'service/backend-ilb unchanged');
    writeFileSync(file, manifest('false'));
    assert.equal((await ok('apply', '-f', file)).trim(), 'service/backend-ilb configured');
    const svc = server.api.get(SERVICES, 'default', 'backend-ilb');
    assert.equal(svc.metadata.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'], 'false');
    assert.match(svc.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '', /"false"/);
  });

  it('apply --server-side: applied, and a conflict with another manager is reported', async () => {
    const file = path.join(dir, 'svc-ssa.yaml');
    writeFileSync(file, manifest('true').replace('backend-ilb', 'backend-ssa'));
    assert.equal((await ok('apply', '--server-side', '--field-manager', 'private-wire', '-f', file)).trim(), 'service/backend-ssa serverside-applied');
    writeFileSync(file, manifest('false').replace('backend-ilb', 'backend-ssa'));
    const r = await kubectl('apply', '--server-side', '--field-manager', 'someone-else', '-f', file);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /conflict with "private-wire": \.metadata\.annotations\.service\.beta\.kubernetes\.io\/azure-load-balancer-internal/);
    assert.equal((await ok('apply', '--server-side', '--force-conflicts', '--field-manager', 'someone-else', '-f', file)).trim(), 'service/backend-ssa serverside-applied');
  });

  it('rollout restart + rollout status', async () => {
    assert.equal((await ok('rollout', 'restart', 'deployment/coredns', '-n', 'kube-system')).trim(), 'deployment.apps/coredns restarted');
    const out = await ok('rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=20s');
    assert.match(out, /deployment "coredns" successfully rolled out/);
    assert.equal(server.rollouts.restartCount('kube-system', 'coredns'), 1);
  });
});
