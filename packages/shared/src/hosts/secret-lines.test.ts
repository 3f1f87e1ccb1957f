import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretParts } from './secret-lines';

test('a kubeconfig is masked by its credential fields; names stay readable', () => {
  const kubeconfig = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
    '    server: https://aks-prod-dns-12345678.hcp.westeurope.azmk8s.io:443',
    '  name: aks-prod-cluster-westeurope',
    'contexts:',
    '- context:',
    '    cluster: aks-prod-cluster-westeurope',
    '    user: clusterUser_rg-aks-prod_aks-prod',
    'users:',
    '- name: clusterUser_rg-aks-prod_aks-prod',
    '  user:',
    '    client-key-data: S0VZREFUQUtFWURBVEFLRVlEQVRB',
    '    token: 0123456789abcdef0123456789abcdef',
    '    password: "hunter2!"',
  ].join('\n');
  assert.deepEqual(secretParts(kubeconfig).sort(), ['0123456789abcdef0123456789abcdef', 'S0VZREFUQUtFWURBVEFLRVlEQVRB', 'hunter2!'].sort());
});

test('PEM bodies, JSON secrets and single-line values', () => {
  const pem = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'bm90IGEgcmVhbCBrZXkgYXQgYWxsIDop', '-----END PRIVATE KEY-----'].join('\n');
  assert.deepEqual(secretParts(pem), ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'bm90IGEgcmVhbCBrZXkgYXQgYWxsIDop']);
  assert.deepEqual(secretParts('{\n  "clientId": "abc",\n  "clientSecret": "s3cr3t-value"\n}'), ['s3cr3t-value']);
  assert.deepEqual(secretParts('single-line'), ['single-line']);
  assert.deepEqual(secretParts(''), []);
});
