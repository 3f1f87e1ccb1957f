// One version, one scheme: package.json's MAJOR.MINOR.PATCH is the release. GitHub users pin the
// tag `vMAJOR.MINOR.PATCH` or the moving `vMAJOR`; Azure Pipelines users pin the task major
// (`PrivateWire…@MAJOR`). This module finds every such reference in a text and says which disagree.
import { parseVersion } from './generate';

export interface VersionRef {
  kind: 'action' | 'task';
  /** The action folder (`connect-webapp-to-aks`) or the task name (`PrivateWireSetWebappDns`). */
  name: string;
  /** What follows the `@`: `v1`, `v1.0.0`, `main`, a SHA, or the task major `1`. */
  ref: string;
  line: number;
}

// `<owner>/<repo>/actions/<folder>@<ref>` (owner may be a `<owner>` placeholder in prose).
const ACTION_REF = /[\w.<>-]+\/[\w.-]+\/actions\/([a-z0-9-]+)@([^\s'"`),\]]+)/g;
// `PrivateWire<Task>@<major>` as a YAML `task:` value or in prose.
const TASK_REF = /\b(PrivateWire[A-Za-z0-9]+)@([^\s'"`),\]]*)/g;

/** Every reference to one of our actions or tasks in a text, with its 1-based line. */
export function versionRefs(text: string): VersionRef[] {
  const refs: VersionRef[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    for (const m of line.matchAll(ACTION_REF)) refs.push({ kind: 'action', name: m[1]!, ref: m[2]!, line: i + 1 });
    for (const m of line.matchAll(TASK_REF)) refs.push({ kind: 'task', name: m[1]!, ref: m[2]!, line: i + 1 });
  }
  return refs;
}

export interface ReleaseFacts {
  /** package.json `version`. */
  version: string;
  /** vss-extension.json `version`. */
  extensionVersion: string;
  /** Each generated task.json: its name and version object. */
  tasks: { name: string; version: { Major: number; Minor: number; Patch: number } }[];
  /** The folders under actions/ (a reference to any other is a typo). */
  actions: string[];
}

/** The refs a document may use for this release: the moving major tag and the exact tag. */
export function allowedActionRefs(version: string): string[] {
  return [`v${parseVersion(version).Major}`, `v${version}`];
}

/** Where package.json, vss-extension.json and the task versions disagree. */
export function manifestProblems(facts: ReleaseFacts): string[] {
  const v = parseVersion(facts.version);
  const problems: string[] = [];
  if (facts.extensionVersion !== facts.version) {
    problems.push(`vss-extension.json version ${facts.extensionVersion} is not package.json's ${facts.version}`);
  }
  for (const task of facts.tasks) {
    const tv = task.version;
    if (tv.Major !== v.Major || tv.Minor !== v.Minor || tv.Patch !== v.Patch) {
      problems.push(`task ${task.name} version ${tv.Major}.${tv.Minor}.${tv.Patch} is not package.json's ${facts.version}`);
    }
  }
  return problems;
}

/** Where a document's references to our actions and tasks disagree with the release. */
export function documentProblems(file: string, text: string, facts: ReleaseFacts): string[] {
  const allowed = allowedActionRefs(facts.version);
  const major = String(parseVersion(facts.version).Major);
  const taskNames = new Set(facts.tasks.map((t) => t.name));
  const problems: string[] = [];
  for (const ref of versionRefs(text)) {
    const at = `${file}:${ref.line}`;
    if (ref.kind === 'action') {
      if (!facts.actions.includes(ref.name)) problems.push(`${at}: actions/${ref.name} does not exist`);
      if (!allowed.includes(ref.ref)) problems.push(`${at}: actions/${ref.name}@${ref.ref} should be @${allowed.join(' or @')}`);
    } else {
      if (!taskNames.has(ref.name)) problems.push(`${at}: there is no task ${ref.name}`);
      if (ref.ref !== major) problems.push(`${at}: ${ref.name}@${ref.ref} should be @${major}`);
    }
  }
  return problems;
}
