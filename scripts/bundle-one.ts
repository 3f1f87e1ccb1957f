// Bundles one step for one host, or every step into the GitHub bundle the actions share:
//   node --import tsx scripts/bundle-one.ts <step.ts> <github|azure-pipelines> <outDir>
//   node --import tsx scripts/bundle-one.ts --github-steps <outDir> <id>=<step.ts>...
import path from 'node:path';
import { bundle, bundleGitHubSteps } from './lib/bundle';
import { writeEntry, writeGitHubBundleEntry, type BundledStep, type EntryHost } from './lib/entry';

function fail(error: unknown): never {
  console.error(error);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args[0] === '--github-steps') {
  const [, outDir, ...pairs] = args;
  const steps: BundledStep[] = pairs.map((pair) => ({ id: pair.slice(0, pair.indexOf('=')), module: pair.slice(pair.indexOf('=') + 1) }));
  if (!outDir || steps.length === 0 || steps.some((s) => !s.id || !s.module)) {
    console.error('usage: bundle-one --github-steps <outDir> <id>=<step.ts>...');
    process.exit(2);
  }
  bundleGitHubSteps(writeGitHubBundleEntry(steps), outDir).catch(fail);
} else {
  const [stepModule, host, outDir] = args;
  if (!stepModule || (host !== 'github' && host !== 'azure-pipelines') || !outDir) {
    console.error('usage: bundle-one <step.ts> <github|azure-pipelines> <outDir>');
    process.exit(2);
  }
  // One entry file per output directory: parallel bundles of the same step never share one.
  const name = path.resolve(outDir).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+/, '');
  bundle(writeEntry(stepModule, host as EntryHost, name), outDir).catch(fail);
}
