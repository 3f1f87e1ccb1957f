// The engine and both host adapters, exercised through real bundles run as the runners run them.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { bundleSampleStep } from './support/bundles';
import { azurePipelinesCommands, gitHubCommands } from './support/runner-commands';
import { runAzurePipelinesTask, runGitHubAction, runtimes } from './support/runners';

const SECRET = 's3cr3t-Value-4f1c9';
let bundles: { github: string; azurePipelines: string };

before(async () => {
  bundles = await bundleSampleStep();
});

const stateFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'sample-')), 'greeting.json');

for (const runtime of runtimes()) {
  describe(`GitHub Actions bundle on ${runtime.name}`, () => {
    test('runs on the expected Node major', async () => {
      const { spawnSync } = await import('node:child_process');
      const version = spawnSync(runtime.path, ['--version'], { encoding: 'utf8' }).stdout.trim();
      assert.match(version, new RegExp(`^v${runtime.name.replace('node', '')}\\.`));
    });

    test('applies the plan, sets outputs and summary, then a re-run changes nothing', async () => {
      const file = stateFile();
      const inputs = { 'state-file': file, 'greeting-name': 'World', repeat: '2', 'api-token': SECRET };
      const first = await runGitHubAction(bundles.github, inputs, { node: runtime.path });
      assert.equal(first.exitCode, 0, first.stdout + first.stderr);
      assert.equal(first.outputs.changed, 'true');
      assert.equal(first.outputs.greeting, 'hello hello World');
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { greeting: 'hello hello World' });
      assert.match(first.summary, /\| create \| file .*greeting\.json \| create the greeting file \|/);

      const second = await runGitHubAction(bundles.github, inputs, { node: runtime.path });
      assert.equal(second.exitCode, 0, second.stdout + second.stderr);
      assert.equal(second.outputs.changed, 'false');
      assert.match(second.summary, /\| none \|/);
      assert.doesNotMatch(second.stdout, /::group::Apply/);
    });

    test('masks the secret input and never prints it', async () => {
      const run = await runGitHubAction(
        bundles.github,
        { 'state-file': stateFile(), 'greeting-name': 'World', 'api-token': SECRET },
        { node: runtime.path, env: { RUNNER_DEBUG: '1' } },
      );
      assert.equal(run.exitCode, 0);
      assert.deepEqual(run.masked, [SECRET]);
      const everything = [run.stdout.replace(`::add-mask::${SECRET}`, ''), run.stderr, run.summary, JSON.stringify(run.outputs)];
      for (const text of everything) assert.ok(!text.includes(SECRET), `secret leaked in: ${text}`);
    });

    test('dry-run shows the plan, reports changed=true and writes nothing', async () => {
      const file = stateFile();
      const run = await runGitHubAction(
        bundles.github,
        { 'state-file': file, 'greeting-name': 'World', 'dry-run': 'true' },
        { node: runtime.path },
      );
      assert.equal(run.exitCode, 0, run.stdout);
      assert.equal(run.outputs.changed, 'true');
      assert.equal(existsSync(file), false);
      assert.match(run.summary, /Dry run: nothing was changed/);
      assert.match(run.stdout, /\+ create +file/);
    });

    test('bad input fails with one clear message per input, no stack trace and no write', async () => {
      const file = stateFile();
      const run = await runGitHubAction(
        bundles.github,
        { 'state-file': file, 'greeting-name': 'World', repeat: '9', style: 'shouty' },
        { node: runtime.path },
      );
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /::error::2 inputs need fixing:/);
      assert.match(run.stdout, /Input 'repeat' is 9, which is out of range\. Use a whole number from 1 to 5\./);
      assert.match(run.stdout, /Input 'style' is 'shouty'.*Use one of: plain, loud\./);
      assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /);
      assert.equal(existsSync(file), false);
    });

    test('a validation error from the step names the input and the fix', async () => {
      const run = await runGitHubAction(bundles.github, { 'state-file': stateFile(), 'greeting-name': 'W0rld' }, { node: runtime.path });
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /::error::Input 'greeting-name' is 'W0rld', which has characters other than letters\. Use letters only/);
    });

    test('the post run sees the state the main run saved and cleans up', async () => {
      const file = stateFile();
      const main = await runGitHubAction(bundles.github, { 'state-file': file, 'greeting-name': 'World' }, { node: runtime.path });
      assert.equal(main.exitCode, 0, main.stdout);
      assert.deepEqual(main.state, { isPost: 'true', 'session-file': `${file}.session` });
      assert.ok(existsSync(`${file}.session`));
      const post = await runGitHubAction(bundles.github, { 'state-file': file, 'greeting-name': 'World' }, { node: runtime.path, state: main.state });
      assert.equal(post.exitCode, 0, post.stdout);
      assert.match(post.stdout, /post: removed /);
      assert.equal(existsSync(`${file}.session`), false);
      assert.deepEqual(post.outputs, {}, 'the post run plans and applies nothing');
    });

    test('an unexpected error fails the step and keeps its stack for debug only', async () => {
      const run = await runGitHubAction(
        bundles.github,
        { 'state-file': stateFile(), 'greeting-name': 'World', 'fail-unexpectedly': 'true' },
        { node: runtime.path },
      );
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /::error::Unexpected error: sample step failed on purpose/);
      assert.match(run.stdout, /::debug::Error: sample step failed on purpose%0A\s+at /);
    });
  });

  describe(`Azure Pipelines bundle on ${runtime.name}`, () => {
    test('sets output variables, uploads the summary, completes, and a re-run changes nothing', async () => {
      const file = stateFile();
      const inputs = { stateFile: file, greetingName: 'World', style: 'loud', apiToken: SECRET };
      const first = await runAzurePipelinesTask(bundles.azurePipelines, inputs, { node: runtime.path });
      assert.equal(first.exitCode, 0, first.stdout + first.stderr);
      assert.equal(first.result, 'Succeeded');
      assert.deepEqual(first.outputs, { greeting: 'HELLO World', changed: 'true' });
      assert.equal(first.summaries.length, 1);
      assert.match(first.summaries[0]!, /\| create \|/);

      const second = await runAzurePipelinesTask(bundles.azurePipelines, inputs, { node: runtime.path });
      assert.equal(second.result, 'Succeeded');
      assert.equal(second.outputs.changed, 'false');
    });

    test('registers the secret and never prints it, even with debug logging on', async () => {
      const run = await runAzurePipelinesTask(
        bundles.azurePipelines,
        { stateFile: stateFile(), greetingName: 'World', apiToken: SECRET },
        { node: runtime.path, env: { SYSTEM_DEBUG: 'true' } },
      );
      assert.equal(run.result, 'Succeeded', run.stdout);
      assert.deepEqual(run.secrets, [SECRET]);
      const stdout = run.stdout.replace(`##vso[task.setsecret]${SECRET}`, '');
      assert.ok(!stdout.includes(SECRET) && !run.stderr.includes(SECRET), stdout);
      assert.ok(!run.summaries.join('').includes(SECRET));
    });

    test('bad input fails the task with the Azure Pipelines input name and writes nothing', async () => {
      const file = stateFile();
      const run = await runAzurePipelinesTask(
        bundles.azurePipelines,
        { stateFile: file, greetingName: 'World', dryRun: 'maybe' },
        { node: runtime.path },
      );
      assert.equal(run.result, 'Failed');
      assert.equal(run.resultMessage, "Input 'dryRun' is 'maybe', which is not a boolean. Use 'true' or 'false'.");
      assert.equal(existsSync(file), false);
    });

    test('the postjobexecution run sees the task variables of the main run and cleans up', async () => {
      const file = stateFile();
      const inputs = { stateFile: file, greetingName: 'World' };
      const main = await runAzurePipelinesTask(bundles.azurePipelines, inputs, { node: runtime.path });
      const saved = main.commands.filter((c) => c.area === 'task' && c.event === 'settaskvariable');
      assert.deepEqual(saved.map((c) => [c.properties.variable, c.data]), [['isPost', 'true'], ['session-file', `${file}.session`]]);
      const env = Object.fromEntries(saved.map((c) => [`VSTS_TASKVARIABLE_${c.properties.variable!.toUpperCase()}`, c.data]));
      const post = await runAzurePipelinesTask(path.join(path.dirname(bundles.azurePipelines), 'post.js'), inputs, { node: runtime.path, env });
      assert.equal(post.result, 'Succeeded', post.stdout);
      assert.equal(existsSync(`${file}.session`), false);
      assert.deepEqual(post.outputs, {});
    });

    test('a postjobexecution run whose main run was skipped (no task variables) neither cleans up nor acts as a main run', async () => {
      const file = stateFile();
      const post = await runAzurePipelinesTask(path.join(path.dirname(bundles.azurePipelines), 'post.js'), { stateFile: file, greetingName: 'World' }, { node: runtime.path });
      assert.equal(post.result, 'Succeeded', post.stdout);
      assert.equal(existsSync(file), false, 'the main phase did not run');
      assert.deepEqual(post.outputs, {});
    });

    test('dry-run reports changed=true and writes nothing', async () => {
      const file = stateFile();
      const run = await runAzurePipelinesTask(
        bundles.azurePipelines,
        { stateFile: file, greetingName: 'World', dryRun: 'true' },
        { node: runtime.path },
      );
      assert.equal(run.result, 'Succeeded');
      assert.equal(run.outputs.changed, 'true');
      assert.equal(existsSync(file), false);
    });
  });
}

