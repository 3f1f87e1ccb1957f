import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyRefusal, retryDelayMs, retryable } from './http';

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

test("a proxy's refused CONNECT (hpagent's `Bad response: <status>`) becomes a message naming the proxy and the fix", () => {
  const error = new Error('request to https://aks.example:443/api/v1/namespaces failed, reason: Bad response: 407');
  const refusal = proxyRefusal(error, 'https://aks.example:443', 'http://proxy.corp:3128');
  assert.equal(
    refusal?.toDisplayString(),
    'The proxy http://proxy.corp:3128 refused the tunnel to the Kubernetes API server https://aks.example:443 (407 Proxy Authentication Required). Check the proxy user name and password.',
  );
  assert.match(proxyRefusal(new Error('reason: Bad response: 403'), 's', 'p')!.message, /\(403\)\.$/);
  assert.equal(proxyRefusal(new Error('connect ECONNREFUSED 10.0.0.1:443'), 's', 'p'), undefined);
});
