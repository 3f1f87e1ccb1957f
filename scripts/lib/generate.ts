// Generates each step's host files from its one metadata object.
import { stringify } from 'yaml';
import { COMMON_INPUTS, allOutputs, connectionInputs, inputsFor } from '../../packages/shared/src/metadata/common';
import type { InputGroup, InputSpec, StepMetadata } from '../../packages/shared/src/metadata/types';
import { kebabToCamel, kebabToPascal } from '../../packages/shared/src/names';
import { flowFiles } from './compose-files';
import { CONNECT_FLOW } from './connect-flow';
import { EXTENSION_ICON_SIZE, TASK_ICON_SIZE, iconPng } from './icons';
import { roleDocs } from './roles';

export const PUBLISHER = 'private-wire';
export const REPOSITORY_URL = 'https://github.com/private-wire/private-wire';
export const EXTENSION_ID = 'private-wire';
/** Oldest agent with the Node20_1 handler; newer agents pick Node24 (4.265.1+). Source: microsoft/azure-pipelines-tasks docs/migrateNode24.md ("Specify minimumAgentVersion"). */
export const MINIMUM_AGENT_VERSION = '3.232.1';

const GENERATED_NOTE = 'Generated from the step metadata by `pnpm generate`; do not edit by hand.';

export function actionYml(meta: StepMetadata): string {
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of inputsFor(meta, 'github')) {
    inputs[name] = {
      description: spec.description + (spec.options ? ` One of: ${spec.options.join(', ')}.` : ''),
      required: spec.required === true,
      ...(spec.default !== undefined ? { default: spec.default } : {}),
    };
  }
  const outputs: Record<string, { description: string }> = {};
  for (const [name, spec] of Object.entries(allOutputs(meta))) outputs[name] = { description: spec.description };
  const doc = {
    name: `private-wire: ${meta.title}`,
    description: meta.description,
    author: 'private-wire',
    branding: meta.branding,
    inputs,
    outputs,
    runs: {
      using: 'node24',
      main: 'dist/index.js',
      // `post` runs the same bundle at the end of the job; `post-if: always()` runs it also when a
      // later step failed (https://docs.github.com/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions,
      // runs.post and runs.post-if). The main run's core.saveState values reach it as STATE_<name>.
      ...(meta.post ? { post: 'dist/index.js', 'post-if': 'always()' } : {}),
    },
  };
  return `# ${GENERATED_NOTE}\n${stringify(doc, { lineWidth: 0 })}`;
}

/** A boolean whose empty value means something of its own (see InputSpec.optionLabels). */
export function isTriState(spec: InputSpec): boolean {
  return spec.type === 'boolean' && spec.default === undefined;
}

function taskInputType(spec: InputSpec): string {
  switch (spec.type) {
    case 'boolean':
      return isTriState(spec) ? 'pickList' : 'boolean';
    case 'choice':
      return 'pickList';
    case 'multiline':
    case 'list':
      return 'multiLine';
    case 'service-connection':
      return `connectedService:${spec.connection}`;
    default:
      return 'string';
  }
}

/** Words the task editor should show as their product spells them, not as sentence case. */
const LABEL_WORDS: Record<string, string> = {
  aks: 'AKS', api: 'API', cidr: 'CIDR', coredns: 'CoreDNS', dns: 'DNS', fqdn: 'FQDN', id: 'ID', ids: 'IDs', ip: 'IP',
  ips: 'IPs', pe: 'PE', pls: 'PLS', ttl: 'TTL', url: 'URL', vnet: 'VNet', webapp: 'web app',
};

/** The input's label in the task editor: its own, or its name in sentence case ('dns-ip' → 'DNS IP'). */
export function inputLabel(name: string, spec: InputSpec): string {
  if (spec.label) return spec.label;
  const words = name.split('-').map((w) => LABEL_WORDS[w] ?? w);
  const first = words[0]!;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...words.slice(1)].join(' ');
}

/** The task editor's sections (task.json `groups`), in display order. */
export const INPUT_GROUPS: Record<InputGroup, { displayName: string; isExpanded: boolean }> = {
  connection: { displayName: 'Connection', isExpanded: true },
  target: { displayName: 'Target', isExpanded: true },
  advanced: { displayName: 'Advanced', isExpanded: false },
};

