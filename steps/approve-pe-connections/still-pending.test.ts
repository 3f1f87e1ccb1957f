import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection, ConnectionAccess } from './connection-access';
import { providerOf } from './providers';
import type { Clock } from './settle';
import { ChangedMeanwhile, changeIfStillPending, changedSincePlan } from './still-pending';

const planned: Connection = { id: 'c', name: 'c', endpointId: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateEndpoints/pe', status: 'Pending', etag: 'W/"1"' };
const approve = { status: 'Approved', description: 'd' } as const;

test('only the same Pending request may be changed', () => {
  assert.equal(changedSincePlan(planned, { ...planned, endpointId: planned.endpointId!.toUpperCase() }), undefined);
  assert.match(changedSincePlan(planned, { ...planned, status: 'Rejected' })!, /became Rejected after the plan/);
  assert.match(changedSincePlan(planned, { ...planned, endpointId: '/x' })!, /its private endpoint is now \/x/);
});

/** A clock that only moves when the code under test sleeps. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

/** An access whose connection is read as `states` in turn; a write with a stale etag is answered 412, as a provider with etags does. */
function fakeAccess(states: Connection[]): ConnectionAccess & { writes: string[] } {
  const writes: string[] = [];
  let reads = 0;
  return {
    via: 'fake',
    provider: providerOf('Microsoft.KeyVault/vaults')!,
    writes,
    list: async () => [planned],
    get: async () => states[Math.min(reads++, states.length - 1)]!,
    async write(current, state) {
      writes.push(current.etag ?? '');
      if (current.etag?.startsWith('W/"stale')) throw Object.assign(new Error('precondition failed'), { statusCode: 412 });
      return { ...current, status: state.status };
    },
  };
}

test('a 412 is read and checked again; a changed decision ends it', async () => {
  const access = fakeAccess([{ ...planned, etag: 'W/"stale"' }, { ...planned, etag: 'W/"2"' }]);
  const done = await changeIfStillPending(access, planned, approve, { wait: false, endsAt: 60_000, clock: fakeClock() });
  assert.equal(done?.status, 'Approved');
  assert.deepEqual(access.writes, ['W/"stale"', 'W/"2"']);

  const rejected = fakeAccess([{ ...planned, etag: 'W/"stale"' }, { ...planned, status: 'Rejected' }]);
  await assert.rejects(changeIfStillPending(rejected, planned, approve, { wait: false, endsAt: 60_000, clock: fakeClock() }), (e: unknown) => e instanceof ChangedMeanwhile && e.now.status === 'Rejected');
  assert.deepEqual(rejected.writes, ['W/"stale"']);
});

test('412 after 412: read and tried again while the step has time, pausing a little longer each time', async () => {
  const stale = (i: number): Connection => ({ ...planned, etag: `W/"stale-${i}"` });
  const access = fakeAccess([stale(1), stale(2), stale(3), stale(4), stale(5), { ...planned, etag: 'W/"6"' }]);
  const clock = fakeClock();
  const done = await changeIfStillPending(access, planned, approve, { wait: false, endsAt: 60_000, clock });
  assert.equal(done?.status, 'Approved');
  assert.equal(access.writes.length, 6);
  assert.deepEqual(clock.slept, [100, 200, 300, 400, 500]);
});

test('a connection that keeps changing until the deadline is left as it is, with a message naming it', async () => {
  const access = fakeAccess([{ ...planned, etag: 'W/"stale"' }]);
  await assert.rejects(
    changeIfStillPending(access, planned, approve, { wait: false, endsAt: 999, clock: fakeClock() }),
    /Connection c changed 4 time\(s\) between our read and our write \(412 Precondition Failed each time\) until the step's time ran out; it was left as it is\./,
  );
  assert.equal(access.writes.length, 4);
});

test('errors other than 412 are not retried here', async () => {
  const access = fakeAccess([planned]);
  access.write = async () => {
    throw Object.assign(new Error('boom'), { statusCode: 500 });
  };
  await assert.rejects(changeIfStillPending(access, planned, approve, { wait: false, endsAt: 60_000, clock: fakeClock() }), /boom/);
});
