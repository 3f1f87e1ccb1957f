import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { startEmulator } from '../src/index';
import { armCode, armOptions, world } from './helpers';

describe('ARM faults', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let web: WebSiteManagementClient;
  before(async () => {
    w = await world();
    web = new WebSiteManagementClient(w.credential, w.e.subscriptionId, armOptions(w.e));
    const plan = w.e.seed.plan('rg', 'plan');
    w.e.seed.site('rg', 'app', plan.id, { appSettings: { A: '1' } });
    await web.webApps.get('rg', 'app'); // warm the token cache
  });
  after(() => w.e.stop());
  const sitePath = '/providers/Microsoft.Web/sites/app';

  it('adds measurable latency', async () => {
    w.e.faults.add({ surface: 'arm', kind: 'latency', ms: 300, path: sitePath, method: 'GET', times: 1 });
    const t0 = Date.now();
    await web.webApps.get('rg', 'app');
    assert.ok(Date.now() - t0 >= 290, `took ${Date.now() - t0} ms`);
  });

  it('throttles with 429 + Retry-After, which the SDK honours before retrying', async () => {
    w.e.log.clear();
    w.e.faults.add({ surface: 'arm', kind: 'throttle', retryAfterSeconds: 1, path: sitePath, method: 'GET', times: 1 });
    const t0 = Date.now();
    const site = await web.webApps.get('rg', 'app');
    assert.equal(site.name, 'app');
    assert.ok(Date.now() - t0 >= 950, `retried after ${Date.now() - t0} ms`);
    assert.deepEqual(w.e.log.entries.filter((x) => x.path.endsWith('/sites/app')).map((x) => x.status), [429, 200]);
  });

  it('injects 500 and 503 (retried by the SDK) and 409 (not retried)', async () => {
    w.e.log.clear();
    w.e.faults.add({ surface: 'arm', kind: 'error', status: 500, path: sitePath, method: 'GET', times: 1 });
    w.e.faults.add({ surface: 'arm', kind: 'error', status: 503, path: sitePath, method: 'GET', times: 1 });
    assert.equal((await web.webApps.get('rg', 'app')).name, 'app');
    assert.deepEqual(w.e.log.entries.filter((x) => x.path.endsWith('/sites/app')).map((x) => x.status), [500, 503, 200]);
    w.e.faults.add({ surface: 'arm', kind: 'conflict', path: '/config/appsettings', method: 'PUT', times: 1 });
    assert.equal(await armCode(web.webApps.updateApplicationSettings('rg', 'app', { properties: { A: '2' } })), 'AnotherOperationInProgress');
    assert.deepEqual((await web.webApps.listApplicationSettings('rg', 'app')).properties, { A: '1' });
  });

  it('counts writes: a read-only pass makes none', async () => {
    w.e.log.clear();
    const before = w.e.store.writes;
    await web.webApps.listApplicationSettings('rg', 'app');
    await web.webApps.getConfiguration('rg', 'app');
    assert.equal(w.e.store.writes, before);
    assert.deepEqual(w.e.log.writes('arm'), []);
  });
});

describe('emulator start-up', () => {
  it('starts (TLS, keys, servers) in under 2 s and stops cleanly', async () => {
    const t0 = performance.now();
    const e = await startEmulator();
    const elapsed = performance.now() - t0;
    await e.stop();
    assert.ok(elapsed < 2000, `start took ${elapsed.toFixed(0)} ms`);
  });
});
