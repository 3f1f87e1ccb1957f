import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '@private-wire/shared/errors';
import { MAX_AUTHORIZED_RANGES, coveringRange, echoAnswerProblem, parseRunnerRange, planAddition, planRemoval } from './ranges';

const runner = parseRunnerRange('20.81.4.7', 'runner-ip');

describe('the runner range', () => {
  test('an address becomes a /32; an exact CIDR is kept', () => {
    assert.equal(runner.canonical, '20.81.4.7/32');
    assert.equal(parseRunnerRange('20.81.4.0/28', 'runner-ip').canonical, '20.81.4.0/28');
  });

  test('bad values name the input, the value and the fix', () => {
    assert.throws(() => parseRunnerRange('20.81.4.300', 'runnerIp'), (e: unknown) => e instanceof UserError && /Input 'runnerIp' is '20\.81\.4\.300', which is neither/.test(e.message));
    assert.throws(() => parseRunnerRange('2001:db8::1', 'runner-ip'), UserError);
    assert.throws(() => parseRunnerRange('20.81.4.7/24', 'runner-ip'), (e: unknown) => e instanceof UserError && /host bits/.test(e.message) && /20\.81\.4\.0\/24/.test(e.hint ?? ''));
  });

  test('an echo answer must be a public IPv4 address', () => {
    assert.equal(echoAnswerProblem('20.81.4.7'), undefined);
    assert.match(echoAnswerProblem('<html>blocked</html>')!, /not an IPv4 address/);
    assert.match(echoAnswerProblem('10.1.2.3')!, /private address/);
    assert.match(echoAnswerProblem('127.0.0.1')!, /loopback/);
    assert.match(echoAnswerProblem('20.81.4.7\n1.2.3.4')!, /not an IPv4/);
  });
});

describe('adding the runner range', () => {
  test('containment, not string equality: a wider range covers the runner', () => {
    assert.deepEqual(planAddition(['198.51.100.0/24', '20.81.0.0/16'], runner), { kind: 'covered', by: '20.81.0.0/16' });
    assert.deepEqual(planAddition(['20.81.4.7'], runner), { kind: 'covered', by: '20.81.4.7' });
    assert.equal(coveringRange(['20.81.4.8/32', '2001:db8::/32', 'junk'], runner), undefined);
  });

  test('no ranges: the API server is open, nothing to add', () => {
    assert.deepEqual(planAddition([], runner), { kind: 'open' });
  });

  test('adds the /32 after every existing range, keeping them all in order', () => {
    assert.deepEqual(planAddition(['198.51.100.0/24', '2001:db8::/32'], runner), { kind: 'add', after: ['198.51.100.0/24', '2001:db8::/32', '20.81.4.7/32'] });
  });

  test(`more than ${MAX_AUTHORIZED_RANGES} ranges would result: refused`, () => {
    const full = Array.from({ length: MAX_AUTHORIZED_RANGES }, (_, i) => `198.51.${Math.floor(i / 200)}.${i % 200}/32`);
    assert.deepEqual(planAddition(full, runner), { kind: 'too-many', count: MAX_AUTHORIZED_RANGES + 1 });
    assert.equal(planAddition(full.slice(1), runner).kind, 'add');
  });
});

describe('removing the range this run added', () => {
  test('removes only that entry and keeps ranges others added meanwhile', () => {
    assert.deepEqual(planRemoval(['198.51.100.0/24', '20.81.4.7/32', '20.81.4.8/32'], '20.81.4.7/32'), { kind: 'remove', after: ['198.51.100.0/24', '20.81.4.8/32'] });
  });

  test('the same range written without /32 is still ours; a covering range is not', () => {
    assert.deepEqual(planRemoval(['198.51.100.0/24', '20.81.4.7'], '20.81.4.7/32'), { kind: 'remove', after: ['198.51.100.0/24'] });
    assert.deepEqual(planRemoval(['198.51.100.0/24', '20.81.0.0/16'], '20.81.4.7/32'), { kind: 'absent' });
  });

  test('gone already: nothing to do', () => {
    assert.deepEqual(planRemoval(['198.51.100.0/24'], '20.81.4.7/32'), { kind: 'absent' });
  });

  test('the last range is never removed (an empty list opens the API server to all)', () => {
    assert.deepEqual(planRemoval(['20.81.4.7/32'], '20.81.4.7/32'), { kind: 'last' });
  });
});
