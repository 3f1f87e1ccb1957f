// The shipped bundles as the runners get them (pnpm test builds them first): the GitHub actions
// share one minified bundle split per step, each task has its own, and what a job downloads stays
// small. Issue 17's limits: every bundle at most 8 MB, the release tarball at most 5 MB.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { bundleFilesIn, currentBundles, loadedBytes, readProbes, releaseTarballBytes, writeProbe } from '../scripts/lib/bench-bundles';
import { GITHUB_BUNDLE_DIR } from '../scripts/lib/bundle';
import { SHIPPED_STEPS } from '../steps/catalog';
import { ROOT } from './support/bundles';

const MB = 1_000_000;
const BUNDLE_LIMIT = 8 * MB;
const TARBALL_LIMIT = 5 * MB;
const bundleDir = path.join(ROOT, GITHUB_BUNDLE_DIR);

/** Starts an action's stub with no inputs (it stops at input validation) and reports what it loaded. */
function probeStart(stub: string, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
  const probe = writeProbe(dir);
  const run = spawnSync(process.execPath, [stub], {
    env: { PATH: process.env.PATH, GITHUB_ACTIONS: 'true', NODE_OPTIONS: `--require ${probe}`, PRIVATE_WIRE_PROBE_DIR: dir, ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const [probed] = readProbes(dir);
  assert.ok(probed, `no probe report: ${run.stderr}`);
  return { run, loaded: probed.files, bytes: loadedBytes(probed) };
}

describe('GitHub bundle', () => {
  test('each action loads its own step from the shared bundle and nothing of the steps it does not need', () => {
    const chunks = readdirSync(bundleDir).filter((f) => /^\d+\.index\.js$/.test(f));
    const loadedBy = new Map<string, string[]>();
    for (const meta of SHIPPED_STEPS) {
      const { run, loaded, bytes } = probeStart(path.join(ROOT, 'actions', meta.id, 'dist', 'index.js'));
      // It reached its own input validation: the step ran, not another one.
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /^::error::/m);
      assert.ok(bytes <= BUNDLE_LIMIT, `${meta.id} loads ${bytes} bytes (limit ${BUNDLE_LIMIT})`);
      loadedBy.set(meta.id, loaded.filter((f) => path.dirname(f) === bundleDir).map((f) => path.basename(f)));
    }
    // Splitting works: no step loads every chunk, and a step without Kubernetes loads less than one with it.
    for (const [id, files] of loadedBy) assert.ok(files.length - 1 < chunks.length, `${id} loads every chunk`);
    const size = (id: string) => loadedBy.get(id)!.reduce((sum, f) => sum + statSync(path.join(bundleDir, f)).size, 0);
    assert.ok(size('set-webapp-dns') < size('expose-internal-service') / 2, `set-webapp-dns ${size('set-webapp-dns')} vs expose-internal-service ${size('expose-internal-service')}`);
  });

  test('a stub naming no step of the bundle fails with one line, not a stack trace', () => {
    const run = spawnSync(process.execPath, ['-e', `globalThis.privateWireStep = 'no-such-step'; require(${JSON.stringify(path.join(bundleDir, 'index.js'))})`], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 1);
    assert.equal(run.stderr.trim(), 'private-wire: this bundle has no step "no-such-step"');
  });

  test('minified, chunks too, and no source maps', () => {
    const files = readdirSync(bundleDir);
    assert.ok(!files.some((f) => f.endsWith('.map')), files.join(', '));
    // Every chunk is minified (ncc minifies only its main file; scripts/lib/bundle.ts the chunks).
    for (const chunk of files.filter((f) => f.endsWith('.js'))) {
      // webpack's unminified output marks each module with a `/***/` comment line; terser drops comments.
      assert.doesNotMatch(readFileSync(path.join(bundleDir, chunk), 'utf8'), /^\/\*\*\*\//m, `${chunk} is not minified`);
    }
  });
});

describe('task bundles', () => {
  test('each task bundle is self-contained and at most 8 MB', () => {
    for (const meta of SHIPPED_STEPS) {
      const js = bundleFilesIn(ROOT, [path.join('tasks', meta.id, 'dist')]).filter((f) => f.endsWith('.js')).map((f) => path.join(ROOT, f));
      const bytes = js.reduce((sum, f) => sum + statSync(f).size, 0);
      assert.ok(bytes <= BUNDLE_LIMIT, `${meta.id}: ${bytes} bytes (limit ${BUNDLE_LIMIT})`);
      for (const f of js) assert.doesNotMatch(readFileSync(f, 'utf8'), /require\("\.\.\/\.\.\//, `${f} reaches outside its task folder`);
    }
  });
});

test('the release tarball a job downloads is at most 5 MB', () => {
  const bytes = releaseTarballBytes(ROOT, currentBundles(ROOT));
  assert.ok(bytes <= TARBALL_LIMIT, `release tarball ${bytes} bytes (limit ${TARBALL_LIMIT})`);
});
