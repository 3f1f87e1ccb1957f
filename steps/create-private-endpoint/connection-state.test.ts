import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endpointConnection, isPending, stateProblem } from './connection-state';

describe('connection state (no I/O)', () => {
  test('the one connection, manual or automatic, with the provider\'s state and the NIC', () => {
    const state = { status: 'Pending', description: 'please' };
    const manual = endpointConnection({ manualPrivateLinkServiceConnections: [{ privateLinkServiceId: 'x', privateLinkServiceConnectionState: state }], privateLinkServiceConnections: [], networkInterfaces: [{ id: '/nic' }] });
    assert.deepEqual([manual.manual, manual.status, manual.description, manual.nicId], [true, 'Pending', 'please', '/nic']);
    const auto = endpointConnection({ privateLinkServiceConnections: [{ privateLinkServiceId: 'y', privateLinkServiceConnectionState: { status: 'Approved' } }] });
    assert.deepEqual([auto.manual, auto.status, auto.connection?.privateLinkServiceId], [false, 'Approved', 'y']);
    assert.equal(endpointConnection({}).connection, undefined);
  });

  test('Rejected and Disconnected fail with the provider\'s message; Pending and Approved do not', () => {
    assert.match(stateProblem({ status: 'Rejected', description: 'go away' }, 'pe')!.message, /The provider rejected private endpoint pe's connection: "go away"/);
    assert.match(stateProblem({ status: 'rejected', description: '' }, 'pe')!.message, /without a message/);
    assert.match(stateProblem({ status: 'Disconnected', description: 'removed' }, 'pe')!.message, /is Disconnected from its target: "removed"/);
    assert.equal(stateProblem({ status: 'Pending', description: '' }, 'pe'), undefined);
    assert.equal(stateProblem({ status: 'Approved', description: '' }, 'pe'), undefined);
    assert.ok(isPending('pending') && !isPending('Approved'));
  });
});
