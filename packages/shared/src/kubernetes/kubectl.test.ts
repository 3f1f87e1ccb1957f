import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { kubeStatusCode } from './errors';
import { applyArgs, callError, callLine, getArgs, parseObject, patchArgs, shellQuote, splitCalls } from './kubectl';

test('shellQuote: what a POSIX shell reads back is the argument itself', () => {
  const args = ["{.status.loadBalancer.ingress[0].ip}=10.0.0.5", "it's", '$(id) `x` "y"', 'plain-name'];
  const echoed = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${args.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
  assert.deepEqual(echoed.split('\n').slice(0, -1), args);
  assert.equal(shellQuote('plain-name'), 'plain-name');
});

test('command lines name the object, our field manager and JSON output', () => {
  assert.deepEqual(getArgs({ kind: 'Service', name: 'api', namespace: 'shop' }), ['get', 'service', 'api', '-n', 'shop', '-o', 'json', '--ignore-not-found']);
  assert.deepEqual(getArgs({ kind: 'Namespace', name: 'shop' }), ['get', 'namespace', 'shop', '-o', 'json', '--ignore-not-found']);
  assert.deepEqual(applyArgs('service.json', true), ['apply', '--server-side', '--field-manager=private-wire', '--force-conflicts', '-f', 'service.json', '-o', 'json']);
  assert.deepEqual(patchArgs({ kind: 'ConfigMap', name: 'c', namespace: 'kube-system' }, 'merge', 'p.json'), ['patch', 'configmap', 'c', '-n', 'kube-system', '--type=merge', '--patch-file=p.json', '--field-manager=private-wire', '-o', 'json']);
  assert.equal(callLine(['get', 'service', 'a b']), `kubectl get service 'a b' 2>&1; printf '\\n@@private-wire rc=%s\\n' "$?"`);
  // Output without a final newline still ends before the exit code's line.
  const logs = execFileSync('/bin/sh', ['-c', callLine(['version']).replace(/^kubectl version/, 'printf no-newline; false')], { encoding: 'utf8' });
  assert.deepEqual(splitCalls(logs), [{ exitCode: 1, output: 'no-newline' }]);
});

test('splitCalls + parseObject: each call\'s object, nothing for a missing one, warnings skipped', () => {
  const logs = ['Warning: something deprecated', '{', '  "kind": "Service",', '  "metadata": {"name": "a"}', '}', '@@private-wire rc=0', '@@private-wire rc=0', 'Error from server (NotFound): namespaces "x" not found', '@@private-wire rc=1', ''].join('\n');
  const calls = splitCalls(logs);
  assert.deepEqual(calls.map((c) => c.exitCode), [0, 0, 1]);
  assert.deepEqual(parseObject(calls[0]!.output), { kind: 'Service', metadata: { name: 'a' } });
  assert.equal(parseObject(calls[1]!.output), undefined);
  assert.throws(() => parseObject('error: unknown flag'), /kubectl printed no object: error: unknown flag/);
});

test('callError: the API server\'s reason becomes its HTTP code, as kubeStatusCode reads it', () => {
  const conflict = callError({ exitCode: 1, output: 'Error from server (Conflict): Operation cannot be fulfilled on services "a": the object has been modified' });
  assert.equal(kubeStatusCode(conflict), 409);
  assert.equal(conflict.message, 'Operation cannot be fulfilled on services "a": the object has been modified');
  assert.equal(kubeStatusCode(callError({ exitCode: 1, output: 'Error from server (Forbidden): services is forbidden: User "x" cannot list' })), 403);
  assert.equal(kubeStatusCode(callError({ exitCode: 1, output: 'error: You must be logged in to the server (Unauthorized)' })), 401);
  const applied = callError({
    exitCode: 1,
    output: 'error: Operation cannot be fulfilled on services "a": the object has been modified\nPlease review the fields above--they currently have other managers.\nSee https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts',
  });
  assert.equal(kubeStatusCode(applied), 409);
  assert.equal(applied.message, 'Operation cannot be fulfilled on services "a": the object has been modified');
  const other = callError({ exitCode: 127, output: 'sh: 1: kubectl: not found' });
  assert.equal(kubeStatusCode(other), undefined);
  assert.equal(other.message, 'sh: 1: kubectl: not found');
});
