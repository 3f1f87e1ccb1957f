import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// ncc has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ncc = require('@vercel/ncc') as (
  entry: string,
  options: Record<string, unknown>,
) => Promise<{ code: string; assets?: Record<string, { source: Buffer | string; permissions?: number }> }>;

/**
 * Azure Pipelines' `postjobexecution` entry (task.json): the same bundle, told it is the post-job
 * run by a global no pipeline variable or input can set. The agent may start a post-job handler
 * even when the task's main run was skipped, so the phase must not be inferred from saved state.
 */
export const POST_JOB_ENTRY = 'post.js';
const POST_JOB_SOURCE = `// The post-job run of this task (task.json postjobexecution): the same bundle, in its post phase.
globalThis.privateWirePostJob = true;
require('./index.js');
`;

/** Bundles one entry with ncc into `outDir/index.js` (plus any assets ncc emits, and the post-job entry). Type checking is `pnpm typecheck`'s job. */
export async function bundle(entry: string, outDir: string): Promise<void> {
  const { code, assets } = await ncc(path.resolve(entry), {
    cache: false,
    minify: false,
    sourceMap: false,
    quiet: true,
    transpileOnly: true,
    target: 'es2022',
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'index.js'), code);
  writeFileSync(path.join(outDir, POST_JOB_ENTRY), POST_JOB_SOURCE);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    const file = path.join(outDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, asset.source, { mode: asset.permissions });
  }
}
