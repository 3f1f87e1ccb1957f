// One version, one scheme: the docs, the examples, the composite's inner `uses:`, package.json,
// vss-extension.json and every task.json name the same release (tags vX.Y.Z / vX, task major X).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { documentProblems, manifestProblems, versionRefs, type ReleaseFacts } from '../scripts/lib/versions';
import { ROOT } from './support/bundles';

const readText = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const readJson = (rel: string) => JSON.parse(readText(rel));

function filesUnder(rel: string, ext: RegExp): string[] {
  const dir = path.join(ROOT, rel);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const child = `${rel}/${entry}`;
    if (statSync(path.join(ROOT, child)).isDirectory()) return filesUnder(child, ext);
    return ext.test(entry) ? [child] : [];
  });
}

const actionFolders = readdirSync(path.join(ROOT, 'actions')).filter((d) => existsSync(path.join(ROOT, 'actions', d, 'action.yml')));
const facts: ReleaseFacts = {
  version: readJson('package.json').version,
  extensionVersion: readJson('vss-extension.json').version,
  tasks: readdirSync(path.join(ROOT, 'tasks')).map((d) => readJson(`tasks/${d}/task.json`)),
  actions: actionFolders,
};

/** Everything a user reads or copies: READMEs, docs, examples, the example workflows, the composite. */
const documents = [
  'README.md',
  ...filesUnder('docs', /\.md$/),
  ...actionFolders.map((d) => `actions/${d}/README.md`).filter((f) => existsSync(path.join(ROOT, f))),
  ...filesUnder('examples', /\.(ya?ml|md)$/),
  ...filesUnder('.github/workflows', /^example-.*\.ya?ml$/),
  'actions/connect-webapp-to-aks/action.yml',
];

describe('the repository agrees on one version', () => {
  test('package.json, vss-extension.json and every task.json carry the same version', () => {
    assert.ok(facts.tasks.length >= 8, `only ${facts.tasks.length} task.json found`);
    assert.deepEqual(manifestProblems(facts), []);
  });

  test('every reference to our actions and tasks in the docs, examples and the composite uses that version', () => {
    const refs = documents.flatMap((f) => versionRefs(readText(f)));
    // The scan must see what it checks: both kinds, and all of the composite's inner steps.
    assert.ok(refs.filter((r) => r.kind === 'action').length >= 10, 'too few action references found');
    assert.ok(refs.filter((r) => r.kind === 'task').length >= 10, 'too few task references found');
    assert.ok(versionRefs(readText('actions/connect-webapp-to-aks/action.yml')).length >= 8, 'the composite has no inner uses: found');
    assert.deepEqual(documents.flatMap((f) => documentProblems(f, readText(f), facts)), []);
  });
});

describe('a disagreement is caught', () => {
  const release: ReleaseFacts = {
    version: '1.0.0',
    extensionVersion: '1.0.0',
    tasks: [{ name: 'PrivateWireSetWebappDns', version: { Major: 1, Minor: 0, Patch: 0 } }],
    actions: ['set-webapp-dns', 'connect-webapp-to-aks'],
  };

  test('the exact tag and the moving major pass', () => {
    const doc = ['- uses: private-wire/private-wire/actions/set-webapp-dns@v1', '- uses: <owner>/private-wire/actions/connect-webapp-to-aks@v1.0.0', '- task: PrivateWireSetWebappDns@1'].join('\n');
    assert.deepEqual(documentProblems('doc.md', doc, release), []);
  });

  test('an old or other major, a branch, a wrong task major and unknown names are each reported with their line', () => {
    const doc = [
      '- uses: private-wire/private-wire/actions/set-webapp-dns@v0',
      'uses: acme/private-wire/actions/connect-webapp-to-aks@main',
      '`uses: private-wire/private-wire/actions/set-webapp-dns@v1.0.1`',
      '- task: PrivateWireSetWebappDns@0',
      '- task: PrivateWireSetWebAppDns@1',
      '- uses: private-wire/private-wire/actions/set-webapp-dnss@v1',
    ].join('\n');
    assert.deepEqual(documentProblems('doc.md', doc, release), [
      'doc.md:1: actions/set-webapp-dns@v0 should be @v1 or @v1.0.0',
      'doc.md:2: actions/connect-webapp-to-aks@main should be @v1 or @v1.0.0',
      'doc.md:3: actions/set-webapp-dns@v1.0.1 should be @v1 or @v1.0.0',
      'doc.md:4: PrivateWireSetWebappDns@0 should be @1',
      'doc.md:5: there is no task PrivateWireSetWebAppDns',
      'doc.md:6: actions/set-webapp-dnss does not exist',
    ]);
  });

  test('a task or extension version other than package.json is reported', () => {
    assert.deepEqual(
      manifestProblems({
        ...release,
        extensionVersion: '0.1.0',
        tasks: [{ name: 'PrivateWireSetWebappDns', version: { Major: 0, Minor: 1, Patch: 0 } }],
      }),
      ['vss-extension.json version 0.1.0 is not package.json\'s 1.0.0', 'task PrivateWireSetWebappDns version 0.1.0 is not package.json\'s 1.0.0'],
    );
  });
});
