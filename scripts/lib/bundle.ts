import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

// ncc has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ncc = require('@vercel/ncc') as (
  entry: string,
  options: Record<string, unknown>,
) => Promise<{ code: string; assets?: Record<string, { source: Buffer | string; permissions?: number }> }>;

type NccOutput = Awaited<ReturnType<typeof ncc>>;

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

/**
 * ncc's minifier is terser with compression off (names and whitespace only: `terser.minify(code, { module, compress: false, mangle: { keep_classnames: true,
 * keep_fnames: true } })`, in the build dist/ncc/index.js.cache.js of @vercel/ncc 0.45.0), and ncc
 * applies it to the main file alone. Its chunks (`<n>.index.js`,
 * what `import()` becomes) get the same treatment here. Class and function names stay: error
 * texts and stack traces name them.
 */
const CHUNK_MINIFY = { module: false, compress: false, mangle: { keep_classnames: true, keep_fnames: true } } as const;
const CHUNK = /^\d+\.index\.js$/;

/** ncc's build of one entry: minified, no source maps (a runner never reads them). Type checking is `pnpm typecheck`'s job. */
async function build(entry: string): Promise<NccOutput> {
  const output = await ncc(path.resolve(entry), {
    cache: false,
    minify: true,
    sourceMap: false,
    quiet: true,
    transpileOnly: true,
    target: 'es2022',
  });
  for (const [name, asset] of Object.entries(output.assets ?? {})) {
    if (!CHUNK.test(name)) continue;
    const minified = await minify(asset.source.toString(), CHUNK_MINIFY);
    if (minified.code === undefined) throw new Error(`terser returned nothing for ${name}`);
    asset.source = minified.code;
  }
  return output;
}

function write({ code, assets }: NccOutput, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    const file = path.join(outDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, asset.source, { mode: asset.permissions });
  }
}

/** Bundles one step's entry into `outDir/index.js` (plus ncc's chunks and assets, and the post-job entry). */
export async function bundle(entry: string, outDir: string): Promise<void> {
  write(await build(entry), outDir);
  writeFileSync(path.join(outDir, POST_JOB_ENTRY), POST_JOB_SOURCE);
}

/** The GitHub actions' shared bundle, from the repository root (committed by the release only). */
export const GITHUB_BUNDLE_DIR = 'dist/github';

/**
 * Bundles the GitHub entry of every step (entry.ts githubBundleSource) into `outDir`, the bundle
 * the GitHub actions share: one copy of the code steps have in common, which is what keeps the
 * release tarball every job downloads small. Each action's `dist/index.js` is a stub (stepStub).
 */
export async function bundleGitHubSteps(entry: string, outDir: string): Promise<void> {
  write(await build(entry), outDir);
}

/**
 * An action's `dist/index.js`: names its step and loads the shared GitHub bundle, which runs that
 * step's chunks alone. For `uses: owner/repo/actions/<step>@ref` the runner downloads the whole
 * repository at the ref into `_actions/owner/repo/ref` and runs the action from the `actions/<step>`
 * folder inside it (actions/runner src/Runner.Worker/ActionManager.cs: `destDirectory` for the
 * repository, `actionEntryDirectory = Path.Combine(destDirectory, repositoryReference.Path)`), so the
 * bundle is beside it. `post:` runs the same stub (the step reads its phase from the runner's state).
 */
export function stepStub(id: string, actionDist: string, bundleDir: string): string {
  const relative = path.relative(actionDist, path.join(bundleDir, 'index.js')).replace(/\\/g, '/');
  return [
    `// ${id}: the steps' shared GitHub bundle (${relative}), running this step (scripts/lib/bundle.ts).`,
    `globalThis.privateWireStep = ${JSON.stringify(id)};`,
    `require(${JSON.stringify(relative.startsWith('.') ? relative : `./${relative}`)});`,
    '',
  ].join('\n');
}
