import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { globToRegExp, parseAllowedSubscriptions, parseEndpointPatterns, refusal, subscriptionOf, type Allowlist } from './allowlist';

describe('allowlist parsing (no I/O)', () => {
  test('`*` stays within a segment, `**` crosses segments, matching ignores case', () => {
    const id = '/subscriptions/1111/resourceGroups/rg-web/providers/Microsoft.Network/privateEndpoints/pe-app-1';
    assert.ok(globToRegExp('/subscriptions/*/resourceGroups/rg-web/providers/Microsoft.Network/privateEndpoints/pe-*').test(id));
    assert.ok(globToRegExp('**/privateendpoints/PE-APP-*').test(id));
    assert.ok(!globToRegExp('/subscriptions/*/providers/Microsoft.Network/privateEndpoints/*').test(id), '* must not cross /');
    assert.ok(!globToRegExp('**/privateEndpoints/pe-app').test(id), 'patterns are anchored at the end');
    assert.ok(!globToRegExp('**/pe-app-1.*').test(`${id}x`), 'dots are literal');
  });
  test('subscriptions: empty means own, `*` only alone, GUIDs only', () => {
    const own = randomUUID();
    assert.deepEqual(parseAllowedSubscriptions([], own, 'x'), [own]);
    assert.equal(parseAllowedSubscriptions(['*'], own, 'x'), 'any');
    assert.throws(() => parseAllowedSubscriptions(['*', own], own, 'x'), /mixes '\*'/);
    assert.throws(() => parseAllowedSubscriptions(['contoso'], own, 'x'), /'contoso', which is not a subscription ID/);
    assert.throws(() => parseEndpointPatterns(['pe-*'], 'x'), /cannot match a private endpoint ID/);
  });
});


describe('refusal', () => {
  const own = randomUUID();
  const partner = randomUUID();
  const endpoint = (sub: string, name = 'pe-app-1') => `/subscriptions/${sub}/resourceGroups/rg-web/providers/Microsoft.Network/privateEndpoints/${name}`;
  const list = (subscriptions: Allowlist['subscriptions'], patterns: string[] = []): Allowlist => ({
    subscriptions,
    endpointRegexps: parseEndpointPatterns(patterns, 'allowed-endpoints'),
    inputs: { subscriptions: 'allowed-subscriptions', endpoints: 'allowed-endpoints' },
  });

  test('the subscription must be allowed, and the endpoint must match when patterns are given', () => {
    assert.equal(refusal(list([own]), endpoint(own)), undefined);
    assert.match(refusal(list([own]), endpoint(partner))!, new RegExp(`requester subscription ${partner} is not in allowed-subscriptions`));
    assert.equal(refusal(list('any'), endpoint(partner)), undefined);
    assert.match(refusal(list('any', ['**/privateEndpoints/pe-web-*']), endpoint(partner))!, /matches none of allowed-endpoints/);
    assert.equal(refusal(list('any', ['**/privateEndpoints/pe-app-*']), endpoint(partner)), undefined);
  });

  test('a connection without a private endpoint ID is never acted on', () => {
    assert.match(refusal(list('any'), undefined)!, /names no private endpoint/);
    assert.match(refusal(list('any'), 'not-an-id')!, /names no private endpoint/);
    assert.equal(subscriptionOf(endpoint(own.toUpperCase())), own.toLowerCase());
  });
});
