import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Packs the extension described by `<root>/vss-extension.json` into `outFile` with tfx-cli (offline). */
export function packVsix(root: string, outFile: string): void {
  const tfx = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tfx');
  const result = spawnSync(
    tfx,
    ['extension', 'create', '--root', root, '--manifest-globs', 'vss-extension.json', '--output-path', outFile, '--no-prompt'],
    { encoding: 'utf8', env: { ...process.env, TFX_TRACE: '' } },
  );
  if (result.status !== 0) {
    throw new Error(`tfx extension create failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}
