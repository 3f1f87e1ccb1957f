import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { clusterProxy, proxyFromEnvironment, NO_PROXY_CONFIGURED } from './proxy';
import { ProxyRoutes } from './proxy-routes';

test('requests get one tunnelling agent per proxy, or none to go direct; the log says once per endpoint, without credentials', () => {
  const lines: string[] = [];
  const routes = new ProxyRoutes(proxyFromEnvironment({ HTTPS_PROXY: 'http://builder:pw-0123456789@proxy.corp:3128', NO_PROXY: '.direct.example' }), (m) => lines.push(m));
  const arm = routes.agentFor('https://management.azure.com/subscriptions?api-version=1');
  assert.ok(arm instanceof HttpsProxyAgent);
  assert.equal(arm.proxy.href, 'http://builder:pw-0123456789@proxy.corp:3128/');
  assert.equal(routes.agentFor('https://login.microsoftonline.com/tenant/oauth2/v2.0/token'), arm, 'one agent for one proxy');
  assert.equal(routes.agentFor('https://management.azure.com/other'), arm);
  assert.equal(routes.agentFor('https://kv.direct.example/'), undefined);
  assert.equal(routes.agentFor('https://127.0.0.1:8443/'), undefined);
  assert.deepEqual(lines, [
    'Proxy: requests to https://management.azure.com go through http://proxy.corp:3128 (HTTPS_PROXY).',
    'Proxy: requests to https://login.microsoftonline.com go through http://proxy.corp:3128 (HTTPS_PROXY).',
    "Proxy: requests to https://kv.direct.example go directly (NO_PROXY entry '.direct.example').",
    'Proxy: requests to https://127.0.0.1:8443 go directly (a loopback address is never proxied).',
  ]);
});

test('without any proxy nothing is logged; a cluster with its own proxy-url is', () => {
  const lines: string[] = [];
  const routes = new ProxyRoutes(NO_PROXY_CONFIGURED, (m) => lines.push(m));
  assert.equal(routes.agentFor('https://management.azure.com/'), undefined);
  assert.equal(routes.clusterProxy('https://aks.example:443', undefined), undefined);
  assert.deepEqual(lines, []);
  const own = clusterProxy('http://u:pw-0123456789@jump.corp:8080', 'aks');
  assert.equal(routes.clusterProxy('https://aks.example:443', own), own);
  assert.deepEqual(lines, ["Proxy: requests to the Kubernetes API server https://aks.example go through http://jump.corp:8080 (the kubeconfig's proxy-url (cluster 'aks'))."]);
});
