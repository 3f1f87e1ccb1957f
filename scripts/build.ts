// pnpm build: regenerates host files, then bundles every step (steps/<id>/step.ts through each host
// adapter) to actions|tasks/<id>/dist/index.js.
// Options: --force (rebuild up-to-date bundles too), --github-only (actions/ only).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SHIPPED_STEPS } from '../steps/catalog';
import { bundleAll, type BundleJob } from './lib/bundle-all';

const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'generate.ts')], { cwd: root, stdio: 'inherit' });

const force = process.argv.includes('--force');
const hosts = process.argv.includes('--github-only') ? (['github'] as const) : (['github', 'azure-pipelines'] as const);
const folder = { github: 'actions', 'azure-pipelines': 'tasks' } as const;

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

// A bundle is built from the shared SDK, its own step folder, the lockfile and the entry template.
const commonSources = newestMtime([path.join(root, 'packages', 'shared', 'src'), path.join(root, 'pnpm-lock.yaml'), path.join(__dirname, 'lib', 'entry.ts')]);
const all: BundleJob[] = SHIPPED_STEPS.flatMap((meta) =>
  hosts.map((host) => ({ step: path.join('steps', meta.id, 'step.ts'), host, outDir: path.join(folder[host], meta.id, 'dist') })),
);
const jobs = all.filter((job) => {
  if (force) return true;
  const bundle = path.join(root, job.outDir, 'index.js');
  const sources = Math.max(commonSources, newestMtime([path.join(root, path.dirname(job.step))]));
  return !existsSync(bundle) || statSync(bundle).mtimeMs < sources;
});
if (jobs.length < all.length) console.log(`${all.length - jobs.length} bundle(s) up to date`);

bundleAll(jobs, root)
  .then(() => console.log(jobs.length ? `built ${jobs.length} bundles` : 'nothing to bundle'))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
