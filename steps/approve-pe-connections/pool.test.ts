import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedPool } from './pool';

test('at most `limit` tasks run at once; failures are collected, never thrown', async () => {
  const pool = new BoundedPool(2);
  let running = 0;
  let most = 0;
  const task = (fail: boolean) => async () => {
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 10));
    running--;
    if (fail) throw new Error('nope');
  };
  for (let i = 0; i < 6; i++) await pool.start(`t${i}`, task(i === 3));
  const failures = await pool.drain();
  assert.equal(most, 2);
  assert.deepEqual(failures.map((f) => f.label), ['t3']);
  assert.throws(() => new BoundedPool(0), /positive integer/);
});
