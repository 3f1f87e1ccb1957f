import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthyWorld } from './fixture';
import { nameResolverAddresses, tcpPingAttempts } from './kudu-output';
import { dnsChoice, scmSiteOf } from './verify';
import { dnsHop, quoteRaw, tcpHop, verifyBlockers, type CommandOutcome, type ScmSite } from './verify-findings';

const SITE: ScmSite = { label: 'app', scmHost: 'app.scm.azurewebsites.net', linux: false };
const ran = (Output: string, ExitCode = 0): CommandOutcome => ({ ok: true, result: { Output, Error: '', ExitCode } });

test('nameresolver: the addresses after "Addresses:" (up to "Aliases:"), CRLF lines; no block is undefined', () => {
  assert.deepEqual(nameResolverAddresses('Server: 10.224.0.50\r\n\r\nNon-authoritative answer:\r\nName: api.default.svc.example\r\nAddresses: \r\n\t10.224.0.60\r\n\t10.224.0.61\r\n\r\n'), ['10.224.0.60', '10.224.0.61']);
  assert.deepEqual(nameResolverAddresses('Addresses:\r\n  10.1.2.3\r\nAliases:\r\n  other.example\r\n'), ['10.1.2.3']);
  assert.deepEqual(nameResolverAddresses('Addresses:\r\n  not-an-ip\r\n'), []);
  assert.equal(nameResolverAddresses('Server: 10.224.0.50\r\n*** Request to 10.224.0.50 timed-out\r\n'), undefined);
});

test('tcpping: each attempt by the prefix the diagnostics portal reads; an unknown line makes the output unreadable', () => {
  assert.deepEqual(tcpPingAttempts('Connected to 10.224.0.60:8080, time taken: 3ms\r\nComplete: 1/1 successful attempts (100%). Average success time: 3ms\r\n')?.map((a) => a.attempt), ['connected']);
  assert.deepEqual(tcpPingAttempts('Connection attempt failed: Connection timed out.\r\nComplete: 0/1 successful attempts (0%).\r\n')?.map((a) => a.attempt), ['timed-out']);
  assert.deepEqual(tcpPingAttempts('Connection attempt failed: No connection could be made because the target machine actively refused it 10.0.0.1:81\r\n')?.map((a) => a.attempt), ['refused']);
  assert.deepEqual(tcpPingAttempts('Connection attempt failed: An attempt was made to access a socket in a way forbidden by its access permissions\r\n')?.map((a) => a.attempt), ['blocked']);
  assert.equal(tcpPingAttempts('Pinging 10.0.0.1 with 32 bytes\r\n'), undefined);
  assert.equal(tcpPingAttempts(''), undefined);
});