/** The section an input is shown in: its own, else by where it comes from (see InputSpec.group). */
export function inputGroup(meta: StepMetadata, name: string, spec: InputSpec): InputGroup {
  if (spec.group) return spec.group;
  if (name in COMMON_INPUTS) return 'advanced';
  if (!(name in meta.inputs) && name in connectionInputs(meta.service)) return 'connection';
  return 'target';
}

/** The inputs task.json declares (those the service connection decides are left out), by section. */
export function taskInputs(meta: StepMetadata): [string, InputSpec][] {
  const order = Object.keys(INPUT_GROUPS);
  return inputsFor(meta, 'azure-pipelines')
    .filter(([, spec]) => !spec.notInTaskJson)
    .map((entry, i) => ({ entry, rank: order.indexOf(inputGroup(meta, ...entry)) * 1000 + i }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ entry }) => entry);
}

/**
 * task.json `visibleRule` of an input: `name = value` terms joined by `&&`, the syntax the task
 * schema documents for `visibleRule` ("variableName1 != \"\" && variableName2 = value").
 */
export function visibleRule(spec: InputSpec): string | undefined {
  if (!spec.visibleWhen) return undefined;
  return Object.entries(spec.visibleWhen).map(([name, value]) => `${kebabToCamel(name)} = ${value}`).join(' && ');
}

/** An input's description for the task editor, naming the other inputs as Azure Pipelines does (`cluster-name` → `clusterName`). */
function taskHelp(description: string, inputNames: ReadonlySet<string>): string {
  return description.replace(/`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`/g, (whole, name: string) => (inputNames.has(name) ? `\`${kebabToCamel(name)}\`` : whole));
}

/** A 0.x release is a preview: the extension's `Preview` gallery flag and each task's `preview`. */
export function isPreview(version: string): boolean {
  return parseVersion(version).Major === 0;
}

export function parseVersion(version: string): { Major: number; Minor: number; Patch: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`version '${version}' is not MAJOR.MINOR.PATCH`);
  return { Major: Number(m[1]), Minor: Number(m[2]), Patch: Number(m[3]) };
}

/** task.json `friendlyName`: the step's own, or `private-wire: <title>`. */
export function friendlyName(meta: StepMetadata): string {
  return meta.task.friendlyName ?? `private-wire: ${meta.title}`;
}

/** The page a task's help links to: its step's README. */
export function helpUrl(meta: StepMetadata): string {
  return `${REPOSITORY_URL}/blob/main/actions/${meta.id}/README.md`;
}

/** One task.json input (field names from tasks.schema.json `inputs.items.properties`). */
function taskInput(meta: StepMetadata, name: string, spec: InputSpec, inputNames: ReadonlySet<string>) {
  const rule = visibleRule(spec);
  return {
    name: kebabToCamel(name),
    type: taskInputType(spec),
    label: inputLabel(name, spec),
    required: spec.required === true,
    ...(spec.default !== undefined ? { defaultValue: spec.default } : {}),
    groupName: inputGroup(meta, name, spec),
    ...(rule ? { visibleRule: rule } : {}),
    helpMarkDown: taskHelp(spec.description, inputNames),
    ...taskOptions(spec),
    // `rows` is a digit string in tasks.schema.json; its `resizable` is a boolean, where built-in
    // tasks write the string "true", so it is left out rather than guessed.
    ...(spec.type === 'list' || spec.type === 'multiline' ? { properties: { rows: '2' } } : {}),
  };
}

/**
 * task.json `options` (and the empty default) of a pick list. A three-state boolean offers `''`,
 * `true` and `false`, the empty one first and default, as built-in tasks offer an empty choice
 * (microsoft/azure-pipelines-tasks Tasks/AzureRmWebAppDeploymentV4/task.json `ScriptType`:
 * `"defaultValue": ""`, `"options": { "": "Select …", … }`). validate.ts checks the labels.
 */
function taskOptions(spec: InputSpec): { options?: Record<string, string>; defaultValue?: string } {
  const values = isTriState(spec) ? ['', 'true', 'false'] : spec.options;
  if (!values) return {};
  const labels = spec.optionLabels ?? {};
  return { ...(isTriState(spec) ? { defaultValue: '' } : {}), options: Object.fromEntries(values.map((v) => [v, labels[v] ?? v])) };
}

