import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs, retryable } from './http';

test('429 is retried for every method; 5xx only where a repeat is safe', () => {
  for (const method of ['GET', 'PATCH', 'PUT', 'POST', 'DELETE']) assert.equal(retryable(method, 429), true, method);
  assert.equal(retryable('GET', 503), true);
  assert.equal(retryable('PATCH', 500), true);
  assert.equal(retryable('POST', 500), false, 'a create may have been done');
  assert.equal(retryable('DELETE', 503), false);
  assert.equal(retryable('GET', 404), false);
  assert.equal(retryable('GET', 501), false);
});

test('Retry-After wins (bounded); otherwise the wait doubles', () => {
  assert.equal(retryDelayMs(1, '2'), 2000);
  assert.equal(retryDelayMs(1, '0'), 0);
  assert.equal(retryDelayMs(3, '3600'), 30_000);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, undefined)), [250, 500, 1000, 2000, 4000, 4000]);
  assert.equal(retryDelayMs(2, 'soon'), 500);
});
