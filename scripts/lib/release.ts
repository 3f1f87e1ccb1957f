// What the release commits, and how it pins the composite action to itself.
//
// A composite action cannot name its sibling actions by a path inside its own repository:
// `uses: ./path` inside a composite resolves against the caller's workspace, not the action's
// checkout (actions/runner#1348 "Local composite actions always relative to top level repository",
// open), and `uses:` takes no expressions, so `${{ github.action_path }}` cannot be used there either
// (the unmerged actions/runner#1684 proposed it). So the composite names its steps as
// `<owner>/<repo>/actions/<step>@<ref>`, and the release rewrites that to the releasing repository
// (`github.repository`: a fork or an internal mirror that runs the release gets its own name) at the
// commit that holds the steps' bundles. That commit is the release commit's parent: a commit cannot
// name its own SHA, but the composite is the only file the second commit changes, so pinning the
// composite to the tag's SHA pins every step it runs, byte for byte.

const SHA = /^[0-9a-f]{40}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
// A `uses:` line naming one of our step actions: `uses: <owner>/<repo>/actions/<step>@<ref>`.
const STEP_USES = /^(\s*(?:-\s+)?uses:\s*)([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)\/actions\/([a-z0-9-]+)@(\S+)(\s*#.*)?$/;

export interface PinTarget {
  /** `owner/name` of the releasing repository (`$GITHUB_REPOSITORY`). */
  repository: string;
  /** The 40-hex commit holding the steps' bundles. */
  sha: string;
  /** The tag being released (`v1.0.0`), kept beside the SHA for readers and update tools. */
  tag: string;
}

/**
 * The composite's text with every `uses:` of one of `steps` pinned to `repository/actions/<step>@sha`.
 * Other `uses:` (third-party actions) are left as they are. Throws when the target is malformed or
 * nothing was pinned (a composite without step references is not what the release expects).
 */
export function pinComposite(text: string, steps: readonly string[], target: PinTarget): string {
  if (!SHA.test(target.sha)) throw new Error(`'${target.sha}' is not a full 40-character commit SHA`);
  if (!REPOSITORY.test(target.repository)) throw new Error(`'${target.repository}' is not owner/name`);
  if (!/^v\d+\.\d+\.\d+$/.test(target.tag)) throw new Error(`'${target.tag}' is not a vMAJOR.MINOR.PATCH tag`);
  let pinned = 0;
  const lines = text.split('\n').map((line) => {
    const m = STEP_USES.exec(line);
    if (!m || !steps.includes(m[3]!)) return line;
    pinned += 1;
    return `${m[1]}${target.repository}/actions/${m[3]}@${target.sha} # ${target.tag}`;
  });
  if (pinned === 0) throw new Error('the composite has no uses: of a private-wire step to pin');
  return lines.join('\n');
}

/**
 * ncc's outputs the runner never loads for a GitHub action: source maps; `post.js`, the Azure
 * Pipelines post-job entry (scripts/lib/bundle.ts; action.yml's `post` runs index.js); and the `open`
 * package's copy of `xdg-open`, which only interactive browser sign-in uses (never a CI step).
 */
function notForTheRunner(file: string, entries: ReadonlySet<string>): boolean {
  if (entries.has(file)) return false;
  return file.endsWith('.map') || file === 'post.js' || file === 'xdg-open';
}

/**
 * The files of the GitHub actions' shared bundle (scripts/lib/bundle.ts GITHUB_BUNDLE_DIR) that the
 * release commits: its entry, every chunk (which ones a step loads is decided at run time) and other
 * assets, but nothing the runner does not load. Throws when the entry is missing.
 */
export function sharedBundleFiles(bundleDir: string, dist: readonly string[]): string[] {
  if (!dist.includes('index.js')) throw new Error(`${bundleDir}/index.js is missing: run pnpm build`);
  return dist
    .filter((file) => !notForTheRunner(file, new Set(['index.js'])))
    .sort()
    .map((file) => `${bundleDir}/${file}`);
}

/**
 * The files of one action's dist/ that the release commits: the entries action.yml names
 * (`runs.main`/`pre`/`post`, as `dist/<file>`), ncc's chunks (`<n>.index.js`, loaded on demand) and
 * any other asset, but nothing the runner does not load. Throws when an entry is missing.
 */
export function releaseFiles(actionId: string, runs: Record<string, unknown>, dist: readonly string[]): string[] {
  const entries = new Set(
    ['main', 'pre', 'post']
      .map((key) => runs[key])
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.replace(/^(\.\/)?dist\//, '')),
  );
  for (const entry of entries) {
    if (!dist.includes(entry)) throw new Error(`actions/${actionId}/action.yml runs dist/${entry}, which the build did not produce`);
  }
  return dist
    .filter((file) => !notForTheRunner(file, entries))
    .sort()
    .map((file) => `actions/${actionId}/dist/${file}`);
}
