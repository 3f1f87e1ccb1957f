import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

export const TFX = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tfx');

/** Who publishes and to whom; absent fields keep the manifest's values (a private extension of `private-wire`). */
export interface PackOptions {
  /** Marketplace publisher ID (`tfx extension create --publisher`: "Use this as the publisher ID instead of what is specified in the manifest"). */
  publisher?: string;
  /** Extension ID (`--extension-id`), for a second listing of the same code under one publisher. */
  extensionId?: string;
  /** Listed publicly in the Marketplace (manifest `public`, set with `--override`). */
  public?: boolean;
}

/** Arguments of `tfx extension create` (flags as tfx-cli's docs/extensions.md and `tfx extension create --help` name them). */
export function tfxCreateArgs(root: string, outFile: string, options: PackOptions = {}): string[] {
  return [
    'extension', 'create',
    '--root', root,
    '--manifest-globs', 'vss-extension.json',
    '--output-path', outFile,
    ...(options.publisher ? ['--publisher', options.publisher] : []),
    ...(options.extensionId ? ['--extension-id', options.extensionId] : []),
    ...(options.public ? ['--override', JSON.stringify({ public: true })] : []),
    '--no-prompt',
    '--no-color',
  ];
}

/** Packs the extension described by `<root>/vss-extension.json` into `outFile` with tfx-cli (offline); any tfx warning fails it. */
export function packVsix(root: string, outFile: string, options: PackOptions = {}): void {
  const result = spawnSync(TFX, tfxCreateArgs(root, outFile, options), { encoding: 'utf8', env: { ...process.env, TFX_TRACE: '' } });
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
