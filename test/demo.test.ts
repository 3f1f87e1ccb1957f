// The README's main command: `pnpm demo` runs the composed flow against the stand-in and proves it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/bundles';

test('pnpm demo wires the web app after a clean preflight, proves it by DNS, re-runs with zero writes, and stops a broken world before any write', { timeout: 480_000 }, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'demo.ts')], { cwd: ROOT, encoding: 'utf8', timeout: 470_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /✔ DNS query for backend\.default\.internal\.contoso via 10\.\d+\.\d+\.\d+: 10\.\d+\.\d+\.\d+ \(backend internal LB IP 10\./);
  assert.match(run.stdout, /✔ the consumer requested a private endpoint \(create-private-endpoint\): status=Pending/);
  assert.match(run.stdout, /✔ the consumer sees its endpoint approved \(wait-for-approval\): status=Approved changed=false/);
  assert.match(run.stdout, /✔ Front Door origin approved, unknown requester still pending/);
  assert.match(run.stdout, /✔ the re-run made zero writes: 0 writes/);
  assert.match(run.stdout, /✔ without aks-api-access the Kubernetes step is refused, naming the ranges and aks-api-access/);
  assert.match(run.stdout, /✔ with aks-api-access the flow succeeds and its post step ran/);
  assert.match(run.stdout, /✔ after the job the cluster's ranges are exactly the team's again: 198\.51\.100\.0\/24/);
  assert.match(run.stdout, /✔ DNS query for orders\.default\.internal\.contoso: 10\./);
  assert.match(run.stdout, /✔ the flow succeeds on the private cluster through the run command: [1-9]\d* run command/);
  assert.match(run.stdout, /✔ DNS query for billing\.default\.internal\.contoso: 10\./);
  assert.match(run.stdout, /✔ the flow succeeded: access:skipped preflight:ok vnet:ok expose:ok coredns:ok dns:ok approve:ok verify:ok/);
  assert.match(run.stdout, /✔ verify \(check-private-path\) resolved the Service and connected to it from inside the web app: info verify-dns-resolved, info verify-tcp-connected/);
  assert.match(run.stdout, /✔ the preflight \(check-private-path\) found nothing that would break the private path: 0 errors, \d warnings, \d+ findings in all/);
  assert.match(run.stdout, /✔ with aks-api-access the flow succeeds and its post step ran: access preflight vnet /);
  assert.match(run.stdout, /✔ the preflight stopped the run \(an NSG denying DNS on the integration subnet, which lies inside the service CIDR\): errors nsg-blocks-dns, subnet-overlaps-service-cidr; steps run: preflight; 0 writes/);
  assert.match(run.stdout, /✔ the preflight stopped the run \(a kubenet cluster and a pod IP as the DNS IP\): errors target-is-pod-ip; steps run: preflight; 0 writes/);
  assert.match(run.stdout, /✔ All \d+ checks passed/);
  // The ✖ expected are the deliberately refused step of the run without aks-api-access and the
  // preflights of the broken world; no check may fail.
  assert.doesNotMatch(run.stdout, /✖ \d+ of \d+ checks failed/);
  assert.deepEqual(
    [...run.stdout.matchAll(/^ {2}✖ ([\w-]+):/gm)].map((m) => m[1]),
    ['expose-internal-service', 'check-private-path', 'check-private-path'],
    'only the refused expose-internal-service step and the broken world\'s preflights failed',
  );
});
