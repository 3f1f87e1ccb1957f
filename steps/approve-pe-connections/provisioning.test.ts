import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection } from './connection-access';
import { providerOf } from './providers';
import { phaseOf, problemAfterWrite, progressOf } from './provisioning';

const states = (type: string) => providerOf(type)!.provisioning;
const SQL = states('Microsoft.Sql/servers');
const c = (status: string, provisioningState?: string): Connection => ({ id: 'i', name: 'pe-1.conn', status, provisioningState });

test("SQL's own states (PrivateEndpointProvisioningState): Approving, Rejecting, Dropping run; Ready ends; Failed fails", () => {
  assert.deepEqual(['Approving', 'Rejecting', 'Dropping', 'Ready', 'Failed', 'approving'].map((s) => phaseOf(SQL, s)), ['in-progress', 'in-progress', 'in-progress', 'done', 'failed', 'in-progress']);
});

test('ARM RPC rules: Succeeded, Failed, Canceled are terminal everywhere; no state is Succeeded; other states run', () => {
  const storage = states('Microsoft.Storage/storageAccounts');
  assert.equal(phaseOf(storage, 'Succeeded'), 'done');
  assert.equal(phaseOf(storage, 'Canceled'), 'failed');
  assert.equal(phaseOf(storage, undefined), 'done');
  assert.equal(phaseOf(storage, 'Creating'), 'in-progress');
  assert.equal(phaseOf(storage, 'SomethingNew'), 'in-progress', 'a state the spec did not list is non-terminal');
  assert.equal(phaseOf(states('Microsoft.KeyVault/vaults'), 'Disconnected'), 'done');
  assert.equal(phaseOf(states('Microsoft.Search/searchServices'), 'Incomplete'), 'in-progress');
  // Web apps: a free-string state after the SDK followed the operation to its end.
  assert.equal(phaseOf(states('Microsoft.Web/sites'), 'SomethingNew'), 'done');
});

test('a change has settled only once provisioning is terminal and the status moved off Pending', () => {
  assert.equal(progressOf(c('Pending', 'Approving'), SQL), 'waiting');
  assert.equal(progressOf(c('Approved', 'Approving'), SQL), 'waiting', 'the status may move first');
  assert.equal(progressOf(c('Pending', 'Ready'), SQL), 'waiting', 'the status may move last');
  assert.equal(progressOf(c('Approved', 'Ready'), SQL), 'settled');
  assert.equal(progressOf(c('Rejected', 'Ready'), SQL), 'settled', 'settled, even on a state we did not ask for: the caller reports it');
  assert.equal(progressOf(c('Pending', 'Failed'), SQL), 'failed');
});

test('after the write: what counts as done, with and without waiting', () => {
  assert.equal(problemAfterWrite(c('Approved', 'Ready'), 'Approved', SQL, true), undefined);
  assert.equal(problemAfterWrite(c('Rejected', 'Ready'), 'Approved', SQL, true), 'Connection pe-1.conn is Rejected (provisioning Ready) after the write, not Approved.');
  assert.equal(problemAfterWrite(c('Pending', 'Failed'), 'Approved', SQL, false), 'Connection pe-1.conn ended Pending (provisioning Failed), so it was not changed.');
  // Not waiting: accepted (no body) or still at work is enough; a terminal Pending is not.
  assert.equal(problemAfterWrite(undefined, 'Approved', SQL, false), undefined);
  assert.equal(problemAfterWrite(c('Pending', 'Approving'), 'Approved', SQL, false), undefined);
  assert.match(problemAfterWrite(c('Pending', 'Succeeded'), 'Approved', states('Microsoft.Storage/storageAccounts'), false)!, /is Pending \(provisioning Succeeded\) after the write, not Approved/);
});
