// The release's repository edits (scripts/release.ts): which bundle files it commits, and how it
// pins the composite's steps to the release commit of the repository that releases.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { pinComposite, releaseFiles, sharedBundleFiles } from '../scripts/lib/release';
import { ROOT } from './support/bundles';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const target = { repository: 'contoso/private-wire-mirror', sha: SHA, tag: 'v1.2.3' };

const sample = `name: sample composite
runs:
  using: composite
  steps:
    - uses: actions/cache@v4
    - id: dns
      uses: private-wire/private-wire/actions/set-webapp-dns@v1
      with:
        webapp: \${{ inputs.webapp }}
    - uses: private-wire/private-wire/actions/approve-pe-connections@v1 # approve
    - uses: someone/else/actions/not-ours@v3
`;

describe('pinComposite', () => {
  test('rewrites each step uses: to the releasing repository at the commit, with the tag as a comment, and nothing else', () => {
    const pinned = pinComposite(sample, ['set-webapp-dns', 'approve-pe-connections'], target);
    assert.equal(
      pinned,
      sample
        .replace('private-wire/private-wire/actions/set-webapp-dns@v1', `contoso/private-wire-mirror/actions/set-webapp-dns@${SHA} # v1.2.3`)
        .replace('private-wire/private-wire/actions/approve-pe-connections@v1 # approve', `contoso/private-wire-mirror/actions/approve-pe-connections@${SHA} # v1.2.3`),
    );
  });

  test('refuses a short SHA, a malformed repository or tag, and a composite with nothing to pin', () => {
    const steps = ['set-webapp-dns'];
    assert.throws(() => pinComposite(sample, steps, { ...target, sha: 'v1' }), /not a full 40-character commit SHA/);
    assert.throws(() => pinComposite(sample, steps, { ...target, sha: SHA.slice(0, 7) }), /not a full 40-character commit SHA/);
    assert.throws(() => pinComposite(sample, steps, { ...target, repository: 'private-wire' }), /not owner\/name/);
    assert.throws(() => pinComposite(sample, steps, { ...target, tag: '1.2.3' }), /not a vMAJOR.MINOR.PATCH tag/);
    assert.throws(() => pinComposite('runs:\n  steps:\n    - uses: actions/cache@v4\n', steps, target), /nothing|no uses:/);
  });

  test('the shipped composite: every step it runs points at the release commit of the releasing repository', () => {
    const file = path.join(ROOT, 'actions/connect-webapp-to-aks/action.yml');
    const steps = readdirSync(path.join(ROOT, 'actions')).filter((d) => d !== 'connect-webapp-to-aks');
    const before = parse(readFileSync(file, 'utf8'));
    const after = parse(pinComposite(readFileSync(file, 'utf8'), steps, target));
    const uses = (doc: { runs: { steps: { uses?: string }[] } }) => doc.runs.steps.map((s) => s.uses ?? '');
    assert.ok(uses(before).length >= 8);
    assert.deepEqual(
      uses(after),
      uses(before).map((u) => u.replace(/^private-wire\/private-wire\/(actions\/[a-z0-9-]+)@v\d+$/, `contoso/private-wire-mirror/$1@${SHA}`)),
    );
    assert.ok(uses(after).every((u) => u.endsWith(`@${SHA}`)), uses(after).join('\n'));
    // Only uses: changed: inputs, outputs and every with: are as they were.
    assert.deepEqual({ ...after, runs: { ...after.runs, steps: after.runs.steps.map((s: object) => ({ ...s, uses: '' })) } }, {
      ...before,
      runs: { ...before.runs, steps: before.runs.steps.map((s: object) => ({ ...s, uses: '' })) },
    });
  });
});

describe('releaseFiles', () => {
  const dist = ['index.js', '871.index.js', 'post.js', 'xdg-open', 'index.js.map', 'data/table.json'];

  test('commits the entries action.yml runs, ncc chunks and other assets; no source maps, no Azure Pipelines post entry, no xdg-open', () => {
    assert.deepEqual(releaseFiles('set-webapp-dns', { using: 'node24', main: 'dist/index.js' }, dist), [
      'actions/set-webapp-dns/dist/871.index.js',
      'actions/set-webapp-dns/dist/data/table.json',
      'actions/set-webapp-dns/dist/index.js',
    ]);
  });

  test('a file action.yml names is committed even when it looks like one the runner does not need', () => {
    const files = releaseFiles('aks-api-access', { using: 'node24', main: 'dist/index.js', post: 'dist/post.js' }, dist);
    assert.ok(files.includes('actions/aks-api-access/dist/post.js'), files.join('\n'));
  });

  test('the shared GitHub bundle: its entry and every chunk, without maps or what only Azure Pipelines or a browser uses', () => {
    assert.deepEqual(sharedBundleFiles('dist/github', ['index.js', '395.index.js', '871.index.js', 'index.js.map', 'xdg-open', 'post.js']), [
      'dist/github/395.index.js',
      'dist/github/871.index.js',
      'dist/github/index.js',
    ]);
    assert.throws(() => sharedBundleFiles('dist/github', ['395.index.js']), /dist\/github\/index.js is missing: run pnpm build/);
  });

  test('fails when action.yml names an entry the build did not produce', () => {
    assert.throws(() => releaseFiles('x', { using: 'node24', main: 'dist/main.js' }, dist), /runs dist\/main.js, which the build did not produce/);
  });
});
