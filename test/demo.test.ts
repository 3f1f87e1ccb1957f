// The README's main command: `pnpm demo` runs the composed flow against the stand-in and proves it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/bundles';

test('pnpm demo wires the web app, proves it by DNS and re-runs with zero writes', { timeout: 240_000 }, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'demo.ts')], { cwd: ROOT, encoding: 'utf8', timeout: 230_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /✔ DNS query for backend\.default\.internal\.contoso via 10\.\d+\.\d+\.\d+: 10\.\d+\.\d+\.\d+ \(backend internal LB IP 10\./);
  assert.match(run.stdout, /✔ the consumer requested a private endpoint \(create-private-endpoint\): status=Pending/);
  assert.match(run.stdout, /✔ the consumer sees its endpoint approved \(wait-for-approval\): status=Approved changed=false/);
  assert.match(run.stdout, /✔ Front Door origin approved, unknown requester still pending/);
  assert.match(run.stdout, /✔ the re-run made zero writes: 0 writes/);
  assert.match(run.stdout, /✔ All \d+ checks passed/);
  assert.doesNotMatch(run.stdout, /✖/);
});