export function taskJson(meta: StepMetadata, version: string): string {
  const handlers = { Node24: { target: 'dist/index.js' }, Node20_1: { target: 'dist/index.js' } };
  const inputs = taskInputs(meta);
  const inputNames = new Set(inputs.map(([name]) => name));
  const groups = new Set(inputs.map(([name, spec]) => inputGroup(meta, name, spec)));
  const parsed = parseVersion(version);
  const doc = {
    $schema: 'https://raw.githubusercontent.com/Microsoft/azure-pipelines-task-lib/master/tasks.schema.json',
    id: meta.task.id,
    name: `PrivateWire${kebabToPascal(meta.id)}`,
    friendlyName: friendlyName(meta),
    description: meta.description,
    // helpUrl and helpMarkDown: the task editor's "Learn more" link and the help under the task's name.
    helpUrl: helpUrl(meta),
    helpMarkDown: `${meta.description} [Learn more about this task](${helpUrl(meta)})`,
    category: meta.task.category ?? 'Deploy',
    author: 'private-wire',
    // tasks.schema.json `preview`: the task picker marks the task as a preview while the release is 0.x.
    ...(isPreview(version) ? { preview: true } : {}),
    version: parsed,
    minimumAgentVersion: MINIMUM_AGENT_VERSION,
    instanceNameFormat: meta.task.instanceNameFormat,
    groups: (Object.keys(INPUT_GROUPS) as InputGroup[]).filter((g) => groups.has(g)).map((g) => ({ name: g, ...INPUT_GROUPS[g] })),
    inputs: inputs.map(([name, spec]) => taskInput(meta, name, spec, inputNames)),
    outputVariables: Object.entries(allOutputs(meta)).map(([name, spec]) => ({
      name: kebabToCamel(name),
      description: spec.description,
    })),
    execution: handlers,
    // The agent runs `postjobexecution` handlers after the job's steps, in the shape
    // microsoft/azure-pipelines-tasks Tasks/InstallSSHKeyV0/task.json uses ({ Node: { target } });
    // values saved with tl.setTaskVariable reach it as VSTS_TASKVARIABLE_<NAME> (azure-pipelines-task-lib
    // node/task.ts setTaskVariable/getTaskVariable; InstallSSHKeyV0/postinstallsshkey.ts reads them so).
    // The post handlers run dist/post.js (scripts/lib/bundle.ts): the phase is stated, not inferred,
    // because no public source says the agent skips a post-job handler whose main run was skipped.
    ...(meta.post ? { postjobexecution: { Node24: { target: 'dist/post.js' }, Node20_1: { target: 'dist/post.js' } } } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export const TABLES_START = '<!-- generated:inputs-outputs:start -->';
export const TABLES_END = '<!-- generated:inputs-outputs:end -->';

function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Inputs and outputs tables for a step's README, naming each input on both hosts. */
export function ioTables(meta: StepMetadata): string {
  const gh = new Map(inputsFor(meta, 'github'));
  const azp = new Map(taskInputs(meta));
  const names = [...new Set([...gh.keys(), ...azp.keys()])];
  const rows = names.map((name) => {
    const spec = (gh.get(name) ?? azp.get(name))!;
    const ghName = gh.has(name) ? `\`${name}\`` : '—';
    const azpName = azp.has(name) ? `\`${kebabToCamel(name)}\`` : '—';
    const type = spec.type === 'choice' ? spec.options!.join(' \\| ') : spec.type;
    const dflt = spec.default !== undefined ? `\`${spec.default}\`` : '';
    return `| ${ghName} | ${azpName} | ${type} | ${spec.required ? 'yes' : 'no'} | ${dflt} | ${md(spec.description)} |`;
  });
  const outputs = Object.entries(allOutputs(meta)).map(
    ([name, spec]) => `| \`${name}\` | \`${kebabToCamel(name)}\` | ${md(spec.description)} |`,
  );
  return [
    TABLES_START,
    `<!-- ${GENERATED_NOTE} -->`,
    '',
    '### Inputs',
    '',
    '| GitHub | Azure Pipelines | Type | Required | Default | Description |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '### Outputs',
    '',
    '| GitHub | Azure Pipelines | Description |',
    '| --- | --- | --- |',
    ...outputs,
    '',
    TABLES_END,
  ].join('\n');
}

/** The README with its generated tables replaced (or a new README when there is none yet). */
export function readmeWithTables(meta: StepMetadata, existing: string | undefined): string {
  const tables = ioTables(meta);
  if (existing === undefined) {
    return `# ${meta.title}\n\n${meta.description}\n\n${tables}\n`;
  }
  const start = existing.indexOf(TABLES_START);
  const end = existing.indexOf(TABLES_END);
  if (start < 0 || end < start) return `${existing.trimEnd()}\n\n${tables}\n`;
  return existing.slice(0, start) + tables + existing.slice(end + TABLES_END.length);
}

/** The Marketplace listing's own files (hand-written overview, generated icon), beside the manifest. */
export const OVERVIEW_PATH = 'extension/overview.md';
export const EXTENSION_ICON_PATH = 'extension/icon.png';

/**
 * The Azure DevOps extension manifest contributing one task per step. Field names from SchemaStore
 * vss-extension.json and https://learn.microsoft.com/azure/devops/extend/develop/manifest
 * ("Mark an extension to be in preview": galleryFlags `Preview`; "Mark an extension public":
 * `public`, left false here: `pnpm publish:vsix --public` overrides it).
 */
export function extensionManifest(metas: readonly StepMetadata[], version: string): string {
  const doc = {
    manifestVersion: 1,
    id: EXTENSION_ID,
    publisher: PUBLISHER,
    version,
    name: 'private-wire',
    description: 'Wire Azure App Service to AKS over a private network: VNet integration, internal load balancers, CoreDNS, web app DNS, private endpoint approvals.',
    public: false,
    ...(isPreview(version) ? { galleryFlags: ['Preview'] } : {}),
    categories: ['Azure Pipelines'],
    targets: [{ id: 'Microsoft.VisualStudio.Services' }],
    tags: ['Azure', 'AKS', 'App Service', 'Private Link', 'VNet'],
    icons: { default: EXTENSION_ICON_PATH },
    content: { details: { path: OVERVIEW_PATH }, license: { path: 'LICENSE' } },
    links: {
      getstarted: { uri: `${REPOSITORY_URL}#quick-start-azure-pipelines` },
      learn: { uri: `${REPOSITORY_URL}/blob/main/docs/EXTENSION.md` },
      license: { uri: `${REPOSITORY_URL}/blob/main/LICENSE` },
      support: { uri: `${REPOSITORY_URL}/issues` },
    },
    repository: { type: 'git', uri: REPOSITORY_URL },
    branding: { color: 'rgb(0, 120, 212)', theme: 'dark' },
    files: metas.flatMap((m) => [
      { path: `tasks/${m.id}/task.json`, packagePath: `tasks/${m.id}/task.json` },
      { path: `tasks/${m.id}/icon.png`, packagePath: `tasks/${m.id}/icon.png` },
      { path: `tasks/${m.id}/dist`, packagePath: `tasks/${m.id}/dist` },
    ]),
    contributions: metas.map((m) => ({
      id: m.id,
      type: 'ms.vss-distributed-task.task',
      targets: ['ms.vss-distributed-task.tasks'],
      properties: { name: `tasks/${m.id}` },
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Every generated file of a set of steps, as path (relative to the root) → content. */
export function generatedFiles(
  metas: readonly StepMetadata[],
  version: string,
  readExisting: (relPath: string) => string | undefined,
): Map<string, string | Buffer> {
  const files = new Map<string, string | Buffer>();
  for (const meta of metas) {
    files.set(`actions/${meta.id}/action.yml`, actionYml(meta));
    files.set(`tasks/${meta.id}/task.json`, taskJson(meta, version));
    files.set(`tasks/${meta.id}/icon.png`, iconPng(TASK_ICON_SIZE, meta.branding.color));
    const readme = `actions/${meta.id}/README.md`;
    files.set(readme, readmeWithTables(meta, readExisting(readme)));
  }
  files.set('vss-extension.json', extensionManifest(metas, version));
  files.set(EXTENSION_ICON_PATH, iconPng(EXTENSION_ICON_SIZE, 'blue'));
  for (const [rel, content] of roleDocs(metas, readExisting)) files.set(rel, content);
  // The composite action and the Azure Pipelines template of the whole procedure (scripts/lib/connect-flow.ts).
  for (const [rel, content] of flowFiles(CONNECT_FLOW, metas, parseVersion(version).Major, readExisting)) files.set(rel, content);
  return files;
}
