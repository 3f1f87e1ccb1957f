// Runs every *.test.ts file with node's test runner (each file in its own process).
// Usage: pnpm test [substring ...]   (only files whose path contains one of the substrings)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BUNDLED_FIXTURES, bundleFixture } from '../test/support/bundles';

const root = path.resolve(__dirname, '..');
const roots = ['packages', 'steps', 'test'];

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (entry.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = roots
  .flatMap((r) => findTests(path.join(root, r)))
  .map((f) => path.relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

/**
 * The files that take longest (measured: the demo, then the e2e files that run the most bundles and
 * real clients), started first so the two slots stay busy to the end instead of one long file
 * running alone after the rest (node --test starts files in the order given). Other files that run
 * bundles come next; the quick unit tests fill the gaps at the end.
 */
const SLOWEST_FIRST = [
  'test/demo.test.ts',
  'steps/expose-internal-service/e2e.test.ts',
  'test/auth.test.ts',
  'steps/expose-internal-service/e2e-private.test.ts',
  'steps/approve-pe-connections/e2e.test.ts',
  'steps/create-private-endpoint/e2e.test.ts',
  'steps/configure-coredns-external/e2e.test.ts',
  'packages/emulator/test/az-cli.test.ts',
  'steps/aks-api-access/e2e.test.ts',
  'steps/configure-coredns-external/e2e-private.test.ts',
];
const runsBundles = (file: string) => /(^|\/)e2e[^/]*\.test\.ts$/.test(file) || file.startsWith('test/');
const rank = (file: string) => {
  const posix = file.replace(/\\/g, '/');
  const index = SLOWEST_FIRST.indexOf(posix);
  if (index !== -1) return index;
  return SLOWEST_FIRST.length + (runsBundles(posix) ? 0 : 1);
};
files.sort((a, b) => rank(a) - rank(b));

/** Fixture bundles the chosen files use, built once here (both cores) instead of in each file. */
async function bundleFixtures(): Promise<void> {
  const sources = files.map((f) => readFileSync(path.join(root, f), 'utf8'));
  for (const name of BUNDLED_FIXTURES) {
    const uses = name === 'sample-step' ? /bundleSampleStep\(/ : new RegExp(`bundleFixture\\('${name}'\\)`);
    if (sources.some((source) => uses.test(source))) await bundleFixture(name);
  }
}

bundleFixtures().then(
  () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
      { cwd: root, stdio: 'inherit', env: process.env },
    );
    process.exit(result.status ?? 1);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
