import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthyWorld } from './fixture';
import { verifyPort } from './verify';
import type { ServiceView } from './world';

const serviceWith = (ports: ServiceView['ports']): ServiceView => ({ type: 'LoadBalancer', internal: true, loadBalancerIps: ['10.224.0.9'], ports });

test('verify connects to `port` when given, whatever the Service has', () => {
  const w = healthyWorld((x) => {
    x.service = { name: 'api', namespace: 'default', port: 8443 };
    x.kube = { read: true, service: serviceWith([{ port: 80, protocol: 'TCP' }]) };
  });
  assert.equal(verifyPort(w), 8443);
});

test("without `port`, verify takes the Service's only TCP port, and guesses nothing when there are several or none", () => {
  const withPorts = (ports: ServiceView['ports']) =>
    verifyPort(
      healthyWorld((x) => {
        x.service = { name: 'api', namespace: 'default' };
        x.kube = { read: true, service: serviceWith(ports) };
      }),
    );
  assert.equal(withPorts([{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]), 80);
  assert.equal(withPorts([{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }]), undefined);
  assert.equal(withPorts([{ port: 53, protocol: 'UDP' }]), undefined);
  const unread = healthyWorld((x) => {
    x.service = { name: 'api', namespace: 'default' };
    x.kube = { read: false, reason: 'the API server did not answer' };
  });
  assert.equal(verifyPort(unread), undefined);
});
