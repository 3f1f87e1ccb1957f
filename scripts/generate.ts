// pnpm generate          writes action.yml, task.json, README tables and vss-extension.json
// pnpm generate --check  fails when any of them is stale
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SHIPPED_STEPS } from '../steps/catalog';
import { generatedFiles } from './lib/generate';
import { generatedFilesProblems } from './lib/schemas';
import { catalogProblems } from './lib/validate';

const root = path.resolve(__dirname, '..');
const version: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const read = (rel: string) => (existsSync(path.join(root, rel)) ? readFileSync(path.join(root, rel), 'utf8') : undefined);
const check = process.argv.includes('--check');

const problems = catalogProblems(SHIPPED_STEPS);
if (problems.length > 0) {
  console.error(`Step metadata is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}

const files = generatedFiles(SHIPPED_STEPS, version, read);
// Every generated task.json, action.yml and vss-extension.json against the hosts' schemas.
const invalid = generatedFilesProblems(files);
if (invalid.length > 0) {
  console.error(`Generated files do not match their schemas:\n${invalid.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}

const stale: string[] = [];
/** Whether the file on disk already has exactly this content (text or bytes). */
function upToDate(rel: string, content: string | Buffer): boolean {
  if (typeof content === 'string') return read(rel) === content;
  return existsSync(path.join(root, rel)) && readFileSync(path.join(root, rel)).equals(content);
}

for (const [rel, content] of files) {
  if (upToDate(rel, content)) continue;
  if (check) {
    stale.push(rel);
    continue;
  }
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
  console.log(`wrote ${rel}`);
}
if (stale.length > 0) {
  console.error(`Stale generated files (run \`pnpm generate\`):\n${stale.map((s) => `  ${s}`).join('\n')}`);
  process.exit(1);
}
