import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { CoreV1Event, V1Service } from '@kubernetes/client-node';
import { callLine, splitCalls } from './kubectl';
import { providerFailure, waitCalls } from './run-command-client';

const service = { metadata: { uid: 'u1' }, status: { loadBalancer: { ingress: [{ ip: '10.224.0.4' }] } } } as V1Service;

test('waitCalls: kubectl wait for the IP (the pinned one when pinned), then the Service and its events', () => {
  const { calls, settle } = waitCalls('shop', 'api', 90, { pinnedIp: '10.224.0.9', ipMayChange: true, writes: true, current: service });
  assert.deepEqual(calls[0], ['wait', '--for=jsonpath={.status.loadBalancer.ingress[0].ip}=10.224.0.9', 'service/api', '-n', 'shop', '--timeout=90s']);
  assert.deepEqual(calls[1], ['get', 'service', 'api', '-n', 'shop', '-o', 'json', '--ignore-not-found']);
  assert.deepEqual(calls[2], ['get', 'events', '-n', 'shop', '--field-selector', 'involvedObject.kind=Service,involvedObject.name=api', '-o', 'json']);
  assert.deepEqual(settle, [], 'a pinned IP needs no settling: the wait names it');
  assert.deepEqual(waitCalls('shop', 'api', 90, { ipMayChange: false, writes: true, current: service }).settle, []);
});

test('waitCalls: after a write that can move an unpinned IP, the old one gets time to change, and the output still splits into the three calls', () => {
  const { calls, settle } = waitCalls('shop', 'api', 90, { ipMayChange: true, writes: true, current: service });
  assert.equal(settle.length, 1);
  // A stand-in kubectl: the jsonpath read shows the old IP twice, then a new one; every call prints its arguments.
  const bin = mkdtempSync(path.join(tmpdir(), 'fake-kubectl-'));
  writeFileSync(
    path.join(bin, 'kubectl'),
    `#!/bin/sh\ncase "$*" in get*jsonpath=*) n=$(cat ${bin}/n 2>/dev/null || echo 0); echo $((n+1)) > ${bin}/n; [ $n -lt 2 ] && printf 10.224.0.4 || printf 10.224.0.7;; *) echo "$@";; esac\n`,
  );
  chmodSync(path.join(bin, 'kubectl'), 0o755);
  const lines = calls.map(callLine);
  const script = [lines[0], ...settle, ...lines.slice(1)].join('; ');
  const logs = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
  const results = splitCalls(logs);
  assert.deepEqual(results.map((r) => r.exitCode), [0, 0, 0]);
  assert.match(results[1]!.output, /^get service api -n shop/);
  assert.equal(execFileSync('cat', [path.join(bin, 'n')], { encoding: 'utf8' }).trim(), '3', 'the loop read the IP until it changed');
});

test('providerFailure: the provider\'s latest word on this Service decides', () => {
  const event = (reason: string, type: string, at: string, uid = 'u1'): CoreV1Event => ({ reason, type, lastTimestamp: new Date(at), message: `${reason} at ${at}`, involvedObject: { uid }, metadata: {} });
  assert.equal(providerFailure([event('EnsuredLoadBalancer', 'Normal', '2026-01-01T00:00:01Z'), event('SyncLoadBalancerFailed', 'Warning', '2026-01-01T00:00:02Z')], service), 'SyncLoadBalancerFailed at 2026-01-01T00:00:02Z');
  assert.equal(providerFailure([event('SyncLoadBalancerFailed', 'Warning', '2026-01-01T00:00:01Z'), event('EnsuredLoadBalancer', 'Normal', '2026-01-01T00:00:02Z')], service), undefined);
  assert.equal(providerFailure([event('SyncLoadBalancerFailed', 'Warning', '2026-01-01T00:00:03Z', 'an-older-service')], service), undefined);
});
