import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPrivateClusterHost, unreachableHint, type ApiServerAccess } from './unreachable';

const SERVER = 'https://aks-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443';
const PRIVATE = 'https://aks-dns-1a2b3c4d.0c6e2d1f-aaaa-bbbb-cccc-1234567890ab.privatelink.westeurope.azmk8s.io:443';
const kebab = (n: string) => n;
const camel = (n: string) => n.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const locked: ApiServerAccess = { cluster: 'AKS cluster rg/aks', authorizedRanges: ['198.51.100.0/24', '20.81.0.0/16'], isPrivate: false };

describe('why the API server cannot be reached', () => {
  test('authorized ranges and the runner outside them: says so and names aks-api-access', () => {
    const hint = unreachableHint({ server: SERVER, access: locked, runnerAddress: '20.82.4.7', inputName: kebab });
    assert.match(hint, /AKS cluster rg\/aks accepts API server connections only from its authorized IP ranges \(198\.51\.100\.0\/24, 20\.81\.0\.0\/16\)/);
    assert.match(hint, /This runner's address 20\.82\.4\.7 is not inside them\. Run the aks-api-access step before this one/);
  });

  test('the runner inside a range (containment): the ranges are not the cause', () => {
    const hint = unreachableHint({ server: SERVER, access: locked, runnerAddress: '20.81.4.7/32', inputName: kebab });
    assert.match(hint, /This runner's address 20\.81\.4\.7\/32 is inside them \(20\.81\.0\.0\/16\), so the ranges are not what blocks it/);
    assert.doesNotMatch(hint, /Run the aks-api-access step/);
  });

  test('the runner address unknown: says so, still names aks-api-access; long lists are cut', () => {
    const many = { ...locked, authorizedRanges: Array.from({ length: 14 }, (_, i) => `203.0.113.${i}/32`) };
    const hint = unreachableHint({ server: SERVER, access: many, inputName: kebab });
    assert.match(hint, /not known here\. Run the aks-api-access step/);
    assert.match(hint, /203\.0\.113\.9\/32, … \(14 in all\)/);
  });

  test('a private cluster (by its facts or by its privatelink FQDN) names private-cluster: true as the host spells it, and self-hosted agents', () => {
    const facts: ApiServerAccess = { cluster: 'AKS cluster rg/priv', authorizedRanges: [], isPrivate: true, privateFqdn: new URL(PRIVATE).hostname };
    assert.match(unreachableHint({ server: PRIVATE, access: facts, inputName: camel }), /AKS cluster rg\/priv is a private cluster.*'privateCluster: true'.*self-hosted agent/);
    assert.match(unreachableHint({ server: PRIVATE, inputName: kebab }), /The cluster is a private cluster.*'private-cluster: true'/);
    assert.equal(isPrivateClusterHost(PRIVATE), true);
    assert.equal(isPrivateClusterHost(SERVER), false);
  });

  test('a private cluster reached through its public FQDN is not called unreachable for being private', () => {
    const facts: ApiServerAccess = { cluster: 'AKS cluster rg/priv', authorizedRanges: [], isPrivate: true, privateFqdn: new URL(PRIVATE).hostname };
    assert.doesNotMatch(unreachableHint({ server: SERVER, access: facts, inputName: kebab }), /is a private cluster/);
  });

  test('nothing known: the generic hint still names aks-api-access', () => {
    assert.match(unreachableHint({ server: SERVER, inputName: kebab }), /aks-api-access/);
  });
});
