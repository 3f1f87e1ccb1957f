import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { Faults, RequestLog } from '../src/faults';
import type { KubeServer } from '../src/kube/server';
import { KubeStore } from '../src/kube/store';
import { clientsFor, rejects, startTestKube, until, type KubeClients } from './kube-helpers';

type Ev = { type: string; name?: string; rv?: string; annotations?: Record<string, string> };

/** Collects a client-node watch's events until `done` fires. */
function collect(c: KubeClients, path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: Ev[] = [];
  let ended: unknown = 'open';
  const ctrl = c.watch.watch(
    path,
    query,
    (type, obj: { metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> } }) =>
      events.push({ type, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion, annotations: obj.metadata?.annotations }),
    (err) => (ended = err),
  );
  return { events, ended: () => ended, abort: async () => (await ctrl).abort() };
}

describe('kube API: watch, faults, request log', () => {
  let server: KubeServer;
  let c: KubeClients;
  const faults = new Faults();
  const log = new RequestLog();
  before(async () => {
    server = await startTestKube({ faults, log });
    c = clientsFor(server);
  });
  after(() => server.stop());

  it('streams ADDED for existing objects, then MODIFIED/DELETED, with bookmarks', async () => {
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w1', labels: { watch: 'me' } } } });
    const w = collect(c, '/api/v1/namespaces/default/configmaps', { labelSelector: 'watch=me', allowWatchBookmarks: true });
    await until(() => w.events.some((e) => e.type === 'ADDED' && e.name === 'w1'));
    await c.core.patchNamespacedConfigMap({ name: 'w1', namespace: 'default', body: { data: { a: '1' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'other' } } });
    await c.core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
    await until(() => w.events.some((e) => e.type === 'DELETED'));
    await until(() => w.events.some((e) => e.type === 'BOOKMARK'));
    const bookmark = w.events.find((e) => e.type === 'BOOKMARK')!;
    assert.match(bookmark.rv ?? '', /^\d+$/);
    assert.deepEqual(
      w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.name}`),
      ['ADDED w1', 'MODIFIED w1', 'DELETED w1'],
      'the unlabelled configmap is filtered out',
    );
    await w.abort();
  });

  it('resumes from a resourceVersion and reports selector transitions as ADDED/DELETED', async () => {
    const cm = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w2' } } });
    const from = cm.metadata!.resourceVersion!;
    await c.core.patchNamespacedConfigMap({ name: 'w2', namespace: 'default', body: { metadata: { labels: { pick: 'yes' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const w = collect(c, '/api/v1/namespaces/default/configmaps', { resourceVersion: from, labelSelector: 'pick=yes' });
    await until(() => w.events.length >= 1);
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.name}`), ['ADDED w2'], 'history replay: the object entered the selector');
    await c.core.patchNamespacedConfigMap({ name: 'w2', namespace: 'default', body: { metadata: { labels: { pick: 'no' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await until(() => w.events.length >= 2);
    assert.equal(w.events[1]!.type, 'DELETED', 'left the selector');
    await w.abort();
  });

  it('sendInitialEvents ends the initial list with the initial-events-end bookmark', async () => {
    const w = collect(c, '/api/v1/namespaces/kube-system/configmaps', { sendInitialEvents: true, allowWatchBookmarks: true, resourceVersionMatch: 'NotOlderThan' });
    await until(() => w.events.some((e) => e.type === 'BOOKMARK'));
    const b = w.events.find((e) => e.type === 'BOOKMARK')!;
    assert.equal(b.annotations?.['k8s.io/initial-events-end'], 'true');
    assert.deepEqual(w.events.slice(0, 2).map((e) => e.name).sort(), ['coredns', 'coredns-custom']);
    await w.abort();
  });

  it('a too-old resourceVersion is a 410 Expired ERROR event', async () => {
    // A history of 5 events: the seeding alone pushes resourceVersion 1 out of it.
    const small = await startTestKube({ store: new KubeStore(5) });
    try {
      const res = await fetch(`${small.httpUrl}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1`, { headers: { authorization: `Bearer ${small.tokens.user}` } });
      const line = JSON.parse((await res.text()).trim()) as { type: string; object: { code: number; reason: string } };
      assert.equal(line.type, 'ERROR');
      assert.equal(line.object.code, 410);
      assert.equal(line.object.reason, 'Expired');
      assert.match((line.object as unknown as { message: string }).message, /^too old resource version: 1 \(\d+\)$/);
    } finally {
      await small.stop();
    }
  });

  it('timeoutSeconds ends the stream cleanly', async () => {
    const w = collect(c, '/api/v1/namespaces/default/services', { timeoutSeconds: 0.2 });
    await until(() => w.ended() !== 'open');
    assert.equal(w.ended(), null);
  });

  it('drop-watch closes the stream after N events', async () => {
    faults.add({ surface: 'kube', kind: 'drop-watch', afterEvents: 1, path: '/configmaps', times: 1 });
    const w = collect(c, '/api/v1/namespaces/kube-system/configmaps', {});
    await until(() => w.ended() !== 'open');
    assert.equal(w.events.length, 1);
    // The next watch is not dropped.
    const again = collect(c, '/api/v1/namespaces/kube-system/configmaps', {});
    await until(() => again.events.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(again.ended(), 'open');
    await again.abort();
  });

  it('throttle answers 429 with Retry-After and a TooManyRequests Status', async () => {
    faults.add({ surface: 'kube', kind: 'throttle', retryAfterSeconds: 3, method: 'GET', path: '/services/kube-dns', times: 1 });
    const res = await fetch(`${server.httpUrl}/api/v1/namespaces/kube-system/services/kube-dns`, { headers: { authorization: `Bearer ${server.tokens.user}` } });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '3');
    const body = (await res.json()) as { reason: string; details: { retryAfterSeconds: number } };
    assert.equal(body.reason, 'TooManyRequests');
    assert.equal(body.details.retryAfterSeconds, 3);
    // Consumed: the next request succeeds.
    await c.core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' });
  });

  it('error faults answer 500 InternalError and 503 ServiceUnavailable', async () => {
    faults.add({ surface: 'kube', kind: 'error', status: 500, times: 1 });
    faults.add({ surface: 'kube', kind: 'error', status: 503, times: 1 });
    const e500 = await rejects(c.core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' }));
    assert.equal(e500.code, 500);
    assert.equal(e500.reason, 'InternalError');
    const e503 = await rejects(c.core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' }));
    assert.equal(e503.code, 503);
    assert.equal(e503.reason, 'ServiceUnavailable');
  });

  it('conflict faults answer 409 Conflict on writes', async () => {
    faults.add({ surface: 'kube', kind: 'conflict', method: 'PATCH', times: 1 });
    const e = await rejects(
      c.core.patchNamespacedConfigMap({ name: 'coredns-custom', namespace: 'kube-system', body: { data: { x: 'y' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
    );
    assert.equal(e.code, 409);
    assert.equal(e.reason, 'Conflict');
    assert.match(e.message ?? '', /^Operation cannot be fulfilled on configmaps "coredns-custom"/);
  });

  it('latency delays the answer', async () => {
    faults.add({ surface: 'kube', kind: 'latency', ms: 150, times: 1 });
    const t0 = Date.now();
    await c.core.readNamespace({ name: 'default' });
    assert.ok(Date.now() - t0 >= 140);
  });

  it('records every request in the RequestLog, and GETs are not writes', async () => {
    log.clear();
    await c.core.readNamespace({ name: 'default' });
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'logged' } } });
    assert.deepEqual(
      log.entries.map((e) => `${e.surface} ${e.method} ${e.path} ${e.status}`),
      ['kube GET /api/v1/namespaces/default 200', 'kube POST /api/v1/namespaces/default/configmaps 201'],
    );
    assert.equal(log.writes('kube').length, 1);
  });
});
