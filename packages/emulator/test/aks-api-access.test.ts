// The stand-in's managed-cluster writes as concurrent clients see them (eTag / If-Match, 409 while
// an update runs, slow updates, the 200-range limit) and its API server firewall: authorized IP
// ranges enforced against the runner's public address, which the IP echo endpoint answers.
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { fetchArm, world } from './helpers';

type World = Awaited<ReturnType<typeof world>>;
const API = '2026-04-01';

describe('AKS managed cluster updates and the API server firewall', () => {
  let w: World;
  let clusterPath: string;
  before(async () => {
    w = await world({ clusterUpdateDelayMs: 300 });
    const cluster = w.e.seed.cluster('rg', 'aks', { authorizedIPRanges: ['198.51.100.0/24'] });
    clusterPath = cluster.id;
  });
  after(() => w.e.stop());

  const read = async () => {
    const res = await fetchArm(w, 'GET', `${clusterPath}?api-version=${API}`);
    return (await res.json()) as { eTag: string; properties: { provisioningState: string; apiServerAccessProfile: { authorizedIPRanges?: string[] } } };
  };
  const putRanges = async (ranges: string[], ifMatch?: string) => {
    const current = await read();
    const body = { ...current, properties: { ...current.properties, apiServerAccessProfile: { authorizedIPRanges: ranges } } };
    const res = await fetchArm(w, 'PUT', `${clusterPath}?api-version=${API}`, body, ifMatch ? { 'if-match': ifMatch } : {});
    return { status: res.status, headers: res.headers, body: (await res.json()) as { error?: { code: string; message: string } } & Record<string, unknown> };
  };
  const untilSucceeded = async () => {
    for (let i = 0; i < 200 && (await read()).properties.provisioningState !== 'Succeeded'; i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('an update runs as a slow operation (Updating, then Succeeded through Azure-AsyncOperation); a write meanwhile gets 409 OperationNotAllowed', async () => {
    const before = await read();
    const started = await putRanges(['198.51.100.0/24', '20.81.4.7/32'], before.eTag);
    assert.equal(started.status, 200);
    assert.equal((await read()).properties.provisioningState, 'Updating');
    const op = String(started.headers['azure-asyncoperation']);
    assert.match(op, /\/providers\/Microsoft\.ContainerService\/locations\/westeurope\/operations\//);
    const busy = await putRanges(['198.51.100.0/24']);
    assert.equal(busy.status, 409);
    assert.equal(busy.body.error?.code, 'OperationNotAllowed');
    assert.match(busy.body.error!.message, /Another operation \(Updating\) is in progress/);
    assert.equal(((await (await fetchArm(w, 'GET', op)).json()) as { status: string }).status, 'InProgress');
    await untilSucceeded();
    assert.equal(((await (await fetchArm(w, 'GET', op)).json()) as { status: string }).status, 'Succeeded');
    assert.deepEqual((await read()).properties.apiServerAccessProfile.authorizedIPRanges, ['198.51.100.0/24', '20.81.4.7/32']);
  });

  it('a PUT with a stale eTag in If-Match gets 412 and changes nothing', async () => {
    const stale = (await read()).eTag;
    w.e.arm.clusterUpdateDelayMs = 5;
    try {
      assert.equal((await putRanges(['198.51.100.0/24', '20.81.4.7/32', '192.0.2.1/32'], stale)).status, 200);
      await untilSucceeded();
      const refused = await putRanges(['198.51.100.0/24'], stale);
      assert.equal(refused.status, 412);
      assert.equal(refused.body.error?.code, 'PreconditionFailed');
      assert.deepEqual((await read()).properties.apiServerAccessProfile.authorizedIPRanges, ['198.51.100.0/24', '20.81.4.7/32', '192.0.2.1/32']);
    } finally {
      w.e.arm.clusterUpdateDelayMs = 300;
    }
  });

  it('refuses more than 200 authorized ranges', async () => {
    const ranges = Array.from({ length: 201 }, (_, i) => `203.0.${Math.floor(i / 250)}.${i % 250}/32`);
    const refused = await putRanges(ranges);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error?.code, 'InvalidParameter');
    assert.match(refused.body.error!.message, /201 ranges, but at most 200/);
  });

  /** How a TLS connection to the kube API ends: 'open' (handshake done), 'reset' or 'no answer'. */
  const probe = (timeoutMs = 400) =>
    new Promise<string>((resolve) => {
      const url = new URL(w.e.kube!.httpsUrl!);
      const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca: w.e.tls.caPem, servername: 'localhost' });
      const done = (result: string) => {
        socket.destroy();
        resolve(result);
      };
      socket.once('secureConnect', () => done('open'));
      socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNRESET' ? 'reset' : `error ${e.code}`));
      socket.setTimeout(timeoutMs, () => done('no answer'));
    });

  it('the API server lets in the runner only from inside the authorized ranges; the firewall drops or resets the others', async () => {
    await untilSucceeded();
    w.e.network.runnerAddress = '20.81.4.7';
    assert.equal(await probe(), 'open', 'inside 20.81.4.7/32');
    w.e.network.runnerAddress = '198.51.100.77';
    assert.equal(await probe(), 'open', 'inside 198.51.100.0/24 (containment, not equality)');
    w.e.network.runnerAddress = '20.81.4.8';
    assert.equal(await probe(), 'no answer', 'outside: dropped, as Azure does');
    w.e.network.refusal = 'reset';
    assert.equal(await probe(), 'reset');
    w.e.network.refusal = 'drop';
  });

  it('a cluster without authorized ranges is open to all', async () => {
    w.e.arm.clusterUpdateDelayMs = 5;
    try {
      assert.equal((await putRanges([])).status, 200);
      await untilSucceeded();
      w.e.network.runnerAddress = '8.8.8.8';
      assert.equal(await probe(), 'open');
    } finally {
      w.e.arm.clusterUpdateDelayMs = 300;
    }
  });

  it('the IP echo endpoint answers the runner\'s public address as plain text', async () => {
    w.e.network.runnerAddress = '20.81.4.9';
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      httpsRequest(w.e.urls.ipEcho, { ca: w.e.tls.caPem }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      }).on('error', reject).end();
    });
    assert.deepEqual(answer, { status: 200, type: 'text/plain', body: '20.81.4.9' });
  });
});
