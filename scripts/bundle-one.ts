// Bundles one step for one host: node --import tsx scripts/bundle-one.ts <step.ts> <github|azure-pipelines> <outDir>
import path from 'node:path';
import { bundle } from './lib/bundle';
import { writeEntry, type EntryHost } from './lib/entry';

const [stepModule, host, outDir] = process.argv.slice(2);
if (!stepModule || (host !== 'github' && host !== 'azure-pipelines') || !outDir) {
  console.error('usage: bundle-one <step.ts> <github|azure-pipelines> <outDir>');
  process.exit(2);
}
// One entry file per output directory: parallel bundles of the same step never share one.
const name = path.resolve(outDir).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+/, '');
bundle(writeEntry(stepModule, host as EntryHost, name), outDir).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
