// Private endpoint connections as each provider's spec defines them: which carry an etag (and
// answer 412 on a stale If-Match), and SQL's long-running approve/reject with its own
// provisioning states (Approving/Rejecting until Ready).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchArm, world } from './helpers';

type Connection = { id: string; etag?: string; properties: { provisioningState: string; privateLinkServiceConnectionState: { status: string; description: string } } };

describe('ARM private endpoint connections', () => {
  let w: Awaited<ReturnType<typeof world>>;
  // Long enough to read the connection while its operation runs.
  before(async () => (w = await world({ provisioningDelayMs: 400 })));
  after(() => w.e.stop());

  const request = (targetId: string, name: string) => w.e.seed.privateEndpointRequest(targetId, { subscriptionId: w.e.subscriptionId, name }).connection.id;
  const get = async (id: string, apiVersion: string) => {
    const res = await fetchArm(w, 'GET', `${id}?api-version=${apiVersion}`);
    return { status: res.status, etagHeader: res.headers.etag, body: (await res.json()) as Connection };
  };
  const put = (id: string, apiVersion: string, status: string, headers: Record<string, string> = {}) =>
    fetchArm(w, 'PUT', `${id}?api-version=${apiVersion}`, { properties: { privateLinkServiceConnectionState: { status, description: `${status} by test` } } }, headers);
  const untilDone = async (operationUrl: string) => {
    for (let i = 0; i < 200; i++) {
      const op = (await (await fetchArm(w, 'GET', operationUrl)).json()) as { status: string };
      if (op.status !== 'InProgress') return op.status;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the operation never ended');
  };

  it('SQL: approve is accepted (202, no body) and shows Approving, then Approved and Ready', async () => {
    const server = w.e.seed.sqlServer('rg', 'sql-approve');
    const id = request(server.id, 'pe-sql');
    assert.equal((await get(id, '2021-11-01')).body.properties.provisioningState, 'Ready', 'a new connection is Ready (SQL has no Succeeded)');
    const res = await put(id, '2021-11-01', 'Approved');
    assert.equal(res.status, 202);
    assert.equal(await res.json(), null, 'no body');
    assert.match(String(res.headers.location), /\/providers\/Microsoft\.Sql\/locations\/westeurope\/operationResults\//);
    assert.ok(res.headers['azure-asyncoperation']);
    assert.equal(res.headers.etag, undefined);
    const running = await get(id, '2021-11-01');
    assert.deepEqual([running.body.properties.privateLinkServiceConnectionState.status, running.body.properties.provisioningState], ['Pending', 'Approving']);
    assert.equal(await untilDone(String(res.headers['azure-asyncoperation'])), 'Succeeded');
    const done = await get(id, '2021-11-01');
    assert.deepEqual([done.body.properties.privateLinkServiceConnectionState.status, done.body.properties.provisioningState], ['Approved', 'Ready']);
    assert.equal(done.body.properties.privateLinkServiceConnectionState.description, 'Approved by test');
  });

  it('SQL: reject shows Rejecting, then Rejected and Ready; other statuses are refused', async () => {
    const server = w.e.seed.sqlServer('rg', 'sql-reject');
    const id = request(server.id, 'pe-sql');
    const refused = await put(id, '2021-11-01', 'Removed');
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'IncorrectPrivateLinkServiceConnectionStateStatus');
    const res = await put(id, '2021-11-01', 'Rejected');
    assert.equal(res.status, 202);
    assert.equal((await get(id, '2021-11-01')).body.properties.provisioningState, 'Rejecting');
    await untilDone(String(res.headers['azure-asyncoperation']));
    const done = await get(id, '2021-11-01');
    assert.deepEqual([done.body.properties.privateLinkServiceConnectionState.status, done.body.properties.provisioningState], ['Rejected', 'Ready']);
  });

  it('etags exactly where the spec defines them: shown and checked (412 when stale), or absent from bodies, headers, lists and the parent', async () => {
    const { subnets } = w.e.seed.vnet('rg', 'vnet-etag', { addressPrefixes: ['10.3.0.0/16'], subnets: [{ name: 'pls', addressPrefix: '10.3.0.0/24', privateLinkServiceNetworkPolicies: 'Disabled' }] });
    const plan = w.e.seed.plan('rg', 'plan-etag');
    const targets = [
      { id: w.e.seed.keyVault('rg', 'kv-etag').id, apiVersion: '2023-07-01', etag: true },
      { id: w.e.seed.privateLinkService('rg', 'pls-etag', { subnetId: subnets[0]!.id }).id, apiVersion: '2025-05-01', etag: true },
      { id: w.e.seed.storageAccount('rg', 'stnoetag').id, apiVersion: '2023-05-01', etag: false },
      { id: w.e.seed.sqlServer('rg', 'sql-noetag').id, apiVersion: '2021-11-01', etag: false },
      { id: w.e.seed.site('rg', 'app-noetag', plan.id).id, apiVersion: '2024-04-01', etag: false },
    ];
    for (const t of targets) {
      const id = request(t.id, 'pe-etag');
      const read = await get(id, t.apiVersion);
      const listed = (await (await fetchArm(w, 'GET', `${t.id}/privateEndpointConnections?api-version=${t.apiVersion}`)).json()) as { value: Connection[] };
      assert.equal(listed.value.length, 1);
      if (!t.etag) {
        assert.deepEqual([read.body.etag, read.etagHeader, listed.value[0]!.etag], [undefined, undefined, undefined], `${t.id}: no etag anywhere`);
        continue;
      }
      assert.ok(read.body.etag, `${t.id}: etag in the body`);
      assert.deepEqual([read.etagHeader, listed.value[0]!.etag], [read.body.etag, read.body.etag], `${t.id}: the same in the ETag header and the list`);
      const stale = await put(id, t.apiVersion, 'Approved', { 'if-match': 'W/"stale"' });
      assert.equal(stale.status, 412, t.id);
      assert.equal(((await stale.json()) as { error: { code: string } }).error.code, 'PreconditionFailed');
      assert.equal((await get(id, t.apiVersion)).body.properties.privateLinkServiceConnectionState.status, 'Pending', 'nothing written');
      const ok = await put(id, t.apiVersion, 'Approved', { 'if-match': read.body.etag! });
      assert.equal(ok.status, 200, t.id);
      assert.notEqual(((await ok.json()) as Connection).etag, read.body.etag, 'a write changes the etag');
    }
    const account = (await (await fetchArm(w, 'GET', `${targets[2]!.id}?api-version=2023-05-01`)).json()) as { properties: { privateEndpointConnections: Connection[] } };
    assert.equal(account.properties.privateEndpointConnections[0]!.etag, undefined, 'nor in the storage account that lists it');
    // No etag to compare with: no source says what such a provider does with If-Match; the stand-in ignores it.
    const written = await put(request(targets[2]!.id, 'pe-ifmatch'), '2023-05-01', 'Approved', { 'if-match': 'W/"anything"' });
    assert.equal(written.status, 200);
    assert.equal(written.headers.etag, undefined);
  });
});