test('the DNS hop: info only with an address; error with the raw output when none; a refused sign-in is a warning that proves nothing', () => {
  const dns = { server: '10.224.0.50', source: "the site's dnsConfiguration.dnsServers" };
  const ok = dnsHop(SITE, 'api.default.svc.example', dns, ran('Addresses:\r\n  10.224.0.60\r\n'));
  assert.equal(`${ok.finding.severity} ${ok.finding.id}`, 'info verify-dns-resolved');
  assert.match(ok.finding.message, /resolved api\.default\.svc\.example through DNS server 10\.224\.0\.50 \(the site's dnsConfiguration\.dnsServers\) to 10\.224\.0\.60\./);
  assert.deepEqual(ok.addresses, ['10.224.0.60']);
  const failed = dnsHop(SITE, 'api.default.svc.example', dns, ran('Server: 10.224.0.50\r\n::error::timed out\r\n', 1));
  assert.equal(`${failed.finding.severity} ${failed.finding.id}`, 'error verify-dns-failed');
  assert.match(failed.finding.message, /no 'Addresses:' block \(exit code 1; the tool's output format is not documented\)\. Output \(raw\): Server: 10\.224\.0\.50 ::error::timed out$/);
  assert.deepEqual(failed.addresses, []);
  const refused = dnsHop(SITE, 'api.default.svc.example', dns, { ok: false, status: 401 });
  assert.equal(`${refused.finding.severity} ${refused.finding.id}`, 'warning verify-scm-refused');
  assert.match(refused.finding.message, /^Verify could not prove the path: the SCM host refused the nameresolver command with HTTP 401/);
  const down = dnsHop(SITE, 'x.y.z', { source: 'none' }, { ok: false, status: 0, error: 'getaddrinfo ENOTFOUND app.scm.azurewebsites.net' });
  assert.equal(`${down.finding.severity} ${down.finding.id}`, 'warning verify-scm-unreachable');
});

test('the TCP hop: connected is info, a timeout is an error naming the NSG and routes, unreadable output is a warning', () => {
  assert.equal(tcpHop(SITE, '10.224.0.60', 8080, ran('Connected to 10.224.0.60:8080, time taken: 3ms\r\n')).id, 'verify-tcp-connected');
  const timedOut = tcpHop(SITE, '10.224.0.60', 8080, ran('Connection attempt failed: Connection timed out.\r\n'));
  assert.equal(`${timedOut.severity} ${timedOut.id}`, 'error verify-tcp-failed');
  assert.match(timedOut.message, /could not connect to 10\.224\.0\.60:8080 \(timed-out\)/);
  assert.match(timedOut.fix, /NSG and route table let TCP 8080 to 10\.224\.0\.60 through/);
  assert.equal(tcpHop(SITE, '10.224.0.60', 8080, ran('something else')).severity, 'warning');
});

test('blockers: missing inputs, a Linux app, no SCM host or one outside App Service domains: nothing is tried', () => {
  assert.deepEqual(verifyBlockers(SITE, { fqdn: undefined, port: 80 }, true).map((f) => f.id), ['verify-inputs-missing']);
  assert.deepEqual(verifyBlockers({ ...SITE, linux: true }, { fqdn: 'a.b.c', port: 80 }, true).map((f) => f.id), ['verify-linux-not-provable']);
  assert.deepEqual(verifyBlockers({ ...SITE, scmHost: undefined }, { fqdn: 'a.b.c', port: 80 }, false).map((f) => f.id), ['verify-scm-host-unknown']);
  assert.match(verifyBlockers({ ...SITE, scmHost: 'evil.example' }, { fqdn: 'a.b.c', port: 80 }, false)[0]!.message, /'evil\.example' is not an App Service domain, so no token is sent to it/);
  assert.deepEqual(verifyBlockers(SITE, { fqdn: 'a.b.c', port: 80 }, true), []);
});

test('the SCM host is the Repository host name; reserved or a linux kind is a Linux app', () => {
  const site = { kind: 'app', properties: { reserved: false, hostNameSslStates: [{ name: 'app.azurewebsites.net', hostType: 'Standard' }, { name: 'app.scm.azurewebsites.net', hostType: 'Repository' }] } };
  assert.deepEqual(scmSiteOf('app', site), { label: 'app', scmHost: 'app.scm.azurewebsites.net', linux: false });
  assert.equal(scmSiteOf('app', { kind: 'app,linux', properties: {} }).linux, true);
  assert.equal(scmSiteOf('app', { kind: 'app', properties: { reserved: true } }).scmHost, undefined);
});

test('the DNS server: the site property first, then the VNet, else the app decides', () => {
  assert.equal(dnsChoice(healthyWorld((w) => { w.webapp.dnsServers = ['10.224.0.50']; w.vnet.dnsServers = ['10.0.0.4']; })).server, '10.224.0.50');
  assert.equal(dnsChoice(healthyWorld((w) => { w.vnet.dnsServers = ['10.0.0.4']; })).server, '10.0.0.4');
  assert.equal(dnsChoice(healthyWorld()).server, undefined);
});

test('raw output is one line without control characters, shortened', () => {
  assert.equal(quoteRaw('a\r\n\u001b[31mb\u0000'), 'a [31mb');
  assert.equal(quoteRaw('x'.repeat(400)).length, 301);
});
