import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { User } from '@kubernetes/client-node';
import { UserError } from '../errors';
import { checkPluginAllowed, displayCommand, isKubelogin, pluginOf } from './credential-plugins';

const exec = (command: string, args: string[] = []) => ({ name: 'u', exec: { command, args, apiVersion: 'client.authentication.k8s.io/v1' } }) as unknown as User;

test('secret-looking flag values are hidden in the command shown', () => {
  assert.equal(displayCommand('aws', ['eks', 'get-token', '--cluster-name', 'prod']), 'aws eks get-token --cluster-name prod');
  assert.equal(displayCommand('kubelogin', ['get-token', '--client-secret', 's3cr3t', '--server-id', 'x']), 'kubelogin get-token --client-secret *** --server-id x');
  assert.equal(displayCommand('tool', ['--token=abc', '--password', 'p', '-v']), 'tool --token=*** --password *** -v');
});

test('kubelogin is recognised by its program name only', () => {
  assert.equal(isKubelogin(exec('kubelogin')), true);
  assert.equal(isKubelogin(exec('/usr/local/bin/kubelogin')), true);
  assert.equal(isKubelogin(exec('C:\\tools\\kubelogin.exe')), true);
  assert.equal(isKubelogin(exec('/tmp/not-kubelogin-really')), false);
  assert.equal(pluginOf(exec('kubelogin')), undefined);
});

test('a plugin runs only when allowed and never in a dry run', () => {
  const user = exec('gke-gcloud-auth-plugin');
  assert.throws(
    () => checkPluginAllowed(user, 'input x', { allowed: false, dryRun: false, inputName: 'allow-credential-plugin' }),
    (e: unknown) => e instanceof UserError && /run an exec credential plugin: 'gke-gcloud-auth-plugin'.*Set 'allow-credential-plugin' to true/.test(e.toDisplayString()),
  );
  assert.throws(() => checkPluginAllowed(user, 'input x', { allowed: true, dryRun: true, inputName: 'a' }), /a dry run never runs programs/);
  assert.deepEqual(checkPluginAllowed(user, 'input x', { allowed: true, dryRun: false, inputName: 'a' }), { kind: 'exec', commandLine: 'gke-gcloud-auth-plugin' });
  const legacy = { name: 'u', authProvider: { name: 'azure', config: { 'cmd-path': '/bin/az', 'cmd-args': 'account get-access-token' } } } as unknown as User;
  assert.deepEqual(pluginOf(legacy), { kind: 'auth-provider', commandLine: '/bin/az account get-access-token' });
  assert.equal(checkPluginAllowed({ name: 'u', token: 't' } as User, 'x', { allowed: false, dryRun: true, inputName: 'a' }), undefined);
});
