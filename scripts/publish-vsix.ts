// pnpm publish:vsix --publisher <id> (--share-with <org,…> | --public): packs every task (built by
// `pnpm build`) under your publisher and publishes it with tfx (see docs/EXTENSION.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SHIPPED_STEPS } from '../steps/catalog';
import { parsePublishArgs, tfxPublishArgs } from './lib/publish';
import { TFX, packVsix } from './lib/vsix';

const root = path.resolve(__dirname, '..');
const version: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;

let request;
try {
  request = parsePublishArgs(process.argv.slice(2).filter((a) => a !== '--'));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const missing = SHIPPED_STEPS.filter((m) => !existsSync(path.join(root, 'tasks', m.id, 'dist', 'index.js')));
if (missing.length > 0) {
  console.error(`Missing bundles for ${missing.map((m) => m.id).join(', ')}: run \`pnpm build\` first.`);
  process.exit(1);
}
mkdirSync(path.join(root, 'dist'), { recursive: true });
const vsix = path.join(root, 'dist', `${request.publisher}.${request.extensionId ?? 'private-wire'}-${version}.vsix`);
packVsix(root, vsix, request);
console.log(`packed ${vsix}`);
// The token is handed to tfx only; tfx-cli has no environment variable for it (without one, tfx
// uses the credentials an earlier `tfx login` saved).
const token = process.env.AZURE_DEVOPS_EXT_PAT || undefined;
const result = spawnSync(TFX, tfxPublishArgs(vsix, request, token), { stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`tfx extension publish failed (${result.status ?? result.signal}).`);
  process.exit(1);
}
console.log(request.public ? 'Published publicly.' : `Published privately, shared with ${request.shareWith.join(', ')}.`);
