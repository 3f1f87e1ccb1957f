import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeadlineExceeded, REQUEST_TIMEOUT_MS, StepDeadline } from './deadline';

test('time left, request bounds and when waits give up', () => {
  const deadline = new StepDeadline(600, 'timeout', 1_000);
  assert.equal(deadline.remainingMs(1_000), 600_000);
  assert.equal(deadline.remainingMs(700_000), 0);
  assert.equal(deadline.waitEndsAt(), 1_000 + 600_000 - 5_000);
  assert.equal(new StepDeadline(4, 'timeout', 0).waitEndsAt(), 4_000 - 400, 'a tenth of a short timeout');
  assert.ok(deadline.requestTimeoutMs() <= REQUEST_TIMEOUT_MS);
});

test('race: the work, or DeadlineExceeded naming what was going on', async () => {
  const deadline = new StepDeadline(1, 'timeout');
  assert.equal(await deadline.race(Promise.resolve(7), () => 'planning'), 7);
  await assert.rejects(
    deadline.race(new Promise(() => undefined), () => 'applying: update Service default/api'),
    (e: unknown) => e instanceof DeadlineExceeded && /did not finish within its timeout of 1 s \(it was applying: update Service default\/api\)/.test(e.message) && /Raise 'timeout'/.test(e.toDisplayString()),
  );
});
