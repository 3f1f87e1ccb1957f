// pnpm build: regenerates host files, then bundles every step (steps/<id>/step.ts through each host
// adapter): the GitHub actions' shared bundle in dist/github (actions/<id>/dist/index.js are stubs that
// load it) and one bundle per task in tasks/<id>/dist.
// Options: --force (rebuild up-to-date bundles too), --github-only (actions/ only).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SHIPPED_STEPS } from '../steps/catalog';
import { bundleAll, type BundleJob } from './lib/bundle-all';
import { GITHUB_BUNDLE_DIR, stepStub } from './lib/bundle';

const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'generate.ts')], { cwd: root, stdio: 'inherit' });

const force = process.argv.includes('--force');
const githubOnly = process.argv.includes('--github-only');

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const stat = statSync(p);
    newest = Math.max(newest, stat.mtimeMs);
    // Tests are not part of a bundle: editing one must not rebuild it.
    const parts = (f: string) => f !== 'node_modules' && !f.endsWith('.test.ts');
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(p).filter(parts).map((f) => path.join(p, f))));
  }
  return newest;
}

// A bundle is built from the shared SDK, its step folders, the lockfile and the bundling scripts
// (and the GitHub one from the catalog's list of steps).
const commonSources = newestMtime([
  path.join(root, 'packages', 'shared', 'src'),
  path.join(root, 'steps', 'catalog.ts'),
  path.join(root, 'pnpm-lock.yaml'),
  path.join(__dirname, 'lib', 'entry.ts'),
  path.join(__dirname, 'lib', 'bundle.ts'),
]);
const stepDir = (id: string) => path.join(root, 'steps', id);
const outdated = (bundle: string, stepIds: string[]) =>
  force || !existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(commonSources, newestMtime(stepIds.map(stepDir)));

// GitHub: one bundle every action shares (GITHUB_BUNDLE_DIR), each action's dist/index.js a stub.
// Azure Pipelines: a bundle per task, since each task folder ships on its own in the .vsix.
const githubJob: BundleJob = { steps: SHIPPED_STEPS.map((m) => ({ id: m.id, module: path.join('steps', m.id, 'step.ts') })), host: 'github', outDir: GITHUB_BUNDLE_DIR };
const taskJobs: BundleJob[] = SHIPPED_STEPS.map((m) => ({ step: path.join('steps', m.id, 'step.ts'), host: 'azure-pipelines', outDir: path.join('tasks', m.id, 'dist') }));
const jobs = [
  ...(outdated(path.join(root, GITHUB_BUNDLE_DIR, 'index.js'), SHIPPED_STEPS.map((m) => m.id)) ? [githubJob] : []),
  ...(githubOnly ? [] : taskJobs.filter((job) => 'step' in job && outdated(path.join(root, job.outDir, 'index.js'), [path.basename(path.dirname(job.step))]))),
];
const total = 1 + (githubOnly ? 0 : taskJobs.length);
if (jobs.length < total) console.log(`${total - jobs.length} bundle(s) up to date`);
for (const meta of SHIPPED_STEPS) {
  const dist = path.join(root, 'actions', meta.id, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  writeFileSync(path.join(dist, 'index.js'), stepStub(meta.id, dist, path.join(root, GITHUB_BUNDLE_DIR)));
}

bundleAll(jobs, root)
  .then(() => console.log(jobs.length ? `built ${jobs.length} bundles` : 'nothing to bundle'))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
