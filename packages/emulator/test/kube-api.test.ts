import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PatchStrategy, setHeaderOptions, type V1Service } from '@kubernetes/client-node';
import type { KubeServer } from '../src/kube/server';
import { clientsFor, rejects, startTestKube, type KubeClients } from './kube-helpers';

describe('kube API: CRUD, resourceVersion, patches (client-node)', () => {
  let server: KubeServer;
  let c: KubeClients;
  before(async () => {
    server = await startTestKube();
    c = clientsFor(server);
  });
  after(() => server.stop());

  const svc = (name: string): V1Service => ({
    metadata: { name, labels: { app: name, tier: 'web' } },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
  });

  it('serves the seeded AKS kube-system', async () => {
    const dns = await c.core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' });
    assert.equal(dns.spec?.clusterIP, '10.0.0.10');
    assert.deepEqual(dns.spec?.ports?.map((p) => `${p.port}/${p.protocol}`), ['53/UDP', '53/TCP']);
    assert.equal(dns.metadata?.labels?.['addonmanager.kubernetes.io/mode'], 'Reconcile');
    const corefile = (await c.core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' })).data?.['Corefile'] ?? '';
    assert.match(corefile, /import custom\/\*\.override/);
    assert.match(corefile, /^import custom\/\*\.server$/m);
    await c.core.readNamespacedConfigMap({ name: 'coredns-custom', namespace: 'kube-system' });
    const dep = await c.apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' });
    assert.equal(dep.metadata?.labels?.['k8s-app'], 'kube-dns');
    assert.equal(dep.status?.availableReplicas, 2);
  });

  it('creates with uid, resourceVersion, defaults; 409 AlreadyExists; 404 for a missing namespace', async () => {
    const created = await c.core.createNamespacedService({ namespace: 'default', body: svc('web') });
    assert.ok(created.metadata?.uid);
    assert.match(created.metadata?.resourceVersion ?? '', /^\d+$/);
    assert.ok(created.metadata?.creationTimestamp);
    assert.equal(created.spec?.type, 'ClusterIP');
    assert.match(created.spec?.clusterIP ?? '', /^10\.0\./);
    assert.equal(created.spec?.ports?.[0]?.protocol, 'TCP');
    const dup = await rejects(c.core.createNamespacedService({ namespace: 'default', body: svc('web') }));
    assert.equal(dup.code, 409);
    assert.equal(dup.reason, 'AlreadyExists');
    assert.equal(dup.message, 'services "web" already exists');
    const noNs = await rejects(c.core.createNamespacedService({ namespace: 'nope', body: svc('web') }));
    assert.equal(noNs.code, 404);
    assert.equal(noNs.message, 'namespaces "nope" not found');
    const missing = await rejects(c.core.readNamespacedService({ name: 'absent', namespace: 'default' }));
    assert.equal(missing.reason, 'NotFound');
    assert.deepEqual(missing.details, { name: 'absent', kind: 'services' });
  });

  it('replace with a stale resourceVersion is the real 409 Conflict; a fresh one succeeds and bumps it', async () => {
    const cur = await c.core.readNamespacedService({ name: 'web', namespace: 'default' });
    const rv = cur.metadata!.resourceVersion!;
    cur.metadata!.labels = { ...cur.metadata!.labels, changed: 'yes' };
    const updated = await c.core.replaceNamespacedService({ name: 'web', namespace: 'default', body: cur });
    assert.ok(Number(updated.metadata!.resourceVersion) > Number(rv));
    cur.metadata!.resourceVersion = rv;
    const stale = await rejects(c.core.replaceNamespacedService({ name: 'web', namespace: 'default', body: cur }));
    assert.equal(stale.code, 409);
    assert.equal(stale.reason, 'Conflict');
    assert.equal(stale.message, 'Operation cannot be fulfilled on services "web": the object has been modified; please apply your changes to the latest version and try again');
    const dep = await c.apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' });
    dep.metadata!.resourceVersion = '1';
    const depStale = await rejects(c.apps.replaceNamespacedDeployment({ name: 'coredns', namespace: 'kube-system', body: dep }));
    assert.match(depStale.message ?? '', /^Operation cannot be fulfilled on deployments\.apps "coredns"/);
  });

  it('a no-op replace keeps the resourceVersion', async () => {
    const cur = await c.core.readNamespacedService({ name: 'web', namespace: 'default' });
    const again = await c.core.replaceNamespacedService({ name: 'web', namespace: 'default', body: cur });
    assert.equal(again.metadata?.resourceVersion, cur.metadata?.resourceVersion);
  });

  it('lists with label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors', async () => {
    await c.core.createNamespacedService({ namespace: 'default', body: { ...svc('api'), metadata: { name: 'api', labels: { app: 'api', tier: 'backend' } } } });
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await c.core.listNamespacedService({ namespace: 'default', labelSelector, fieldSelector })).items.map((s) => s.metadata?.name).sort();
    assert.deepEqual(await names('tier=web'), ['web']);
    assert.deepEqual(await names('tier==backend'), ['api']);
    assert.deepEqual(await names('tier!=web'), ['api', 'kubernetes']);
    assert.deepEqual(await names('tier in (web,backend)'), ['api', 'web']);
    assert.deepEqual(await names('tier notin (web)'), ['api', 'kubernetes']);
    assert.deepEqual(await names('tier'), ['api', 'web']);
    assert.deepEqual(await names('!tier'), ['kubernetes']);
    assert.deepEqual(await names('app in (api, web),tier=backend'), ['api']);
    assert.deepEqual(await names(undefined, 'metadata.name=web'), ['web']);
    assert.deepEqual(await names(undefined, 'metadata.name!=web,metadata.namespace=default'), ['api', 'kubernetes']);
    const bad = await rejects(c.core.listNamespacedService({ namespace: 'default', fieldSelector: 'spec.bogus=x' }));
    assert.equal(bad.code, 400);
    assert.equal(bad.message, 'field label not supported: spec.bogus');
    const all = await c.core.listServiceForAllNamespaces();
    assert.ok(all.items.some((s) => s.metadata?.name === 'kube-dns'));
    assert.match(all.metadata?.resourceVersion ?? '', /^\d+$/);
  });

  it('merge patch, JSON patch and strategic merge patch (ports merge by key, $patch: delete)', async () => {
    const merge = await c.core.patchNamespacedService(
      { name: 'web', namespace: 'default', body: { metadata: { annotations: { a: '1' } }, spec: { type: 'LoadBalancer' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.equal(merge.metadata?.annotations?.['a'], '1');
    assert.equal(merge.spec?.type, 'LoadBalancer');
    assert.ok(merge.spec?.ports?.[0]?.nodePort, 'LoadBalancer gets node ports');

    const json = await c.core.patchNamespacedService(
      { name: 'web', namespace: 'default', body: [{ op: 'add', path: '/metadata/annotations/b', value: '2' }, { op: 'remove', path: '/metadata/annotations/a' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    assert.deepEqual(json.metadata?.annotations, { b: '2' });
    const failedTest = await rejects(
      c.core.patchNamespacedService(
        { name: 'web', namespace: 'default', body: [{ op: 'test', path: '/spec/type', value: 'ClusterIP' }] },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    );
    assert.equal(failedTest.code, 422);

    const smp = await c.core.patchNamespacedService(
      { name: 'web', namespace: 'default', body: { spec: { ports: [{ port: 443, name: 'https', targetPort: 8443 }, { port: 80, name: 'http' }] } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(smp.spec?.ports?.map((p) => [p.port, p.name, p.targetPort]), [
      [80, 'http', 8080],
      [443, 'https', 8443],
    ]);
    const del = await c.core.patchNamespacedService(
      { name: 'web', namespace: 'default', body: { spec: { ports: [{ port: 443, $patch: 'delete' }], type: 'ClusterIP' } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(del.spec?.ports?.map((p) => p.port), [80]);
    assert.equal(del.spec?.ports?.[0]?.nodePort, undefined, 'node ports are released with type ClusterIP');

    const tmpl = await c.apps.patchNamespacedDeployment(
      { name: 'coredns', namespace: 'kube-system', body: { spec: { template: { metadata: { annotations: { x: 'y' } } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.equal(tmpl.spec?.template?.metadata?.annotations?.['x'], 'y');
    assert.equal(tmpl.spec?.template?.spec?.containers?.length, 1, 'containers untouched');
    assert.equal(tmpl.metadata?.generation, 2);
  });

  it('rejects an unknown patch content type with 415', async () => {
    const res = await fetch(`${server.httpUrl}/api/v1/namespaces/default/services/web`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${server.tokens.user}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 415);
    assert.equal(((await res.json()) as { reason: string }).reason, 'UnsupportedMediaType');
  });

  it('dryRun=All returns the result without writing', async () => {
    const before = (await c.core.readNamespacedService({ name: 'web', namespace: 'default' })).metadata?.resourceVersion;
    const dry = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'dry' }, data: { k: 'v' } }, dryRun: 'All' });
    assert.equal(dry.data?.['k'], 'v');
    await c.core.patchNamespacedService(
      { name: 'web', namespace: 'default', body: { metadata: { labels: { dry: 'run' } } }, dryRun: 'All' },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await c.core.deleteNamespacedService({ name: 'web', namespace: 'default', dryRun: 'All' });
    assert.equal((await c.core.readNamespacedService({ name: 'web', namespace: 'default' })).metadata?.resourceVersion, before);
    assert.equal((await rejects(c.core.readNamespacedConfigMap({ name: 'dry', namespace: 'default' }))).code, 404);
    assert.equal((await c.core.readNamespacedService({ name: 'web', namespace: 'default' })).metadata?.labels?.['dry'], undefined);
  });

  it('deletes, then 404', async () => {
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'gone' } } });
    const st = await c.core.deleteNamespacedConfigMap({ name: 'gone', namespace: 'default' });
    assert.equal(st.status, 'Success');
    assert.equal((await rejects(c.core.readNamespacedConfigMap({ name: 'gone', namespace: 'default' }))).code, 404);
  });

  it('serves namespaces and events with involvedObject field selectors', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'apps' } } });
    assert.equal((await c.core.readNamespace({ name: 'apps' })).status?.phase, 'Active');
    await c.core.createNamespacedEvent({
      namespace: 'default',
      body: { metadata: { name: 'web.1' }, involvedObject: { kind: 'Service', name: 'web', namespace: 'default' }, reason: 'Test', message: 'hello', type: 'Normal' },
    });
    await c.core.createNamespacedEvent({
      namespace: 'default',
      body: { metadata: { name: 'api.1' }, involvedObject: { kind: 'Service', name: 'api', namespace: 'default' }, reason: 'Test', message: 'other', type: 'Warning' },
    });
    const evs = await c.core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.kind=Service,involvedObject.name=web' });
    assert.deepEqual(evs.items.map((e) => e.message), ['hello']);
    const warn = await c.core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'type=Warning' });
    assert.deepEqual(warn.items.map((e) => e.message), ['other']);
  });

  it('serves discovery and version', async () => {
    const get = async (p: string) => (await fetch(server.httpUrl + p, { headers: { authorization: `Bearer ${server.tokens.user}` } })).json() as Promise<Record<string, unknown>>;
    assert.equal((await get('/version'))['major'], '1');
    assert.deepEqual((await get('/api'))['versions'], ['v1']);
    const v1 = (await get('/api/v1'))['resources'] as { name: string; kind: string; namespaced: boolean }[];
    assert.ok(v1.some((r) => r.name === 'services' && r.kind === 'Service' && r.namespaced));
    assert.ok(v1.some((r) => r.name === 'services/status'));
    const groups = (await get('/apis'))['groups'] as { name: string }[];
    assert.ok(groups.some((g) => g.name === 'apps'));
    const apps = (await get('/apis/apps/v1'))['resources'] as { name: string }[];
    assert.ok(apps.some((r) => r.name === 'deployments'));
    assert.equal((await get('/openapi/v2'))['swagger'], '2.0');
  });
});
