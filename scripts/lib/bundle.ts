import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// ncc has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ncc = require('@vercel/ncc') as (
  entry: string,
  options: Record<string, unknown>,
) => Promise<{ code: string; assets?: Record<string, { source: Buffer | string; permissions?: number }> }>;

/** Bundles one entry with ncc into `outDir/index.js` (plus any assets ncc emits). Type checking is `pnpm typecheck`'s job. */
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
  for (const [name, asset] of Object.entries(assets ?? {})) {
    const file = path.join(outDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, asset.source, { mode: asset.permissions });
  }
}
