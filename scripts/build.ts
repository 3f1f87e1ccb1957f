// pnpm build: regenerates host files, then bundles every step entry to actions|tasks/<step>/dist/index.js.
// Options: --force (rebuild up-to-date bundles too), --github-only (actions/ only).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SHIPPED_STEPS } from '../packages/shared/src/steps/catalog';
import { bundleAll } from './lib/bundle-all';

const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'generate.ts')], { cwd: root, stdio: 'inherit' });

const force = process.argv.includes('--force');
const hosts = process.argv.includes('--github-only') ? ['actions'] : ['actions', 'tasks'];
const all = SHIPPED_STEPS.flatMap((meta) => hosts.map((h) => ({ entry: `${h}/${meta.id}/index.ts`, outDir: `${h}/${meta.id}/dist` })));
// A bundle newer than every source it is built from is kept (pass --force to rebuild anyway).
const sourcesTime = newestMtime([path.join(root, 'packages', 'shared', 'src'), path.join(root, 'pnpm-lock.yaml')]);
const jobs = all.filter((job) => {
  if (force) return true;
  const bundle = path.join(root, job.outDir, 'index.js');
  return !existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(sourcesTime, statSync(path.join(root, job.entry)).mtimeMs);
});
if (jobs.length < all.length) console.log(`${all.length - jobs.length} bundle(s) up to date`);
function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    const stat = statSync(p);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(p).map((f) => path.join(p, f))));
  }
  return newest;
}

bundleAll(jobs, root)
  .then(() => console.log(jobs.length ? `built ${jobs.length} bundles` : 'no shipped steps to bundle yet'))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
