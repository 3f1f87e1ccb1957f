// What `pnpm bench` compares: this checkout's bundles against a previous release's, measured in
// the same run on the same machine. A release commit holds its GitHub bundles (scripts/release.ts
// files); any other ref is checked out and built the way it built itself.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSet {
  /** Label in the report: `this checkout`, or the ref. */
  label: string;
  /** A directory laid out as the repository: actions/<step>/dist/index.js (and what it loads). */
  root: string;
  /** The commit whose tracked files the release tarball holds. */
  commit: string;
  /** Files under `root` the release would add to that commit (none when the commit is a release). */
  releaseFiles: string[];
  /** Removes what was made to get it. */
  dispose(): void;
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).trim();

/** The newest `vX.Y.Z` tag, the previous release; undefined when there is none. */
export function previousRelease(root: string): string | undefined {
  const tags = git(root, 'tag', '--list', 'v*.*.*', '--sort=-v:refname').split('\n').filter((t) => /^v\d+\.\d+\.\d+$/.test(t));
  return tags[0];
}

/**
 * The bundles of `ref`. A release commit carries them: they are read from git as the runner would
 * download them. Otherwise the ref is checked out in a temporary worktree, installed from the
 * local store where it can and built with its own build script (both hosts).
 */
export function baselineBundles(root: string, ref: string): BundleSet {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-baseline-'));
  const tree = git(root, 'ls-tree', '-r', '--name-only', ref, '--', 'actions');
  if (/^actions\/[^/]+\/dist\/index\.js$/m.test(tree)) {
    execFileSync('sh', ['-c', `git archive --format=tar "$1" | tar -x -C "$2"`, 'sh', ref, dir], { cwd: root, stdio: 'inherit' });
    return { label: ref, root: dir, commit: ref, releaseFiles: [], dispose: () => rmSync(dir, { recursive: true, force: true }) };
  }
  git(root, 'worktree', 'add', '--detach', dir, ref);
  const dispose = () => {
    git(root, 'worktree', 'remove', '--force', dir);
  };
  try {
    execFileSync('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent'], { cwd: dir, stdio: 'inherit' });
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: dir, stdio: 'inherit' });
    return { label: ref, root: dir, commit: git(root, 'rev-parse', ref), releaseFiles: releaseFilesOf(dir), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** This checkout's bundles, as built. */
export function currentBundles(root: string): BundleSet {
  return { label: 'this checkout', root, commit: 'HEAD', releaseFiles: releaseFilesOf(root), dispose: () => {} };
}

/** What a checkout's own release script would commit (scripts/release.ts files). */
function releaseFilesOf(checkout: string): string[] {
  const listed = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/release.ts', 'files'], { cwd: checkout, encoding: 'utf8' });
  return listed.split('\n').filter(Boolean);
}

/**
 * A module preloaded into a step process (NODE_OPTIONS=--require): at exit it writes the process's
 * peak resident memory and the JavaScript files it loaded to $PRIVATE_WIRE_PROBE_DIR/<pid>.json.
 */
export function writeProbe(dir: string): string {
  const file = path.join(dir, 'probe.cjs');
  writeFileSync(
    file,
    `process.on('exit', () => {
  const dir = process.env.PRIVATE_WIRE_PROBE_DIR;
  if (!dir) return;
  const files = Object.keys(require.cache).filter((f) => !f.endsWith('probe.cjs'));
  const out = require('node:path').join(dir, process.pid + '.json');
  require('node:fs').writeFileSync(out, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, files }));
});
`,
  );
  return file;
}

export interface ProbeResult {
  maxRssKiB: number;
  files: string[];
}

/** What the probed processes that wrote to `dir` reported. */
export function readProbes(dir: string): ProbeResult[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as ProbeResult);
}

/** Bytes of the files a run loaded. */
export function loadedBytes(probe: ProbeResult): number {
  return probe.files.reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/**
 * The size of what a runner downloads for `uses: …@<release>`: a gzipped tar of the repository's
 * tracked files at the set's commit plus the bundle files its release commits.
 */
export function releaseTarballBytes(repository: string, set: Pick<BundleSet, 'root' | 'commit' | 'releaseFiles'>): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'release-tarball-'));
  try {
    execFileSync('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', set.commit, dir], { cwd: repository });
    for (const file of set.releaseFiles) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      copyFileSync(path.join(set.root, file), path.join(dir, file));
    }
    return gzipSync(execFileSync('tar', ['-cf', '-', '-C', dir, '.'], { maxBuffer: 1024 * 1024 * 1024 })).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The files under `dir` (relative to `root`) a release of that checkout would add: its dist files. */
export function bundleFilesIn(root: string, dirs: readonly string[]): string[] {
  return dirs.flatMap((d) => listFiles(path.join(root, d))).map((f) => path.relative(root, f));
}
