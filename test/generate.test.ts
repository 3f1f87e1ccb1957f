// One metadata object per step generates action.yml, task.json, README tables and the extension manifest.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { StepMetadata } from '../packages/shared/src/metadata/types';
import { SHIPPED_STEPS } from '../steps/catalog';
import {
  EXTENSION_ICON_PATH,
  TABLES_END,
  TABLES_START,
  actionYml,
  extensionManifest,
  generatedFiles,
  inputLabel,
  ioTables,
  readmeWithTables,
  taskJson,
} from '../scripts/lib/generate';
import { EXTENSION_ICON_SIZE, TASK_ICON_SIZE } from '../scripts/lib/icons';
import { inputsFor } from '../packages/shared/src/metadata/common';
import { catalogProblems, metadataProblems } from '../scripts/lib/validate';
import { step as sampleStep } from './fixtures/sample-step/step';
import { ROOT } from './support/bundles';
import { kebabToCamel } from '../packages/shared/src/names';

const sample = sampleStep.metadata;
const azureStep: StepMetadata = { ...sample, id: 'azure-thing', service: 'azure', task: { ...sample.task, id: '0f6f3a5e-2b61-4c1d-9a7e-5d0c7f1e2b3a' } };
const k8sStep: StepMetadata = { ...sample, id: 'k8s-thing', service: 'kubernetes', task: { ...sample.task, id: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d' } };

describe('action.yml', () => {
  const doc = parse(actionYml(sample));

  test('runs the bundle on node24 with every GitHub input in kebab-case', () => {
    assert.deepEqual(doc.runs, { using: 'node24', main: 'dist/index.js', post: 'dist/index.js', 'post-if': 'always()' });
    assert.deepEqual(Object.keys(doc.inputs), ['state-file', 'greeting-name', 'repeat', 'style', 'api-token', 'fail-unexpectedly', 'dry-run', 'timeout', 'comment-on-pr', 'github-token']);
    assert.deepEqual(doc.inputs.repeat, { description: 'How many times to say hello.', required: false, default: '1' });
    assert.equal(doc.inputs['state-file'].required, true);
    assert.match(doc.inputs.style.description, /One of: plain, loud\./);
    assert.deepEqual(Object.keys(doc.outputs), ['greeting', 'changed']);
    assert.deepEqual(doc.branding, { icon: 'message-circle', color: 'blue' });
  });

  test('has a post entry only for steps that clean up', () => {
    assert.deepEqual(parse(actionYml({ ...sample, post: false })).runs, { using: 'node24', main: 'dist/index.js' });
  });

  test('leaves Azure Pipelines service connections out', () => {
    assert.equal(parse(actionYml(azureStep)).inputs['azure-subscription'], undefined);
  });
});

describe('task.json', () => {
  const doc = JSON.parse(taskJson(sample, '2.5.7'));

  test('names inputs and outputs in camelCase and runs on Node24 and Node20_1', () => {
    assert.equal(doc.id, sample.task.id);
    assert.equal(doc.name, 'PrivateWireSampleStep');
    assert.deepEqual(doc.version, { Major: 2, Minor: 5, Patch: 7 });
    assert.deepEqual(
      doc.inputs.map((i: { name: string }) => i.name),
      ['stateFile', 'greetingName', 'repeat', 'style', 'apiToken', 'failUnexpectedly', 'dryRun', 'timeout', 'commentOnPr'],
    );
    for (const input of doc.inputs) assert.match(input.name, /^[A-Za-z][A-Za-z0-9]*$/);
    assert.deepEqual(doc.inputs.find((i: { name: string }) => i.name === 'style'), {
      name: 'style',
      type: 'pickList',
      label: 'Style',
      required: false,
      defaultValue: 'plain',
      groupName: 'target',
      helpMarkDown: 'How to greet.',
      options: { plain: 'plain', loud: 'loud' },
    });
    assert.equal(doc.inputs.find((i: { name: string }) => i.name === 'dryRun').type, 'boolean');
    assert.deepEqual(doc.outputVariables.map((o: { name: string }) => o.name), ['greeting', 'changed']);
    assert.deepEqual(doc.execution, { Node24: { target: 'dist/index.js' }, Node20_1: { target: 'dist/index.js' } });
    assert.equal(doc.instanceNameFormat, 'Greet $(greetingName)');
  });

  test('Azure steps take an AzureRM service connection, Kubernetes steps a kubernetes one', () => {
    const azure = JSON.parse(taskJson(azureStep, '1.0.0')).inputs.find((i: { name: string }) => i.name === 'azureSubscription');
    assert.equal(azure.type, 'connectedService:AzureRM');
    assert.equal(azure.required, true);
    const k8s = JSON.parse(taskJson(k8sStep, '1.0.0')).inputs.find((i: { name: string }) => i.name === 'kubernetesServiceConnection');
    assert.equal(k8s.type, 'connectedService:kubernetes');
  });

  test('post-job cleanup runs the post-job entry of the same bundle, only for steps that clean up', () => {
    assert.deepEqual(Object.keys(doc.postjobexecution), Object.keys(doc.execution));
    for (const handler of Object.values(doc.postjobexecution as Record<string, { target: string }>)) assert.equal(handler.target, 'dist/post.js');
    assert.equal(JSON.parse(taskJson({ ...sample, post: false }, '1.0.0')).postjobexecution, undefined);
  });
});

describe('task UI', () => {
  type TaskInput = { name: string; label: string; groupName: string; visibleRule?: string; helpMarkDown: string };
  const inputsOf = (meta: StepMetadata, version = '1.0.0'): TaskInput[] => JSON.parse(taskJson(meta, version)).inputs;
  const byName = (meta: StepMetadata, name: string) => inputsOf(meta).find((i) => i.name === name)!;

  test('labels spell acronyms and products as they are written; an explicit label wins', () => {
    assert.equal(inputLabel('dns-ip', { type: 'string', description: '' }), 'DNS IP');
    assert.equal(inputLabel('ip-echo-url', { type: 'string', description: '' }), 'IP echo URL');
    assert.equal(inputLabel('vnet-resource-group', { type: 'string', description: '' }), 'VNet resource group');
    assert.equal(inputLabel('webapp', { type: 'string', description: '' }), 'Web app');
    assert.equal(inputLabel('greeting-name', { type: 'string', description: '' }), 'Greeting name');
    assert.equal(inputLabel('dns-ip', { type: 'string', description: '', label: 'Resolver' }), 'Resolver');
  });

  test('inputs sit in connection, target and advanced groups, in that order; a step may move one', () => {
    const moved: StepMetadata = { ...azureStep, inputs: { ...azureStep.inputs, repeat: { ...azureStep.inputs.repeat!, group: 'advanced' } } };
    const doc = JSON.parse(taskJson(moved, '1.0.0'));
    assert.deepEqual(doc.groups.map((g: { name: string }) => g.name), ['connection', 'target', 'advanced']);
    assert.equal(doc.groups.find((g: { name: string }) => g.name === 'advanced').isExpanded, false);
    const groupOf = Object.fromEntries(doc.inputs.map((i: TaskInput) => [i.name, i.groupName]));
    assert.equal(groupOf.azureSubscription, 'connection');
    assert.equal(groupOf.subscriptionId, 'connection');
    assert.equal(groupOf.stateFile, 'target');
    assert.equal(groupOf.repeat, 'advanced');
    assert.equal(groupOf.dryRun, 'advanced');
    const ranks = doc.inputs.map((i: TaskInput) => ['connection', 'target', 'advanced'].indexOf(i.groupName));
    assert.deepEqual(ranks, [...ranks].sort());
    // A step without connection inputs gets no empty Connection group.
    assert.deepEqual(JSON.parse(taskJson(sample, '1.0.0')).groups.map((g: { name: string }) => g.name), ['target', 'advanced']);
  });

  test('visibleWhen becomes a visibleRule on the camelCase names', () => {
    const ruled: StepMetadata = {
      ...sample,
      inputs: { ...sample.inputs, 'greeting-name': { ...sample.inputs['greeting-name']!, visibleWhen: { style: 'loud', 'fail-unexpectedly': 'false' } } },
    };
    assert.equal(byName(ruled, 'greetingName').visibleRule, 'style = loud && failUnexpectedly = false');
    assert.equal(byName(ruled, 'repeat').visibleRule, undefined);
    assert.deepEqual(metadataProblems(ruled), []);
  });

  test('rejects a visibleWhen on an unknown input, an impossible value, or a cloud input', () => {
    const rule = (visibleWhen: Record<string, string>, meta: StepMetadata = sample): StepMetadata => ({
      ...meta,
      inputs: { ...meta.inputs, repeat: { ...meta.inputs.repeat!, visibleWhen } },
    });
    assert.ok(metadataProblems(rule({ 'no-such': 'true' })).some((p) => p.includes("names 'no-such', which is not a task.json input")));
    assert.ok(metadataProblems(rule({ style: 'shouting' })).some((p) => p.includes("wants 'style' = 'shouting'")));
    assert.ok(metadataProblems(rule({ 'fail-unexpectedly': 'yes' })).some((p) => p.includes('not one of true, false')));
    assert.ok(metadataProblems(rule({ environment: 'Custom' }, azureStep)).some((p) => p.includes("names 'environment'")));
  });

  test('the cloud is the service connection\'s: no cloud inputs in task.json, still read on the agent', () => {
    const names = inputsOf(azureStep).map((i) => i.name);
    for (const cloud of ['environment', 'resourceManagerEndpoint', 'authorityHost']) assert.ok(!names.includes(cloud), `${cloud} in task.json`);
    const read = inputsFor(azureStep, 'azure-pipelines').map(([n]) => n);
    assert.ok(read.includes('environment') && read.includes('resource-manager-endpoint'));
    assert.match(ioTables(azureStep), /\| `environment` \| — \|/);
    assert.ok('environment' in JSON.parse(JSON.stringify(parse(actionYml(azureStep)).inputs)));
  });

  test('help: the description with a link to the step README, inputs named as on Azure Pipelines', () => {
    const doc = JSON.parse(taskJson(azureStep, '1.0.0'));
    assert.equal(doc.helpUrl, 'https://github.com/private-wire/private-wire/blob/main/actions/azure-thing/README.md');
    assert.equal(doc.helpMarkDown, `${azureStep.description} [Learn more about this task](${doc.helpUrl})`);
    assert.doesNotMatch(taskJson(azureStep, '1.0.0'), /do not edit/);
    const help = byName({ ...sample, inputs: { ...sample.inputs, repeat: { ...sample.inputs.repeat!, description: 'Ignored with `greeting-name` or `no-such-input`.' } } }, 'repeat').helpMarkDown;
    assert.equal(help, 'Ignored with `greetingName` or `no-such-input`.');
  });

  test('a boolean without a default is a three-way pick list, empty first and default; one with a default stays a checkbox', () => {
    const triState: StepMetadata = {
      ...sample,
      inputs: {
        ...sample.inputs,
        loud: { type: 'boolean', description: 'Empty: as configured.', optionLabels: { '': 'As configured', true: 'Loud', false: 'Quiet' } },
      },
    };
    const input = JSON.parse(taskJson(triState, '1.0.0')).inputs.find((i: TaskInput) => i.name === 'loud');
    assert.equal(input.type, 'pickList');
    assert.equal(input.defaultValue, '');
    assert.deepEqual(Object.entries(input.options), [['', 'As configured'], ['true', 'Loud'], ['false', 'Quiet']]);
    assert.deepEqual(metadataProblems(triState), []);
    const checkbox = JSON.parse(taskJson(sample, '1.0.0')).inputs.find((i: TaskInput) => i.name === 'failUnexpectedly');
    assert.equal(checkbox.type, 'boolean');
    assert.equal(checkbox.options, undefined);
    const unlabelled: StepMetadata = { ...triState, inputs: { ...triState.inputs, loud: { type: 'boolean', description: '', optionLabels: { true: 'Loud' } } } };
    assert.ok(metadataProblems(unlabelled).some((p) => p.includes("'loud' is a boolean without a default")), metadataProblems(unlabelled).join('\n'));
    const stray: StepMetadata = { ...triState, inputs: { ...triState.inputs, loud: { ...triState.inputs.loud!, optionLabels: { ...triState.inputs.loud!.optionLabels, maybe: '?' } } } };
    assert.ok(metadataProblems(stray).some((p) => p.includes("names 'maybe'")));
    // Shipped: no three-state boolean is a checkbox (an unchecked box would mean `false`).
    for (const meta of SHIPPED_STEPS) {
      for (const [name, spec] of inputsFor(meta, 'azure-pipelines')) {
        if (spec.type !== 'boolean' || spec.notInTaskJson) continue;
        const shown = inputsOf(meta).find((i) => i.name === kebabToCamel(name)) as TaskInput & { type: string };
        assert.equal(shown.type, spec.default === undefined ? 'pickList' : 'boolean', `${meta.id}: ${name}`);
      }
    }
  });

  test('a 0.x task and extension are marked preview, 1.x ones are not', () => {
    assert.equal(JSON.parse(taskJson(sample, '0.3.0')).preview, true);
    assert.equal(JSON.parse(taskJson(sample, '1.0.0')).preview, undefined);
    assert.deepEqual(JSON.parse(extensionManifest([sample], '0.3.0')).galleryFlags, ['Preview']);
    assert.equal(JSON.parse(extensionManifest([sample], '1.0.0')).galleryFlags, undefined);
  });

  test('shipped tasks: Private Link and DNS Service inputs only when switched on, no naive labels', () => {
    const shipped = new Map(SHIPPED_STEPS.map((m) => [m.id, m]));
    const expose = inputsOf(shipped.get('expose-internal-service')!);
    const pls = expose.filter((i) => i.name.startsWith('pls'));
    assert.ok(pls.length >= 8);
    for (const input of pls) assert.equal(input.visibleRule, 'privateLink = true', input.name);
    const coredns = inputsOf(shipped.get('configure-coredns-external')!);
    for (const name of ['dnsService', 'dnsIp', 'dnsSubnet']) assert.equal(coredns.find((i) => i.name === name)!.visibleRule, 'exposeDns = true', name);
    assert.equal(coredns.find((i) => i.name === 'dnsIp')!.label, 'DNS IP');
    for (const meta of SHIPPED_STEPS) {
      for (const input of inputsOf(meta)) {
        assert.doesNotMatch(input.label, /\b(Dns|Ip|Ips|Pls|Vnet|Url|Id|Fqdn|Aks|Webapp)\b/, `${meta.id}: ${input.name}`);
        assert.ok(!['environment', 'resourceManagerEndpoint', 'authorityHost'].includes(input.name), `${meta.id}: ${input.name}`);
      }
    }
  });
});

describe('README tables', () => {
  test('name every input on both hosts', () => {
    const tables = ioTables(azureStep);
    assert.match(tables, /\| `state-file` \| `stateFile` \| string \| yes \| {2}\| JSON file holding the greeting\. \|/);
    assert.match(tables, /\| — \| `azureSubscription` \| service-connection \| yes \|/);
    assert.match(tables, /\| `changed` \| `changed` \|/);
  });

  test('replace only the generated part of an existing README', () => {
    const existing = `# Sample\n\nHand-written intro.\n\n${TABLES_START}\nold\n${TABLES_END}\n\n## Troubleshooting\nKeep me.\n`;
    const updated = readmeWithTables(sample, existing);
    assert.ok(updated.startsWith('# Sample\n\nHand-written intro.\n\n'));
    assert.ok(updated.endsWith('\n\n## Troubleshooting\nKeep me.\n'));
    assert.ok(!updated.includes('\nold\n'));
    assert.equal(readmeWithTables(sample, updated), updated);
  });
});

describe('metadata validation', () => {
  test('accepts the sample step', () => {
    assert.deepEqual(metadataProblems(sample), []);
  });

  test('rejects names the hosts cannot use and references to unknown inputs', () => {
    const bad: StepMetadata = {
      ...sample,
      id: 'Bad_Step',
      inputs: { 'Resource_Group': { type: 'string', description: 'x' }, mode: { type: 'choice', description: 'x', default: 'c', options: ['a'] } },
      task: { id: 'not-a-guid', instanceNameFormat: 'Run $(nope)' },
    };
    const problems = metadataProblems(bad);
    assert.ok(problems.some((p) => p.includes('id must be kebab-case')));
    assert.ok(problems.some((p) => p.includes("input 'Resource_Group' must be kebab-case")));
    assert.ok(problems.some((p) => p.includes('is not a lower-case GUID')));
    assert.ok(problems.some((p) => p.includes("default of 'mode'")));
    assert.ok(problems.some((p) => p.includes("unknown input 'nope'")));
  });

  test('rejects a task friendlyName over 40 characters, the title-derived one too', () => {
    const long = { ...sample, title: 'A title long enough to pass forty' };
    assert.equal(JSON.parse(taskJson(long, '1.0.0')).friendlyName, 'private-wire: A title long enough to pass forty');
    assert.ok(metadataProblems(long).some((p) => p.includes('has 47 characters (at most 40)')));
    const named = { ...long, task: { ...long.task, friendlyName: 'private-wire: Short name' } };
    assert.equal(JSON.parse(taskJson(named, '1.0.0')).friendlyName, 'private-wire: Short name');
    assert.deepEqual(metadataProblems(named), []);
    assert.ok(metadataProblems({ ...sample, task: { ...sample.task, friendlyName: 'x'.repeat(41) } }).some((p) => p.includes('friendlyName')));
  });

  test('rejects a task GUID used twice', () => {
    assert.ok(catalogProblems([sample, { ...azureStep, task: sample.task }]).some((p) => p.includes('used by more than one step')));
  });

  test('every shipped step is valid', () => {
    assert.deepEqual(catalogProblems([...SHIPPED_STEPS, sample]), []);
  });
});

test('generated files on disk are up to date with the metadata', () => {
  const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  const read = (rel: string) => (existsSync(path.join(ROOT, rel)) ? readFileSync(path.join(ROOT, rel), 'utf8') : undefined);
  const files = generatedFiles(SHIPPED_STEPS, version, read);
  assert.ok(files.has('vss-extension.json'));
  for (const [rel, content] of files) {
    if (typeof content === 'string') assert.equal(read(rel), content, `${rel} is stale: run \`pnpm generate\``);
    else assert.ok(existsSync(path.join(ROOT, rel)) && readFileSync(path.join(ROOT, rel)).equals(content), `${rel} is stale: run \`pnpm generate\``);
  }
});

describe('icons', () => {
  /** Width, height and pixel rows of a palette PNG, decoded with node's zlib. */
  function decode(png: Buffer) {
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks = new Map<string, Buffer[]>();
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      const type = png.toString('latin1', at + 4, at + 8);
      chunks.set(type, [...(chunks.get(type) ?? []), png.subarray(at + 8, at + 8 + length)]);
      at += 12 + length;
    }
    const ihdr = chunks.get('IHDR')![0]!;
    const [width, height] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)];
    const raw = inflateSync(Buffer.concat(chunks.get('IDAT')!));
    assert.equal(raw.length, height * (width + 1));
    return { width, height, colorType: ihdr[9], palette: chunks.get('PLTE')![0]!, raw };
  }

  test('each task has a 32×32 icon.png beside its task.json, the extension a 128×128 one', () => {
    const files = generatedFiles(SHIPPED_STEPS, '1.0.0', () => undefined);
    for (const meta of SHIPPED_STEPS) {
      const icon = decode(files.get(`tasks/${meta.id}/icon.png`) as Buffer);
      assert.deepEqual([icon.width, icon.height], [TASK_ICON_SIZE, TASK_ICON_SIZE]);
      assert.equal(TASK_ICON_SIZE, 32);
      assert.ok(JSON.parse(extensionManifest(SHIPPED_STEPS, '1.0.0')).files.some((f: { path: string }) => f.path === `tasks/${meta.id}/icon.png`));
    }
    const extension = decode(files.get(EXTENSION_ICON_PATH) as Buffer);
    assert.deepEqual([extension.width, extension.height, EXTENSION_ICON_SIZE], [128, 128, 128]);
    assert.equal(JSON.parse(extensionManifest(SHIPPED_STEPS, '1.0.0')).icons.default, EXTENSION_ICON_PATH);
  });

  test('an icon is drawn in its step\'s branding colour, with transparent corners', () => {
    const files = generatedFiles([sample, { ...azureStep, branding: { icon: 'link', color: 'green' } }], '1.0.0', () => undefined);
    const blue = decode(files.get('tasks/sample-step/icon.png') as Buffer);
    const green = decode(files.get('tasks/azure-thing/icon.png') as Buffer);
    assert.deepEqual([...blue.palette.subarray(3, 6)], [0, 120, 212]);
    assert.deepEqual([...green.palette.subarray(3, 6)], [16, 124, 16]);
    assert.equal(blue.raw[1], 0, 'the top-left corner is the transparent palette entry');
    assert.equal(blue.raw[16 * 33 + 1 + 2], 1, 'the left edge mid-height is the background colour');
  });
});
