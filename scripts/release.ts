// The release workflow's (.github/workflows/release.yml) repository edits:
//   release.ts check <version>                   the version is MAJOR.MINOR.PATCH and package.json's
//   release.ts files                             prints the bundle files the runner needs, one a line
//                                                (the shared bundle in dist/ and each action's stub)
//   release.ts pin-composite <owner/name> <sha> <tag>
//                                                pins every composite action's step `uses:` to <sha>
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { GITHUB_BUNDLE_DIR } from './lib/bundle';
import { pinComposite, releaseFiles, sharedBundleFiles } from './lib/release';

const root = path.resolve(__dirname, '..');
const actionsDir = path.join(root, 'actions');

interface ActionYml {
  runs: { using: string } & Record<string, unknown>;
}
const actions = readdirSync(actionsDir).map((id) => ({
  id,
  file: path.join(actionsDir, id, 'action.yml'),
  doc: parse(readFileSync(path.join(actionsDir, id, 'action.yml'), 'utf8')) as ActionYml,
}));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${entry}/`) : [`${prefix}${entry}`];
  });
}

function check(version: string | undefined): void {
  const own: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`version '${version ?? ''}' is not MAJOR.MINOR.PATCH (e.g. 1.0.0)`);
  if (version !== own) throw new Error(`version ${version} is not package.json's ${own}: bump package.json on main (and run pnpm generate) first`);
}

function files(): string[] {
  const stubs = actions
    .filter((a) => a.doc.runs.using.startsWith('node'))
    .flatMap((a) => releaseFiles(a.id, a.doc.runs, listFiles(path.join(actionsDir, a.id, 'dist'))));
  return [...sharedBundleFiles(GITHUB_BUNDLE_DIR, listFiles(path.join(root, GITHUB_BUNDLE_DIR))), ...stubs];
}

function pin(repository: string | undefined, sha: string | undefined, tag: string | undefined): void {
  const steps = actions.filter((a) => a.doc.runs.using !== 'composite').map((a) => a.id);
  for (const composite of actions.filter((a) => a.doc.runs.using === 'composite')) {
    const text = readFileSync(composite.file, 'utf8');
    writeFileSync(composite.file, pinComposite(text, steps, { repository: repository ?? '', sha: sha ?? '', tag: tag ?? '' }));
    console.error(`pinned ${path.relative(root, composite.file)} to ${repository}@${sha} (${tag})`);
  }
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'check') check(args[0]);
  else if (command === 'files') console.log(files().join('\n'));
  else if (command === 'pin-composite') pin(args[0], args[1], args[2]);
  else throw new Error(`usage: release.ts check <version> | files | pin-composite <owner/name> <sha> <tag>`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
