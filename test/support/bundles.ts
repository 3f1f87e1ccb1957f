import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleAll } from '../../scripts/lib/bundle-all';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface HostBundles {
  github: string;
  azurePipelines: string;
}

/** Everything a fixture bundle is built from: the fixture, the shared SDK, the lockfile and the bundling scripts. */
function bundleSources(name: string): string[] {
  return [
    path.join('test', 'fixtures', name),
    path.join('packages', 'shared'),
    'pnpm-lock.yaml',
    'tsconfig.json',
    path.join('scripts', 'lib', 'bundle-all.ts'),
    path.join('scripts', 'bundle-one.ts'),
    path.join('scripts', 'lib', 'bundle.ts'),
    path.join('scripts', 'lib', 'entry.ts'),
  ];
}

function hashTree(hash: ReturnType<typeof createHash>, relative: string): void {
  const full = path.join(ROOT, relative);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const entry of readdirSync(full).sort()) {
      if (entry !== 'node_modules' && !entry.endsWith('.test.ts')) hashTree(hash, path.join(relative, entry));
    }
    return;
  }
  hash.update(`${relative}\0`).update(readFileSync(full)).update('\0');
}

/** A key that changes whenever anything the fixture's bundle is built from changes. */
function bundleKey(name: string): string {
  const hash = createHash('sha256');
  for (const source of bundleSources(name)) hashTree(hash, source);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Bundles a test-only fixture step (test/fixtures/<name>/step.ts) for both hosts, through the same
 * generated entries as `pnpm build` uses for shipped steps. Bundling takes many seconds, so the
 * bundles are kept outside the repository (where no node_modules can fill a gap in them) in a
 * directory named by a hash of their sources: test files that use the same fixture share one build.
 * A build goes to a fresh directory renamed into place when complete, so parallel test processes
 * never see half a bundle; if two build at once, the first rename wins and both are identical.
 */
export async function bundleFixture(name: string): Promise<HostBundles> {
  const cache = path.join(tmpdir(), 'private-wire-fixture-bundles');
  const out = path.join(cache, `${name}-${bundleKey(name)}`);
  if (!existsSync(out)) {
    mkdirSync(cache, { recursive: true });
    pruneStale(cache, name);
    const building = mkdtempSync(path.join(cache, `${name}-building-`));
    try {
      await bundleInto(name, building);
      renameSync(building, out);
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(out)) throw error;
    }
  }
  // Marks the bundles as in use, so pruneStale keeps them.
  const now = new Date();
  utimesSync(out, now, now);
  return { github: path.join(out, 'github', 'index.js'), azurePipelines: path.join(out, 'azure-pipelines', 'index.js') };
}

function bundleInto(name: string, dir: string): Promise<void> {
  const step = path.join('test', 'fixtures', name, 'step.ts');
  return bundleAll(
    [
      { step, host: 'github', outDir: path.join(dir, 'github') },
      { step, host: 'azure-pipelines', outDir: path.join(dir, 'azure-pipelines') },
    ],
    ROOT,
  );
}

/** Bundles no run has used for a day (older sources, or builds that died) are dropped. */
function pruneStale(cache: string, name: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const entry of readdirSync(cache)) {
    const full = path.join(cache, entry);
    const used = statSync(full, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (entry.startsWith(`${name}-`) && used < dayAgo) rmSync(full, { recursive: true, force: true });
  }
}

export function bundleSampleStep(): Promise<HostBundles> {
  return bundleFixture('sample-step');
}

/** The fixtures test files bundle (scripts/test.ts builds them once before the files run). */
export const BUNDLED_FIXTURES = ['sample-step', 'auth-probe'] as const;
