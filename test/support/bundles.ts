import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleAll } from '../../scripts/lib/bundle-all';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface HostBundles {
  github: string;
  azurePipelines: string;
}

/**
 * Bundles a test-only fixture step (test/fixtures/<name>/step.ts) for both hosts, through the same
 * generated entries as `pnpm build` uses for shipped steps. Each call gets its own directory: test
 * files run in parallel processes.
 */
export async function bundleFixture(name: string): Promise<HostBundles> {
  const out = mkdtempSync(path.join(tmpdir(), `${name}-bundle-`));
  const step = path.join('test', 'fixtures', name, 'step.ts');
  await bundleAll(
    [
      { step, host: 'github', outDir: path.join(out, 'github') },
      { step, host: 'azure-pipelines', outDir: path.join(out, 'azure-pipelines') },
    ],
    ROOT,
  );
  return { github: path.join(out, 'github', 'index.js'), azurePipelines: path.join(out, 'azure-pipelines', 'index.js') };
}

export function bundleSampleStep(): Promise<HostBundles> {
  return bundleFixture('sample-step');
}
