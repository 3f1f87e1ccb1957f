import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

/** Packs the extension described by `<root>/vss-extension.json` into `outFile` with tfx-cli (offline). */
export function packVsix(root: string, outFile: string): void {
  const tfx = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tfx');
  const result = spawnSync(
    tfx,
    ['extension', 'create', '--root', root, '--manifest-globs', 'vss-extension.json', '--output-path', outFile, '--no-prompt', '--no-color'],
    { encoding: 'utf8', env: { ...process.env, TFX_TRACE: '' } },
  );
  if (result.status !== 0) {
    throw new Error(`tfx extension create failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  const warnings = tfxWarnings(`${result.stdout}\n${result.stderr}`);
  if (warnings.length > 0) {
    rmSync(outFile, { force: true });
    throw new Error(`tfx extension create warned (a warning fails packaging: tfx says some will become errors):\n${warnings.join('\n')}`);
  }
}

/**
 * The warnings in tfx's output: tfx-cli's trace.warn prints every line of a warning with the prefix
 * `warning: ` (lib/trace.ts warn → log("warning: ", …)), e.g. the task.json check's "Please, make
 * sure the task.json file is correct. In the future, this warning will be treated as an error."
 */
export function tfxWarnings(output: string): string[] {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  return plain.split(/\r?\n/).filter((line) => line.startsWith('warning: '));
}