/** Values a file, Azure or the cluster could hand a step, each trying to become a runner command. */
const HOSTILE = [
  'false\n::stop-commands::pwn\n',
  'x\r::add-mask::unmask-me',
  'y\n##vso[task.setvariable variable=X]1',
  'z ##vso[task.complete result=Succeeded;]fake',
  'w\r\n  ##[group]legacy',
  '| col | break\n| --- |',
].join(' ');

/** Every row of every table in the summary has its header's number of cells (no value broke a row). */
function tableRowsIntact(summary: string): void {
  const lines = summary.split('\n');
  const cells = (row: string) => row.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue;
    const header = cells(lines[i]!);
    let j = i + 1;
    for (; j < lines.length && lines[j]!.startsWith('|'); j++) assert.equal(cells(lines[j]!), header, lines[j]);
    i = j;
  }
}

describe('values from outside never become runner commands', () => {
  const hostileFile = () => {
    const file = stateFile();
    writeFileSync(file, JSON.stringify({ greeting: HOSTILE }));
    return file;
  };

  test('GitHub: the plan, the warning, the error and the summary carry the value, defused', async () => {
    const run = await runGitHubAction(bundles.github, { 'state-file': hostileFile(), 'greeting-name': 'World' });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    const names = gitHubCommands(run.stdout + run.stderr).map((c) => c.name);
    assert.deepEqual([...new Set(names)].sort(), ['endgroup', 'group', 'warning']);
    assert.match(run.stdout, /:_:stop-commands::pwn/, 'the value is still shown, defused');
    tableRowsIntact(run.summary);
    assert.match(run.summary, /&lt;|<br>/);

    const failed = await runGitHubAction(bundles.github, { 'state-file': stateFile(), 'greeting-name': `W\n::stop-commands::x\n::add-mask::y` });
    assert.equal(failed.exitCode, 1);
    assert.deepEqual([...new Set(gitHubCommands(failed.stdout + failed.stderr).map((c) => c.name))], ['error']);
  });

  test("Azure Pipelines: only the task's own commands, whatever the values contain", async () => {
    const run = await runAzurePipelinesTask(bundles.azurePipelines, { stateFile: hostileFile(), greetingName: 'World' });
    assert.equal(run.result, 'Succeeded', run.stdout);
    const commands = azurePipelinesCommands(run.stdout + run.stderr);
    const allowed = new Set(['task.debug', 'task.issue', 'task.setvariable', 'task.settaskvariable', 'task.uploadsummary', 'task.complete', 'task.setsecret']);
    for (const c of commands) assert.ok(allowed.has(c.name), `unexpected command: ${c.line}`);
    const variables = commands.filter((c) => c.name === 'task.setvariable').map((c) => /variable=([^;\]]+)/.exec(c.line)![1]);
    assert.deepEqual(variables.sort(), ['changed', 'greeting']);
    assert.equal(commands.filter((c) => c.name === 'task.complete').length, 1);
    assert.match(run.stdout, /##_vso\[task\.setvariable variable=X\]1/, 'the value is still shown, defused');
    tableRowsIntact(run.summaries.join('\n'));
  });
});
