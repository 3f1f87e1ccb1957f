import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { LOADED_CONFIG_ANNOTATION, configHash, restartReason } from './coredns-restart';

const deployment = (recorded?: string): V1Deployment => ({ metadata: { name: 'coredns', annotations: recorded ? { [LOADED_CONFIG_ANNOTATION]: recorded } : {} } });

test('a restart is needed until one has loaded exactly this content', () => {
  const content = 'k8s_external a.example {\n    ttl 5\n}\n';
  assert.match(restartReason(deployment(configHash(content)), content, true)!, /coredns-custom changed/);
  assert.equal(restartReason(deployment(configHash(content)), content, false), undefined);
  assert.match(restartReason(deployment(configHash('older')), content, false)!, /the last restart loaded an older/);
  assert.match(restartReason(deployment(), content, false)!, /no restart by this step has loaded/);
  assert.notEqual(configHash(content), configHash(content.replace('5', '6')));
});
