// pnpm package:vsix: packs every task (built by `pnpm build`) into dist/private-wire-<version>.vsix.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SHIPPED_STEPS } from '../steps/catalog';
import { packVsix } from './lib/vsix';

const root = path.resolve(__dirname, '..');
const version: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const missing = SHIPPED_STEPS.filter((m) => !existsSync(path.join(root, 'tasks', m.id, 'dist', 'index.js')));
if (missing.length > 0) {
  console.error(`Missing bundles for ${missing.map((m) => m.id).join(', ')}: run \`pnpm build\` first.`);
  process.exit(1);
}
if (SHIPPED_STEPS.length === 0) {
  console.error('No shipped steps yet: nothing to pack.');
  process.exit(1);
}
mkdirSync(path.join(root, 'dist'), { recursive: true });
const out = path.join(root, 'dist', `private-wire-${version}.vsix`);
packVsix(root, out);
console.log(`packed ${out}`);
