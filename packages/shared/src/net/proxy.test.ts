import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../errors';
import {
  NO_PROXY_CONFIGURED,
  clusterProxy,
  configurationSecrets,
  decideProxy,
  displayProxyUrl,
  parseNoProxy,
  proxyFromAgent,
  proxyFromEnvironment,
  type ProxyConfiguration,
} from './proxy';

/** `proxy <display url> (<origin>)` or `direct (<reason>)`, for compact assertions. */
function route(url: string, config: ProxyConfiguration): string {
  const d = decideProxy(new URL(url), config);
  return d.via === 'proxy' ? `proxy ${displayProxyUrl(d.proxy.url)} (${d.proxy.origin})` : `direct (${d.reason})`;
}

const viaNoProxy = (noProxy: string) => proxyFromEnvironment({ HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: noProxy });
const proxied = (url: string, config: ProxyConfiguration) => decideProxy(new URL(url), config).via === 'proxy';

test('HTTPS_PROXY carries https URLs and HTTP_PROXY http URLs; neither stands in for the other', () => {
  const both = proxyFromEnvironment({ HTTPS_PROXY: 'http://secure.corp:3128', HTTP_PROXY: 'http://plain.corp:8080' });
  assert.equal(route('https://management.azure.com/subscriptions', both), 'proxy http://secure.corp:3128 (HTTPS_PROXY)');
  assert.equal(route('http://10.1.0.4/metadata', both), 'proxy http://plain.corp:8080 (HTTP_PROXY)');
  assert.equal(route('https://management.azure.com/', proxyFromEnvironment({ HTTP_PROXY: 'http://plain.corp:8080' })), 'direct (no proxy is set for https URLs)');
  assert.equal(route('https://management.azure.com/', proxyFromEnvironment({})), 'direct (no proxy is configured)');
  assert.equal(route('https://management.azure.com/', NO_PROXY_CONFIGURED), 'direct (no proxy is configured)');
});

test('the lower-case spelling wins; empty values are unset; host:port means http://host:port', () => {
  const env = { https_proxy: 'lower.corp:3128', HTTPS_PROXY: 'http://upper.corp:3128', no_proxy: '', NO_PROXY: 'azure.com' };
  assert.equal(route('https://a.example/', proxyFromEnvironment(env)), 'proxy http://lower.corp:3128 (https_proxy)');
  assert.equal(route('https://management.azure.com/', proxyFromEnvironment(env)), "direct (NO_PROXY entry 'azure.com')");
  assert.equal(route('https://a.example/', proxyFromEnvironment({ https_proxy: ' ', HTTPS_PROXY: '10.1.2.3:8080' })), 'proxy http://10.1.2.3:8080 (HTTPS_PROXY)');
  assert.equal(route('https://a.example/', proxyFromEnvironment({ HTTPS_PROXY: 'https://tls-proxy.corp' })), 'proxy https://tls-proxy.corp (HTTPS_PROXY)');
});

