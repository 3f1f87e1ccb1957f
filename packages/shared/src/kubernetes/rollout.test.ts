import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { rolloutState } from './rollout';

const deployment = (status: V1Deployment['status'], replicas = 2): V1Deployment => ({ spec: { replicas, selector: {}, template: {} }, status });

test('a rollout is done once the controller saw it and every replica is new and available', () => {
  assert.deepEqual(rolloutState(deployment({ observedGeneration: 4 }), 5), { done: false, progress: 'waiting for the deployment controller to see the restart' });
  assert.deepEqual(rolloutState(deployment({ observedGeneration: 5, updatedReplicas: 1, replicas: 2 }), 5), { done: false, progress: '1 of 2 new replicas updated' });
  assert.deepEqual(rolloutState(deployment({ observedGeneration: 5, updatedReplicas: 2, replicas: 3 }), 5), { done: false, progress: '1 old replicas pending termination' });
  assert.deepEqual(rolloutState(deployment({ observedGeneration: 5, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }), 5), { done: false, progress: '1 of 2 updated replicas available' });
  assert.deepEqual(rolloutState(deployment({ observedGeneration: 5, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }), 5), { done: true });
  const stuck = deployment({ observedGeneration: 5, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "coredns-x" has timed out progressing.' }] });
  assert.deepEqual(rolloutState(stuck, 5), { done: false, failed: 'ReplicaSet "coredns-x" has timed out progressing.', progress: '' });
});
