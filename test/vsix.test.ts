// The extension manifest contributes every task and tfx-cli packs it into a vsix that lists them.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import JSZip from 'jszip';
import { SHIPPED_STEPS } from '../steps/catalog';
import { EXTENSION_ICON_PATH, OVERVIEW_PATH, extensionManifest, taskJson } from '../scripts/lib/generate';
import { TASK_ICON_SIZE, iconPng } from '../scripts/lib/icons';
import { packVsix, tfxWarnings } from '../scripts/lib/vsix';
import { step as sampleStep } from './fixtures/sample-step/step';
import { ROOT, bundleSampleStep } from './support/bundles';

test('tfx packs a vsix that contains and contributes every task', { timeout: 180_000 }, async () => {
  const bundles = await bundleSampleStep();
  const metas = [...SHIPPED_STEPS, sampleStep.metadata];
  const root = mkdtempSync(path.join(tmpdir(), 'vsix-'));
  for (const meta of metas) {
    const dir = path.join(root, 'tasks', meta.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'task.json'), taskJson(meta, '1.2.3'));
    writeFileSync(path.join(dir, 'icon.png'), iconPng(TASK_ICON_SIZE, meta.branding.color));
    // Every task gets a real bundle (with its post-job entry); the sample's stands in for shipped ones not built by this test.
    cpSync(path.dirname(bundles.azurePipelines), path.join(dir, 'dist'), { recursive: true });
  }
  writeFileSync(path.join(root, 'vss-extension.json'), extensionManifest(metas, '1.2.3'));
  copyListingFiles(root);

  const vsix = path.join(root, 'out.vsix');
  packVsix(root, vsix);

  const zip = await JSZip.loadAsync(readFileSync(vsix));
  const names = Object.keys(zip.files);
  const manifest = await zip.file('extension.vsomanifest')!.async('string');
  const contributions: { id: string; type: string; properties: { name: string } }[] = JSON.parse(manifest).contributions;
  for (const meta of metas) {
    assert.ok(names.includes(`tasks/${meta.id}/task.json`), `${meta.id}/task.json missing from ${names.join(', ')}`);
    assert.ok(names.includes(`tasks/${meta.id}/dist/index.js`), `${meta.id} bundle missing`);
    assert.ok(names.includes(`tasks/${meta.id}/icon.png`), `${meta.id} icon missing`);
    const packed = JSON.parse(await zip.file(`tasks/${meta.id}/task.json`)!.async('string'));
    // Every handler the agent may start (main and post-job) is in the package.
    const targets = [packed.execution, packed.postjobexecution ?? {}].flatMap((h: Record<string, { target: string }>) => Object.values(h).map((x) => x.target));
    for (const target of targets) assert.ok(names.includes(`tasks/${meta.id}/${target}`), `${meta.id}: handler target ${target} missing from the vsix`);
    assert.equal(packed.id, meta.task.id);
    assert.deepEqual(
      contributions.find((c) => c.id === meta.id),
      { id: meta.id, type: 'ms.vss-distributed-task.task', targets: ['ms.vss-distributed-task.tasks'], properties: { name: `tasks/${meta.id}` } },
    );
  }
  assert.equal(contributions.length, metas.length);
  const vsixmanifest = await zip.file('extension.vsixmanifest')!.async('string');
  assert.match(vsixmanifest, /Version="1\.2\.3"/);
  // The listing: icon, overview and license are assets of the package, the repository a property.
  for (const [type, file] of [['Microsoft.VisualStudio.Services.Icons.Default', EXTENSION_ICON_PATH], ['Microsoft.VisualStudio.Services.Content.Details', OVERVIEW_PATH], ['Microsoft.VisualStudio.Services.Content.License', 'LICENSE']]) {
    assert.match(vsixmanifest, new RegExp(`Type="${type.replace(/\./g, '\\.')}"[^>]* Path="${file}"`), `${type} missing:\n${vsixmanifest}`);
    assert.ok(names.includes(file!), `${file} not in the vsix`);
  }
  assert.match(vsixmanifest, /github\.com\/private-wire\/private-wire/);
  assert.doesNotMatch(vsixmanifest, /Preview/, 'a 1.x extension is no preview');
});

/** The Marketplace listing files the manifest names, from the repository. */
function copyListingFiles(root: string): void {
  mkdirSync(path.join(root, path.dirname(EXTENSION_ICON_PATH)), { recursive: true });
  for (const file of [EXTENSION_ICON_PATH, OVERVIEW_PATH, 'LICENSE']) cpSync(path.join(ROOT, file), path.join(root, file));
}

test('a tfx warning fails packaging and leaves no vsix', { timeout: 180_000 }, async () => {
  const bundles = await bundleSampleStep();
  const root = mkdtempSync(path.join(tmpdir(), 'vsix-warn-'));
  const dir = path.join(root, 'tasks', sampleStep.metadata.id);
  mkdirSync(dir, { recursive: true });
  // 41 characters: tfx's task.json check warns (and says it will become an error).
  const task = { ...JSON.parse(taskJson(sampleStep.metadata, '1.2.3')), friendlyName: 'x'.repeat(41) };
  writeFileSync(path.join(dir, 'task.json'), JSON.stringify(task));
  cpSync(path.dirname(bundles.azurePipelines), path.join(dir, 'dist'), { recursive: true });
  writeFileSync(path.join(dir, 'icon.png'), iconPng(TASK_ICON_SIZE, 'blue'));
  writeFileSync(path.join(root, 'vss-extension.json'), extensionManifest([sampleStep.metadata], '1.2.3'));
  copyListingFiles(root);
  const vsix = path.join(root, 'out.vsix');
  assert.throws(() => packVsix(root, vsix), /warning: [\s\S]*friendlyName is a required string <= 40 chars/);
  assert.equal(existsSync(vsix), false);
});

test('tfx warnings are the lines tfx prints as `warning: `, colored or not', () => {
  const out = 'Checking...\nwarning: Please, make sure the task.json file is correct.\nwarning: \tTask: friendlyName is a required string <= 40 chars\n\u001b[33mwarning: \u001b[39msecond\n\nVSIX written';
  assert.deepEqual(tfxWarnings(out), ['warning: Please, make sure the task.json file is correct.', 'warning: \tTask: friendlyName is a required string <= 40 chars', 'warning: second']);
  assert.deepEqual(tfxWarnings('=== Completed operation: create extension ===\n - VSIX: x.vsix'), []);
});
