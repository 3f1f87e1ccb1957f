import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection } from './connection-access';
import { providerOf } from './providers';
import { POLL_MS, untilSettled, type Clock } from './settle';

const SQL = providerOf('Microsoft.Sql/servers')!.provisioning;
const c = (status: string, provisioningState?: string): Connection => ({ id: 'i', name: 'pe-1.conn', status, provisioningState });

/** Reads `sequence` in turn (the last one forever) on a clock that moves only when slept on. */
function provider(sequence: Connection[]) {
  let reads = 0;
  let t = 0;
  const clock: Clock = { now: () => t, sleep: async (ms) => void (t += ms) };
  return { clock, get: async () => sequence[Math.min(reads++, sequence.length - 1)]!, reads: () => reads, elapsed: () => t };
}

test('SQL: an approval accepted without a body is read until Approving has become Ready', async () => {
  const p = provider([c('Pending', 'Approving'), c('Pending', 'Approving'), c('Approved', 'Ready')]);
  const final = await untilSettled(undefined, { states: SQL, get: p.get, endsAt: 60_000, timeoutInput: 'timeout', clock: p.clock });
  assert.deepEqual([final.status, final.provisioningState], ['Approved', 'Ready']);
  assert.equal(p.reads(), 3);
  assert.equal(p.elapsed(), 2 * POLL_MS);
});

test('what the write answered is used first; a settled answer needs no read', async () => {
  const p = provider([]);
  const final = await untilSettled(c('Approved', 'Succeeded'), { states: SQL, get: p.get, endsAt: 60_000, timeoutInput: 'timeout', clock: p.clock });
  assert.equal(final.status, 'Approved');
  assert.equal(p.reads(), 0);
});

test('Failed is a clear failure naming the connection', async () => {
  const p = provider([c('Pending', 'Approving'), c('Pending', 'Failed')]);
  await assert.rejects(untilSettled(undefined, { states: SQL, get: p.get, endsAt: 60_000, timeoutInput: 'timeout', clock: p.clock }), /^UserError: Connection pe-1\.conn ended with provisioning state Failed \(status Pending\)\.$/);
});

test('the deadline ends the wait with the state it was in and the input to raise', async () => {
  const p = provider([c('Pending', 'Approving')]);
  await assert.rejects(untilSettled(undefined, { states: SQL, get: p.get, endsAt: 5000, timeoutInput: 'timeoutSeconds', clock: p.clock }), (e: Error & { hint?: string }) => {
    assert.match(e.message, /Connection pe-1\.conn was still Pending with provisioning state Approving when the step's time ran out\./);
    assert.match(e.hint!, /raise 'timeoutSeconds'/);
    return true;
  });
  assert.ok(p.elapsed() <= 5000, 'never sleeps past the deadline');
});
