import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PatchStrategy, setHeaderOptions, type V1Service } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeServer } from '../src/kube/server';
import { seedApp } from '../src/kube/seed';
import { clientsFor, rejects, startTestKube, until, type KubeClients } from './kube-helpers';

const apply = () => setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

describe('kube API: server-side apply, auth, rollouts', () => {
  let server: KubeServer;
  let c: KubeClients;
  before(async () => {
    server = await startTestKube({ tokens: { user: 'u-token', admin: 'a-token' }, verifyAccessToken: (t) => (t === 'aad-good' ? { user: 'alice@contoso.com', groups: ['g1'] } : undefined) });
    c = clientsFor(server);
    seedApp(server.api, { name: 'backend' });
  });
  after(() => server.stop());

  const ssa = (name: string, body: V1Service, fieldManager: string, force?: boolean) =>
    c.core.patchNamespacedService({ name, namespace: 'default', body, fieldManager, force }, apply());

  const internalLb = (annotations: Record<string, string>): V1Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'backend-ilb', annotations },
    spec: { type: 'LoadBalancer', selector: { app: 'backend' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] },
  });

  it('apply creates the object and records the manager in managedFields', async () => {
    const created = await ssa('backend-ilb', internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }), 'private-wire');
    assert.equal(created.spec?.type, 'LoadBalancer');
    const entry = created.metadata?.managedFields?.find((m) => m.manager === 'private-wire');
    assert.equal(entry?.operation, 'Apply');
    const fields = entry?.fieldsV1 as Record<string, Record<string, unknown>>;
    assert.ok((fields['f:metadata']!['f:annotations'] as Record<string, unknown>)['f:service.beta.kubernetes.io/azure-load-balancer-internal']);
    assert.ok((fields['f:spec']!['f:ports'] as Record<string, unknown>)['k:{"port":80,"protocol":"TCP"}']);
  });

  it('re-applying the same config writes nothing', async () => {
    const a = await c.core.readNamespacedService({ name: 'backend-ilb', namespace: 'default' });
    const b = await ssa('backend-ilb', internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }), 'private-wire');
    assert.equal(b.metadata?.resourceVersion, a.metadata?.resourceVersion);
  });

  it('re-applying after the clock moved on keeps resourceVersion and the managedFields time', async () => {
    const a = await c.core.readNamespacedService({ name: 'backend-ilb', namespace: 'default' });
    const appliedAt = a.metadata?.managedFields?.find((m) => m.manager === 'private-wire')?.time;
    // managedFields times have whole seconds: wait for the next one so only the time could differ.
    await until(() => new Date().toISOString().slice(0, 19) !== new Date(appliedAt!).toISOString().slice(0, 19) || undefined, 2000);
    const b = await ssa('backend-ilb', internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }), 'private-wire');
    assert.equal(b.metadata?.resourceVersion, a.metadata?.resourceVersion);
    assert.deepEqual(b.metadata?.managedFields?.find((m) => m.manager === 'private-wire')?.time, appliedAt);
  });

  it('another manager changing an owned field conflicts with the real message; force takes ownership', async () => {
    const e = await rejects(ssa('backend-ilb', internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' }), 'someone-else'));
    assert.equal(e.code, 409);
    assert.equal(e.reason, 'Conflict');
    assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "private-wire": .metadata.annotations.service.beta.kubernetes.io/azure-load-balancer-internal');
    const forced = await ssa('backend-ilb', internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' }), 'someone-else', true);
    assert.equal(forced.metadata?.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'], 'false');
    const mine = forced.metadata?.managedFields?.find((m) => m.manager === 'private-wire')?.fieldsV1 as Record<string, Record<string, Record<string, unknown>>>;
    assert.equal(mine['f:metadata']?.['f:annotations']?.['f:service.beta.kubernetes.io/azure-load-balancer-internal'], undefined, 'ownership moved');
  });

  it('the same value under two managers is shared, not a conflict', async () => {
    const shared = await ssa('backend-ilb', internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' }), 'private-wire');
    assert.equal(shared.metadata?.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'], 'false');
  });

  it('a field changed by a non-apply update conflicts, naming the updater with "using v1 at"', async () => {
    await c.core.patchNamespacedService(
      { name: 'backend-ilb', namespace: 'default', body: { spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' } }, fieldManager: 'kubectl-edit' },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const body = internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' });
    body.spec!.externalTrafficPolicy = 'Cluster';
    const e = await rejects(ssa('backend-ilb', body, 'private-wire'));
    assert.match(e.message ?? '', /^Apply failed with 1 conflict: conflict with "kubectl-edit" using v1 at \d{4}-\d\d-\d\dT[\d:]+Z: \.spec\.externalTrafficPolicy$/);
  });

  it('dropping a field from the applied config removes it when nobody else owns it', async () => {
    await ssa('backend-ilb', { ...internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false', 'extra/one': 'x' }) }, 'private-wire');
    const after = await ssa('backend-ilb', internalLb({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' }), 'private-wire');
    assert.equal(after.metadata?.annotations?.['extra/one'], undefined);
  });

  it('apply without fieldManager is 400', async () => {
    const res = await fetch(`${server.httpUrl}/api/v1/namespaces/default/services/backend-ilb`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer u-token', 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: backend-ilb\n',
    });
    assert.equal(res.status, 400);
  });

  it('accepts YAML apply bodies', async () => {
    const res = await fetch(`${server.httpUrl}/api/v1/namespaces/default/configmaps/from-yaml?fieldManager=yaml-test`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer u-token', 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a.override: |\n    log\n',
    });
    assert.equal(res.status, 201);
    assert.equal(((await res.json()) as { data: Record<string, string> }).data['a.override'], 'log\n');
  });

  it('401 Unauthorized Status for a missing or unknown token', async () => {
    for (const auth of [undefined, 'Bearer nope', 'Bearer aad-expired']) {
      const res = await fetch(`${server.httpUrl}/api/v1/namespaces`, { headers: auth ? { authorization: auth } : {} });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('accepts AAD tokens through the verifier, and seeded denials are 403 naming user, verb and resource', async () => {
    const aad = clientsFor(server, { token: 'aad-good' });
    await aad.core.readNamespacedConfigMap({ name: 'coredns-custom', namespace: 'kube-system' });
    server.authorizer.deny({ user: 'alice@contoso.com', verb: 'patch', resource: 'configmaps', namespace: 'kube-system' });
    const e = await rejects(
      aad.core.patchNamespacedConfigMap({ name: 'coredns-custom', namespace: 'kube-system', body: { data: { a: 'b' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
    );
    assert.equal(e.code, 403);
    assert.equal(e.reason, 'Forbidden');
    assert.equal(e.message, 'configmaps "coredns-custom" is forbidden: User "alice@contoso.com" cannot patch resource "configmaps" in API group "" in the namespace "kube-system"');
    server.authorizer.deny({ user: 'clusterUser', verb: 'list', resource: 'deployments' });
    const list = await rejects(c.apps.listDeploymentForAllNamespaces());
    assert.equal(list.message, 'deployments.apps is forbidden: User "clusterUser" cannot list resource "deployments" in API group "apps" at the cluster scope');
    // The admin token (system:masters) is never denied.
    server.authorizer.deny({ user: 'clusterAdmin' });
    await clientsFor(server, { token: 'a-token' }).apps.listDeploymentForAllNamespaces();
    server.authorizer.clearDenials();
  });

  it('rollout restart bumps generation, then status catches up; restarts are counted', async () => {
    assert.equal(server.rollouts.restartCount('default', 'backend'), 0);
    // Every state the Deployment passes through, as a watcher would see it (polling can miss a
    // 30 ms phase on a loaded machine).
    const seen: string[] = [];
    const unsubscribe = server.store.subscribe((e) => {
      if (e.object.kind !== 'Deployment' || e.object.metadata.name !== 'backend') return;
      const s = (e.object['status'] ?? {}) as { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number };
      seen.push(`${s.observedGeneration}:${s.updatedReplicas}/${s.availableReplicas}`);
    });
    const patched = await c.apps.patchNamespacedDeployment(
      { name: 'backend', namespace: 'default', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } }, fieldManager: 'kubectl-rollout' },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.equal(patched.metadata?.generation, 2);
    assert.equal(patched.status?.observedGeneration, 1, 'not yet observed');
    await until(async () => {
      const d = await c.apps.readNamespacedDeployment({ name: 'backend', namespace: 'default' });
      return d.status?.observedGeneration === 2 && d.status.availableReplicas === 2 ? d : undefined;
    });
    unsubscribe();
    assert.ok(seen.includes('2:2/1'), `an intermediate state with one replica unavailable was visible: ${seen.join(' ')}`);
    assert.equal(server.rollouts.restartCount('default', 'backend'), 1);
    assert.equal(server.rollouts.restartCount('kube-system', 'coredns'), 0);
  });

  it('serves https; clients trust the CA from the kubeconfig', async () => {
    // A self-signed localhost certificate (its own CA); the emulator's tls.ts issues the real one.
    const dir = mkdtempSync(path.join(tmpdir(), 'kube-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const certPem = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const tls = { certPem, caPem: certPem, keyPem: readFileSync(path.join(dir, 'key.pem'), 'utf8') };
    const s = await startTestKube({ tls });
    try {
      assert.ok(s.httpsUrl?.startsWith('https://'));
      const hc = clientsFor(s, { https: true });
      const ns = await hc.core.listNamespace();
      assert.ok(ns.items.some((n) => n.metadata?.name === 'kube-system'));
    } finally {
      await s.stop();
    }
  });
});
