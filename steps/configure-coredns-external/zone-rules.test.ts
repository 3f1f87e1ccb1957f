import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicZoneProblem, zoneConflict, zoneProblem } from './zone-rules';

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

test('another key claiming the zone (or any k8s_external) is a conflict; a parent server block too', () => {
  const own = 'private-wire-k8s-external.override';
  const none = zoneConflict({ [own]: 'k8s_external old.example\n', 'log.override': 'log\n' }, own, 'internal.example', 'zone');
  assert.deepEqual(none, { unreadable: [] });
  assert.match(zoneConflict({ 'team.override': 'k8s_external internal.example\n' }, own, 'internal.example', 'zone').conflict!.message, /which key 'team\.override' of kube-system\/coredns-custom already serves/);
  assert.match(zoneConflict({ 'team.override': 'k8s_external other.example\n' }, own, 'internal.example', 'zone').conflict!.message, /CoreDNS keeps only one per server block/);
  assert.match(zoneConflict({ 'corp.server': 'example:53 {\n errors\n}\n' }, own, 'internal.example', 'zone').conflict!.message, /has a server block for its parent example/);
  assert.deepEqual(zoneConflict({ 'broken.override': 'log {\n' }, own, 'internal.example', 'zone').unreadable, ["broken.override (missing '}')"]);
});
