import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicZoneProblem, zoneProblem } from './zone-rules';

test('zones that would take over names belonging to others', () => {
  assert.match(publicZoneProblem('com')!, /single label/);
  assert.match(publicZoneProblem('co.uk')!, /public suffix/);
  assert.match(publicZoneProblem('azurewebsites.net')!, /public suffix/, 'private section of the PSL');
  assert.match(publicZoneProblem('windows.net')!, /an Azure domain/);
  assert.match(publicZoneProblem('core.windows.net')!, /inside the Azure domain windows\.net/);
  for (const zone of ['internal.contoso', 'internal.contoso.com', 'svc.internal', 'aks.corp.example']) assert.equal(publicZoneProblem(zone), undefined, zone);
});

test('allow-public-zone lifts only that rule', () => {
  assert.match(zoneProblem('com', false, 'allowPublicZone')!.hint, /set 'allowPublicZone' to true/);
  assert.equal(zoneProblem('com', true), undefined);
  assert.match(zoneProblem('cluster.local', true)!.message, /answered by the kubernetes plugin/);
});
