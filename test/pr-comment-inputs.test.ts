// comment-on-pr is an input of every step that has dry-run, on both hosts, as the runners read it:
// the shipped action.yml and task.json (generated from the metadata) carry it, and the GitHub token
// input exists on GitHub only (Azure Pipelines uses the job's own token).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { inputsFor } from '../packages/shared/src/metadata/common';
import { SHIPPED_STEPS } from '../steps/catalog';
import { ROOT } from './support/bundles';

type TaskInput = { name: string; type: string; defaultValue?: string; visibleRule?: string; groupName?: string };
const dryRunSteps = SHIPPED_STEPS.filter((m) => inputsFor(m, 'github').some(([name]) => name === 'dry-run'));

test('every step with dry-run exists (all of them do today)', () => {
  assert.deepEqual(dryRunSteps.map((m) => m.id), SHIPPED_STEPS.map((m) => m.id));
});

for (const meta of dryRunSteps) {
  test(`${meta.id}: action.yml has comment-on-pr and github-token (default: the job's token)`, () => {
    const action = parse(readFileSync(path.join(ROOT, 'actions', meta.id, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string; required?: boolean }> };
    assert.deepEqual(action.inputs['comment-on-pr'], { ...action.inputs['comment-on-pr'], required: false, default: 'false' });
    assert.equal(action.inputs['github-token']?.default, '${{ github.token }}');
    assert.match(JSON.stringify(action.inputs['comment-on-pr']), /pull-requests: write/);
  });

  test(`${meta.id}: task.json has commentOnPr, shown with dryRun, and no GitHub token`, () => {
    const task = JSON.parse(readFileSync(path.join(ROOT, 'tasks', meta.id, 'task.json'), 'utf8')) as { inputs: TaskInput[] };
    const input = task.inputs.find((i) => i.name === 'commentOnPr');
    assert.ok(input, 'commentOnPr is missing');
    assert.deepEqual([input.type, input.defaultValue, input.visibleRule, input.groupName], ['boolean', 'false', 'dryRun = true', 'advanced']);
    assert.equal(task.inputs.find((i) => i.name === 'githubToken'), undefined);
  });
}
