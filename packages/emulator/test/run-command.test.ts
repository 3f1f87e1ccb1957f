// AKS run command and private clusters: the direct Kubernetes API refuses connections to a private
// cluster, while POST runCommand / GET commandResults run the real kubectl inside the "cluster"
// (against the in-cluster listener), as az aks command invoke does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { CONFIGMAPS } from '../src/kube/resources';
import { armOptions, fetchArm, world } from './helpers';

type W = Awaited<ReturnType<typeof world>>;

/** A zip as az aks command invoke --file makes it (Python's zipfile), base64. */
function zipOf(files: Record<string, string>): string {
  const script = 'import base64,io,json,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,"w")\nfor k,v in json.loads(sys.argv[1]).items(): z.writestr(k,v)\nz.close()\nprint(base64.b64encode(b.getvalue()).decode())';
  return execFileSync('python3', ['-c', script, JSON.stringify(files)], { encoding: 'utf8' }).trim();
}

/** GET on the Kubernetes API with the admin token: the status code, or the socket error. */
function kubeGet(e: W['e'], url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/namespaces`, { ca: e.tls.caPem, headers: { authorization: `Bearer ${e.kube!.tokens.admin}` }, timeout: 10_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe('AKS run command and private clusters', () => {
  let w: W;
  let aks: ContainerServiceClient;
  const base = () => `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters`;
  before(async () => {
    w = await world({ kube: { runCommandDelayMs: 300 } });
    w.e.seed.cluster('rg', 'private', { privateCluster: true });
    w.e.seed.cluster('rg', 'aad', { aad: true });
    aks = new ContainerServiceClient(w.credential, w.e.subscriptionId, armOptions(w.e));
  });
  after(() => w.e.stop());

  it('a private cluster\'s API server refuses connections from outside; the in-cluster listener answers', async () => {
    assert.equal(await kubeGet(w.e, w.e.kube!.httpsUrl!), 'ECONNRESET');
    assert.equal(await kubeGet(w.e, w.e.kube!.inClusterUrl), 200);
    const cluster = w.e.store.ofType('Microsoft.ContainerService/managedClusters')[0]!;
    const props = cluster.properties as Record<string, unknown>;
    w.e.store.put({ ...cluster, properties: { ...props, apiServerAccessProfile: {} } });
    try {
      assert.equal(await kubeGet(w.e, w.e.kube!.httpsUrl!), 200);
    } finally {
      w.e.store.put({ ...cluster, properties: props });
    }
  });

  it('POST runCommand answers 202 with Location; commandResults answers 202 while it runs, then 200 with the result', async () => {
    const started = await fetchArm(w, 'POST', `${base()}/private/runCommand?api-version=2025-10-01`, { command: 'kubectl get namespace kube-system -o name; echo done >&2; exit 3' });
    assert.equal(started.status, 202);
    const location = String(started.headers['location']);
    assert.match(location, /\/managedClusters\/private\/commandResults\/[0-9a-f]{32}\?api-version=2025-10-01$/);
    const running = await fetchArm(w, 'GET', location);
    assert.equal(running.status, 202);
    let done = running;
    for (let i = 0; i < 100 && done.status === 202; i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = await fetchArm(w, 'GET', location);
    }
    assert.equal(done.status, 200);
    const result = (await done.json()) as { id: string; properties: Record<string, unknown> };
    assert.equal(result.id, location.split('/commandResults/')[1]!.split('?')[0]);
    assert.equal(result.properties['provisioningState'], 'Succeeded');
    assert.equal(result.properties['exitCode'], 3);
    assert.equal(result.properties['logs'], 'namespace/kube-system\ndone\n');
    assert.ok(Date.parse(String(result.properties['finishedAt'])) >= Date.parse(String(result.properties['startedAt'])));
  });

  it('runs kubectl with the files of the context (a base64 zip) through the SDK poller, and the write lands in the cluster', async () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-command', namespace: 'default' }, data: { a: '1' } };
    const result = await aks.managedClusters
      .runCommand('rg', 'private', { command: 'kubectl apply --server-side --field-manager=tester -f cm.json', context: zipOf({ 'cm.json': JSON.stringify(configMap) }) }, { updateIntervalInMs: 50 })
      .pollUntilDone();
    assert.equal(result.exitCode, 0, result.logs);
    assert.match(result.logs ?? '', /configmap\/from-command serverside-applied/);
    const stored = w.e.kube!.store.get(CONFIGMAPS, 'default', 'from-command');
    assert.deepEqual(stored?.['data'], { a: '1' });
  });

  it('an Azure AD cluster\'s command runs as the clusterToken\'s user; without one it fails with a reason', async () => {
    const without = await aks.managedClusters.runCommand('rg', 'aad', { command: 'kubectl get ns' }, { updateIntervalInMs: 50 }).pollUntilDone();
    assert.equal(without.provisioningState, 'Failed');
    assert.match(without.reason ?? '', /clusterToken/);
    const token = w.e.issueAccessToken({ appId: w.app.clientId, objectId: w.app.objectId }, '6dae42f8-4368-4678-94ff-3960e28e3630');
    w.e.kube!.authorizer.deny({ user: w.app.objectId, verb: 'list', resource: 'services' });
    const denied = await aks.managedClusters.runCommand('rg', 'aad', { command: 'kubectl get services -A', clusterToken: token }, { updateIntervalInMs: 50 }).pollUntilDone();
    assert.equal(denied.provisioningState, 'Succeeded');
    assert.notEqual(denied.exitCode, 0);
    assert.match(denied.logs ?? '', /Forbidden/);
  });

  it('an unknown command id is 404; an empty command is refused', async () => {
    assert.equal((await fetchArm(w, 'GET', `${base()}/private/commandResults/0123456789abcdef0123456789abcdef?api-version=2025-10-01`)).status, 404);
    assert.equal((await fetchArm(w, 'POST', `${base()}/private/runCommand?api-version=2025-10-01`, { command: ' ' })).status, 400);
  });
});
