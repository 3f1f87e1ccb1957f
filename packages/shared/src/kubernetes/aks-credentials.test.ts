import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialRequest, publicFqdnProblem } from './aks-credentials';

test('user credentials always ask for the exec format; admin credentials have no format', () => {
  assert.deepEqual(credentialRequest(false, false), { format: 'exec' });
  assert.deepEqual(credentialRequest(true, false), {});
});

test('public-fqdn asks for server-fqdn=public on user and admin credentials', () => {
  assert.deepEqual(credentialRequest(false, true), { format: 'exec', serverFqdn: 'public' });
  assert.deepEqual(credentialRequest(true, true), { serverFqdn: 'public' });
});

test('a cluster without a public FQDN cannot give a public-FQDN kubeconfig; one with it (private or not) can', () => {
  assert.equal(publicFqdnProblem({ fqdn: 'a-1.hcp.westeurope.azmk8s.io' }), undefined);
  assert.equal(publicFqdnProblem({ fqdn: 'a-1.hcp.westeurope.azmk8s.io', privateFqdn: 'a-1.x.privatelink.westeurope.azmk8s.io' }), undefined);
  assert.equal(publicFqdnProblem({ privateFqdn: 'a-1.x.privatelink.westeurope.azmk8s.io' }), 'it is a private cluster without a public FQDN (only a-1.x.privatelink.westeurope.azmk8s.io)');
  assert.equal(publicFqdnProblem({}), 'it reports no FQDN');
});
