import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Service } from '@kubernetes/client-node';
import { LB_INTERNAL, LB_INTERNAL_SUBNET, LB_IPV4, PLS_CREATE, PLS_NAME } from '@private-wire/shared/kubernetes/azure-annotations';
import { desiredAnnotations } from './service-changes';
import type { ExposeSettings } from './settings';

/** A Service with annotations, some of them applied by us earlier (managedFields of manager private-wire). */
function service(annotations: Record<string, string>, ours: string[], spec: V1Service['spec'] = { type: 'LoadBalancer' }): V1Service {
  const fields = Object.fromEntries(ours.map((k) => [`f:${k}`, {}]));
  return { metadata: { name: 'api', annotations, managedFields: [{ manager: 'private-wire', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:annotations': fields } } }] }, spec };
}
const settings = (over: Partial<ExposeSettings> = {}) => ({ annotations: { [LB_INTERNAL]: 'true' }, ...over }) as ExposeSettings;

test('an empty private-link keeps the PLS annotations we applied; false drops them', () => {
  const svc = service({ [LB_INTERNAL]: 'true', [PLS_CREATE]: 'true', [PLS_NAME]: 'pls-api', 'team/x': '1' }, [LB_INTERNAL, PLS_CREATE, PLS_NAME]);
  const keep = desiredAnnotations(svc, settings({ privateLink: undefined }));
  assert.deepEqual(keep.wanted, { [LB_INTERNAL]: 'true', [PLS_CREATE]: 'true', [PLS_NAME]: 'pls-api' });
  assert.deepEqual([keep.set, keep.dropped], [[], []]);
  const drop = desiredAnnotations(svc, settings({ privateLink: false }));
  assert.deepEqual(drop.dropped.sort(), [PLS_CREATE, PLS_NAME].sort());
  assert.equal(drop.ipMayChange, false, 'removing the PLS does not move the frontend IP');
});

test('a pinned IP stays pinned without the input; spec.loadBalancerIP moves to the annotation', () => {
  const pinned = service({ [LB_INTERNAL]: 'true', [LB_IPV4]: '10.0.0.9' }, [LB_INTERNAL, LB_IPV4]);
  assert.equal(desiredAnnotations(pinned, settings()).wanted[LB_IPV4], '10.0.0.9');
  const legacy = service({ [LB_INTERNAL]: 'true' }, [LB_INTERNAL], { type: 'LoadBalancer', loadBalancerIP: '10.0.0.7' });
  const d = desiredAnnotations(legacy, settings());
  assert.equal(d.wanted[LB_IPV4], '10.0.0.7');
  assert.equal(d.loadBalancerIp, '10.0.0.7');
});

test('what can move the IP: type, internal, subnet or pinned IP, set or dropped', () => {
  const current = service({ [LB_INTERNAL]: 'true', [LB_INTERNAL_SUBNET]: 'ilb' }, [LB_INTERNAL, LB_INTERNAL_SUBNET]);
  assert.equal(desiredAnnotations(current, settings({ annotations: { [LB_INTERNAL]: 'true', [LB_INTERNAL_SUBNET]: 'ilb' } })).ipMayChange, false);
  assert.equal(desiredAnnotations(current, settings()).ipMayChange, true, 'subnet dropped');
  assert.equal(desiredAnnotations(service({}, [], { type: 'ClusterIP' }), settings()).ipMayChange, true, 'retyped');
  assert.equal(desiredAnnotations(current, settings({ ip: '10.0.0.5', annotations: { [LB_INTERNAL]: 'true', [LB_INTERNAL_SUBNET]: 'ilb' } })).ipMayChange, true, 'pinned');
});
