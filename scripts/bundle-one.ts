// Bundles one entry: node --import tsx scripts/bundle-one.ts <entry.ts> <outDir>
import { bundle } from './lib/bundle';

const [entry, outDir] = process.argv.slice(2);
if (!entry || !outDir) {
  console.error('usage: bundle-one <entry.ts> <outDir>');
  process.exit(2);
}
bundle(entry, outDir).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
