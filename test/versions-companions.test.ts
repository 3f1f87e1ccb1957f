// The companion actions in the docs and examples (checkout, azure/login, aks-set-context) are on their
// current majors (scripts/lib/companions.ts says which, with sources).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { companionProblems } from '../scripts/lib/companions';
import { ROOT } from './support/bundles';

const readText = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const under = (rel: string, ext: RegExp) => (existsSync(path.join(ROOT, rel)) ? readdirSync(path.join(ROOT, rel), { recursive: true }).map(String).filter((f) => ext.test(f)).map((f) => `${rel}/${f}`) : []);

const documents = [
  'README.md',
  ...under('docs', /\.md$/),
  ...readdirSync(path.join(ROOT, 'actions')).map((d) => `actions/${d}/README.md`).filter((f) => existsSync(path.join(ROOT, f))),
  ...under('examples', /\.(ya?ml|md)$/),
  ...under('.github/workflows', /^example-.*\.ya?ml$/),
];

test('docs and examples use the current major of each companion action', () => {
  const texts = documents.map((f) => readText(f)).join('\n');
  assert.match(texts, /uses: azure\/login@/, 'the scan must see at least one companion action');
  assert.deepEqual(documents.flatMap((f) => companionProblems(f, readText(f))), []);
});

test('an old major or a branch of a companion action is reported with its line; others are not', () => {
  const text = ['steps:', '  - uses: azure/login@v2', '  - uses: actions/checkout@main', '  - uses: actions/checkout@v6', '  - uses: some/other@v1'].join('\n');
  const problems = companionProblems('x.yml', text);
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /^x\.yml:2: azure\/login@v2 is not the current major v3/);
  assert.match(problems[1]!, /^x\.yml:3: actions\/checkout@main/);
});