test('a proxy that cannot be used is refused, naming the variable, without its credentials', () => {
  for (const [value, pattern] of [
    ['socks5://user:s3cret-pw@socks.corp:1080', /HTTPS_PROXY is 'socks5:\/\/\*\*\*@socks\.corp:1080': only http:\/\/ and https:\/\//],
    ['http://user:s3cret-pw@', /HTTPS_PROXY is 'http:\/\/\*\*\*@', which is not a proxy URL/],
    ['http://[not-an-ip', /HTTPS_PROXY is 'http:\/\/\[not-an-ip', which is not a proxy URL/],
  ] as const) {
    assert.throws(
      () => proxyFromEnvironment({ HTTPS_PROXY: value }),
      (e: unknown) => e instanceof UserError && pattern.test(e.message) && !e.toDisplayString().includes('s3cret-pw'),
      value,
    );
  }
});

test('NO_PROXY: a name matches itself and its subdomains; a leading dot or *. only subdomains; * everything', () => {
  const config = viaNoProxy(' Corp.Example , .svc.example,*.internal.example');
  assert.equal(proxied('https://corp.example/', config), false);
  assert.equal(proxied('https://aks.westeurope.CORP.example/', config), false);
  assert.equal(proxied('https://notcorp.example/', config), true, 'a suffix that is not a label boundary');
  assert.equal(proxied('https://svc.example/', config), true, 'a leading dot excludes the name itself');
  assert.equal(proxied('https://a.svc.example/', config), false);
  assert.equal(proxied('https://internal.example/', config), true);
  assert.equal(proxied('https://x.internal.example/', config), false);
  assert.equal(route('https://corp.example/', config), "direct (NO_PROXY entry 'corp.example')");
  assert.equal(proxied('https://anything.example/', viaNoProxy('*')), false);
  assert.equal(proxied('http://anything.example/', viaNoProxy('x.example, *')), false);
});

test('NO_PROXY: a port restricts the entry to that port (the scheme default when the URL has none)', () => {
  const config = viaNoProxy('kube.example:6443,api.example:443,10.0.0.4:8443,[fd00::4]:443');
  assert.equal(proxied('https://kube.example:6443/', config), false);
  assert.equal(proxied('https://kube.example/', config), true);
  assert.equal(proxied('https://api.example/', config), false, '443 is the https default');
  assert.equal(proxied('http://api.example/', config), true, '80 is the http default');
  assert.equal(proxied('https://10.0.0.4:8443/', config), false);
  assert.equal(proxied('https://10.0.0.4/', config), true);
  assert.equal(proxied('https://[fd00::4]/', config), false);
  assert.equal(proxied('https://[fd00::4]:8443/', config), true);
});

test('NO_PROXY: IPs and CIDR ranges match IP literals only (names are not resolved); malformed entries are skipped', () => {
  const config = viaNoProxy('10.0.0.0/8, 192.168.1.7, fd00::/16, 300.1.1.1/8, 10.0.0.0/33, :443, ');
  assert.equal(proxied('https://10.20.30.40/', config), false);
  assert.equal(proxied('https://11.0.0.1/', config), true);
  assert.equal(proxied('https://192.168.1.7:9443/', config), false);
  assert.equal(proxied('https://192.168.1.8/', config), true);
  assert.equal(proxied('https://[fd00:1::9]/', config), false);
  assert.equal(proxied('https://[fe80::1]/', config), true);
  assert.equal(proxied('https://ten.example/', config), true, 'a name is not looked up');
  assert.deepEqual(parseNoProxy('300.1.1.1/8, 10.0.0.0/33, :443,,', 'NO_PROXY'), []);
});

test('loopback targets are never proxied, whatever NO_PROXY says; other local-looking names are', () => {
  const config = proxyFromEnvironment({ HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128' });
  for (const url of ['https://localhost:8443/', 'https://LOCALHOST/', 'https://127.0.0.1:6443/', 'http://127.45.0.9/', 'https://[::1]:443/', 'https://[::ffff:127.0.0.1]/']) {
    assert.equal(route(url, config), 'direct (a loopback address is never proxied)', url);
  }
  for (const url of ['https://localhost.example/', 'https://10.0.0.1/', 'https://0.0.0.0/', 'http://169.254.169.253/']) assert.equal(proxied(url, config), true, url);
});

test("Azure's instance metadata addresses (managed identity) are never proxied", () => {
  const config = proxyFromAgent({ url: 'http://proxy.corp:8888', bypassList: [] });
  for (const url of ['http://169.254.169.254/metadata/identity/oauth2/token', 'http://168.63.129.16/machine']) {
    assert.equal(route(url, config), "direct (Azure's instance metadata address is never proxied)", url);
  }
});

test("the agent's proxy carries https and http URLs, with its credentials; its bypass entries are expressions on scheme://host[:port]", () => {
  const config = proxyFromAgent({
    url: 'http://proxy.corp:8888',
    username: 'CORP\\builder',
    password: 'p@ss:w%rd',
    bypassList: ['\\.internal\\.example$', '^https://kube\\.example:6443$', 'https://login\\.example(:443)?$', '(unclosed', '  '],
  });
  assert.equal(route('https://management.azure.com/', config), "proxy http://proxy.corp:8888 (the agent's proxy (Agent.ProxyUrl))");
  assert.equal(proxied('http://plain.example/', config), true);
  assert.equal(route('https://aks.internal.EXAMPLE/api/v1', config), "direct (the agent's proxy bypass entry '\\.internal\\.example$')", 'the path is not part of what is matched');
  assert.equal(proxied('https://kube.example:6443/api', config), false);
  assert.equal(proxied('https://kube.example/api', config), true);
  assert.equal(proxied('https://login.example:443/tenant', config), false, 'a default port is left out, as the agent does');
  assert.equal(proxied('https://127.0.0.1:6443/', config), false, 'loopback');
  const url = config.https!.url;
  assert.equal(decodeURIComponent(url.username), 'CORP\\builder');
  assert.equal(decodeURIComponent(url.password), 'p@ss:w%rd');
  assert.deepEqual(configurationSecrets(config).sort(), ['p%40ss%3Aw%25rd', 'p@ss:w%rd']);
  assert.equal(displayProxyUrl(url), 'http://proxy.corp:8888');
});

test("a kubeconfig cluster's proxy-url wins over NO_PROXY, loopback and an unset environment", () => {
  const own = clusterProxy('socks5://u:pw-123456@jump.corp:1080', 'aks');
  for (const config of [viaNoProxy('*'), NO_PROXY_CONFIGURED, proxyFromEnvironment({ HTTPS_PROXY: 'http://other.corp:3128' })]) {
    const d = decideProxy(new URL('https://127.0.0.1:6443/'), config, own);
    assert.equal(d.via === 'proxy' && displayProxyUrl(d.proxy.url), 'socks5://jump.corp:1080');
    assert.equal(d.via === 'proxy' && d.proxy.origin, "the kubeconfig's proxy-url (cluster 'aks')");
  }
  assert.throws(() => clusterProxy('not a url://x:pw-123456@', 'aks'), (e: unknown) => e instanceof UserError && !e.message.includes('pw-123456'));
});

test('the values to mask are the proxy passwords, as written and decoded; none without credentials', () => {
  assert.deepEqual(configurationSecrets(proxyFromEnvironment({ HTTPS_PROXY: 'http://u:a%2Fb%40c@p.corp:1', HTTP_PROXY: 'http://u:plain-pw@p.corp:1' })).sort(), ['a%2Fb%40c', 'a/b@c', 'plain-pw']);
  assert.deepEqual(configurationSecrets(proxyFromEnvironment({ HTTPS_PROXY: 'http://user@p.corp:1' })), []);
});
