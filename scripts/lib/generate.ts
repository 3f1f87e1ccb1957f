// Generates each step's host files from its one metadata object.
import { stringify } from 'yaml';
import { allOutputs, inputsFor } from '../../packages/shared/src/metadata/common';
import type { InputSpec, StepMetadata } from '../../packages/shared/src/metadata/types';
import { kebabToCamel, kebabToPascal } from '../../packages/shared/src/names';
import { roleDocs } from './roles';

export const PUBLISHER = 'private-wire';
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

function taskInputType(spec: InputSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'boolean';
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

function label(name: string, spec: InputSpec): string {
  if (spec.label) return spec.label;
  const words = name.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function parseVersion(version: string): { Major: number; Minor: number; Patch: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`version '${version}' is not MAJOR.MINOR.PATCH`);
  return { Major: Number(m[1]), Minor: Number(m[2]), Patch: Number(m[3]) };
}

export function taskJson(meta: StepMetadata, version: string): string {
  const handlers = { Node24: { target: 'dist/index.js' }, Node20_1: { target: 'dist/index.js' } };
  const doc = {
    $schema: 'https://raw.githubusercontent.com/Microsoft/azure-pipelines-task-lib/master/tasks.schema.json',
    id: meta.task.id,
    name: `PrivateWire${kebabToPascal(meta.id)}`,
    friendlyName: `private-wire: ${meta.title}`,
    description: meta.description,
    helpMarkDown: GENERATED_NOTE,
    category: meta.task.category ?? 'Deploy',
    author: 'private-wire',
    version: parseVersion(version),
    minimumAgentVersion: MINIMUM_AGENT_VERSION,
    instanceNameFormat: meta.task.instanceNameFormat,
    inputs: inputsFor(meta, 'azure-pipelines').map(([name, spec]) => ({
      name: kebabToCamel(name),
      type: taskInputType(spec),
      label: label(name, spec),
      required: spec.required === true,
      ...(spec.default !== undefined ? { defaultValue: spec.default } : {}),
      helpMarkDown: spec.description,
      ...(spec.options ? { options: Object.fromEntries(spec.options.map((o) => [o, o])) } : {}),
      ...(spec.type === 'list' || spec.type === 'multiline' ? { properties: { resizable: 'true', rows: '2' } } : {}),
    })),
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
  const azp = new Map(inputsFor(meta, 'azure-pipelines'));
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

/** The Azure DevOps extension manifest contributing one task per step. */
export function extensionManifest(metas: readonly StepMetadata[], version: string): string {
  const doc = {
    manifestVersion: 1,
    id: EXTENSION_ID,
    publisher: PUBLISHER,
    version,
    name: 'private-wire',
    description: 'Wire Azure App Service to AKS over a private network: VNet integration, internal load balancers, CoreDNS, web app DNS, private endpoint approvals.',
    public: false,
    categories: ['Azure Pipelines'],
    targets: [{ id: 'Microsoft.VisualStudio.Services' }],
    tags: ['Azure', 'AKS', 'App Service', 'Private Link', 'VNet'],
    files: metas.flatMap((m) => [
      { path: `tasks/${m.id}/task.json`, packagePath: `tasks/${m.id}/task.json` },
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
): Map<string, string> {
  const files = new Map<string, string>();
  for (const meta of metas) {
    files.set(`actions/${meta.id}/action.yml`, actionYml(meta));
    files.set(`tasks/${meta.id}/task.json`, taskJson(meta, version));
    const readme = `actions/${meta.id}/README.md`;
    files.set(readme, readmeWithTables(meta, readExisting(readme)));
  }
  files.set('vss-extension.json', extensionManifest(metas, version));
  for (const [rel, content] of roleDocs(metas, readExisting)) files.set(rel, content);
  return files;
}
