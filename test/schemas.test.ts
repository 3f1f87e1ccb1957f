// `pnpm generate` (and `--check`) refuses generated files that the hosts' official schemas reject.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { SHIPPED_STEPS } from '../steps/catalog';
import { actionYml, extensionManifest, generatedFiles, taskJson } from '../scripts/lib/generate';
import { generatedFilesProblems, schemaProblems } from '../scripts/lib/schemas';
import { step as sampleStep } from './fixtures/sample-step/step';

const sample = sampleStep.metadata;
const metas = [...SHIPPED_STEPS, sample];

test('every generated task.json, action.yml and vss-extension.json matches its schema', () => {
  const files = generatedFiles(metas, '0.4.2', () => undefined);
  assert.ok([...files.keys()].filter((f) => f.endsWith('task.json')).length === metas.length);
  assert.deepEqual(generatedFilesProblems(files), []);
});

describe('an invalid file fails the check', () => {
  test('a manifest with an unknown gallery flag, a bad publisher id and no categories', () => {
    const manifest = JSON.parse(extensionManifest(metas, '0.4.2'));
    const bad = { ...manifest, publisher: 'my publisher', galleryFlags: ['Beta'] };
    delete bad.categories;
    const problems = generatedFilesProblems(new Map([['vss-extension.json', JSON.stringify(bad)]]));
    assert.ok(problems.some((p) => p.includes('/publisher must match pattern')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('/galleryFlags/0 must be equal to one of the allowed values')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes("must have required property 'categories'")), problems.join('\n'));
  });

  test('a task.json with a field the schema does not know and an input type it does not have', () => {
    const task = JSON.parse(taskJson(sample, '1.0.0'));
    task.inputs[0].type = 'text';
    task.inputs[1].tooltip = 'x';
    const problems = schemaProblems('tasks/sample-step/task.json', JSON.stringify(task));
    assert.ok(problems.some((p) => p.includes('/inputs/0/type')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes("must NOT have additional properties 'tooltip'")), problems.join('\n'));
  });

  test('an action.yml with an unknown runtime', () => {
    const action = parse(actionYml(sample));
    action.runs.using = 'node99';
    assert.notDeepEqual(schemaProblems('actions/sample-step/action.yml', stringify(action)), []);
  });

  test('text that does not parse', () => {
    assert.match(schemaProblems('vss-extension.json', '{')[0]!, /not valid JSON/);
  });
});
