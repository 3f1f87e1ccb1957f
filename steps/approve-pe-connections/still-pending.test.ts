import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection, ConnectionAccess } from './connection-access';
import { ChangedMeanwhile, changeIfStillPending, changedSincePlan } from './still-pending';

const planned: Connection = { id: 'c', name: 'c', endpointId: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateEndpoints/pe', status: 'Pending', etag: 'W/"1"' };

test('only the same Pending request may be changed', () => {
  assert.equal(changedSincePlan(planned, { ...planned, endpointId: planned.endpointId!.toUpperCase() }), undefined);
  assert.match(changedSincePlan(planned, { ...planned, status: 'Rejected' })!, /became Rejected after the plan/);
  assert.match(changedSincePlan(planned, { ...planned, endpointId: '/x' })!, /its private endpoint is now \/x/);
});

/** An access whose connection changes etag once, like a provider answering 412 to a stale write. */
function fakeAccess(states: Connection[]): ConnectionAccess & { writes: string[] } {
  const writes: string[] = [];
  let reads = 0;
  return {
    via: 'fake',
    writes,
    list: async () => [planned],
    get: async () => states[Math.min(reads++, states.length - 1)]!,
    async write(current, state) {
      writes.push(current.etag ?? '');
      if (current.etag === 'W/"stale"') throw Object.assign(new Error('precondition failed'), { statusCode: 412 });
      return { ...current, status: state.status };
    },
  };
}

test('a 412 is read and checked again; a changed decision ends it', async () => {
  const access = fakeAccess([{ ...planned, etag: 'W/"stale"' }, { ...planned, etag: 'W/"2"' }]);
  const done = await changeIfStillPending(access, planned, { status: 'Approved', description: 'd' }, false);
  assert.equal(done.status, 'Approved');
  assert.deepEqual(access.writes, ['W/"stale"', 'W/"2"']);

  const rejected = fakeAccess([{ ...planned, etag: 'W/"stale"' }, { ...planned, status: 'Rejected' }]);
  await assert.rejects(changeIfStillPending(rejected, planned, { status: 'Approved', description: 'd' }, false), (e: unknown) => e instanceof ChangedMeanwhile && e.now.status === 'Rejected');
  assert.deepEqual(rejected.writes, ['W/"stale"']);
});
