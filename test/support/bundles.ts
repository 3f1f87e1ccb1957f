import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleAll } from '../../scripts/lib/bundle-all';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Bundles the test-only sample step for both hosts (shipped steps are bundled by `pnpm build`).
 * Each call gets its own directory: test files run in parallel processes.
 */
export async function bundleSampleStep(): Promise<{ github: string; azurePipelines: string }> {
  const out = mkdtempSync(path.join(tmpdir(), 'sample-step-bundle-'));
  await bundleAll(
    [
      { entry: 'test/fixtures/sample-step/github.ts', outDir: path.join(out, 'github') },
      { entry: 'test/fixtures/sample-step/azure-pipelines.ts', outDir: path.join(out, 'azure-pipelines') },
    ],
    ROOT,
  );
  return { github: path.join(out, 'github', 'index.js'), azurePipelines: path.join(out, 'azure-pipelines', 'index.js') };
}
