// pnpm build: regenerates host files, then bundles every step entry to actions|tasks/<step>/dist/index.js.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SHIPPED_STEPS } from '../packages/shared/src/steps/catalog';
import { bundleAll } from './lib/bundle-all';

const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'generate.ts')], { cwd: root, stdio: 'inherit' });

const jobs = SHIPPED_STEPS.flatMap((meta) => [
  { entry: `actions/${meta.id}/index.ts`, outDir: `actions/${meta.id}/dist` },
  { entry: `tasks/${meta.id}/index.ts`, outDir: `tasks/${meta.id}/dist` },
]);
bundleAll(jobs, root)
  .then(() => console.log(jobs.length ? `built ${jobs.length} bundles` : 'no shipped steps to bundle yet'))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
