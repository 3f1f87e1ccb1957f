// Runs a bundled step as the CI runners do: a child process with INPUT_* variables, reading back
// what the runner would read (GitHub file commands; Azure Pipelines ##vso logging commands).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import node24 from '@private-wire/node24';

export interface Runtime {
  /** e.g. `node20`, `node24`. */
  name: string;
  path: string;
}

/** The Node runtimes bundles must work on: the machine's Node (20 here) and Node 24 from the npm package. */
export function runtimes(): Runtime[] {
  const machineMajor = process.versions.node.split('.')[0];
  const list: Runtime[] = [{ name: `node${machineMajor}`, path: process.execPath }];
  if (machineMajor !== '24') list.push({ name: 'node24', path: node24 });
  return list;
}

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function runProcess(
  node: string,
  script: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** Parses GitHub's `name<<delimiter` / `name=value` file-command format (GITHUB_OUTPUT, GITHUB_STATE). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

export interface GitHubRun extends ProcessResult {
  outputs: Record<string, string>;
  /** Variables exported to the job's later steps (GITHUB_ENV). */
  exported: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Values the step asked the runner to mask (`::add-mask::`). */
  masked: string[];
  dir: string;
}

/** GitHub Actions: INPUT_<NAME> with hyphens kept, file commands in GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY. */
export async function runGitHubAction(
  bundle: string,
  inputs: Record<string, string>,
  options: { node?: string; env?: Record<string, string | undefined>; state?: Record<string, string> } = {},
): Promise<GitHubRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-run-'));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary', GITHUB_ENV: 'env' };
  const env: Record<string, string | undefined> = { GITHUB_ACTIONS: 'true', RUNNER_TEMP: dir, ...options.env };
  for (const [k, f] of Object.entries(files)) {
    env[k] = path.join(dir, f);
    writeFileSync(env[k]!, '');
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const result = await runProcess(options.node ?? process.execPath, bundle, baseEnv(env));
  return {
    ...result,
    dir,
    outputs: parseFileCommands(readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
    exported: parseFileCommands(readFileSync(env.GITHUB_ENV!, 'utf8')),
    state: parseFileCommands(readFileSync(env.GITHUB_STATE!, 'utf8')),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
    masked: [...result.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]!),
  };
}

/** Undoes the escaping of ##vso command data and properties. */
function unescapeVso(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%3B/g, ';').replace(/%25/g, '%');
}

export interface VsoCommand {
  area: string;
  event: string;
  properties: Record<string, string>;
  data: string;
}

export function parseVsoCommands(stdout: string): VsoCommand[] {
  const commands: VsoCommand[] = [];
  for (const m of stdout.matchAll(/^##vso\[([\w-]+)\.([\w-]+)(?: ([^\]]*))?\](.*)$/gm)) {
    const properties: Record<string, string> = {};
    for (const pair of (m[3] ?? '').split(';')) {
      if (!pair.includes('=')) continue;
      properties[pair.slice(0, pair.indexOf('=')).trim()] = unescapeVso(pair.slice(pair.indexOf('=') + 1));
    }
    commands.push({ area: m[1]!, event: m[2]!, properties, data: unescapeVso(m[4]!) });
  }
  return commands;
}

export interface AzurePipelinesRun extends ProcessResult {
  commands: VsoCommand[];
  /** Output variables (isOutput=true) by name. */
  outputs: Record<string, string>;
  /** `task.complete` result: Succeeded | SucceededWithIssues | Failed. */
  result?: string;
  resultMessage?: string;
  summaries: string[];
  secrets: string[];
  errors: string[];
  warnings: string[];
}

/** Azure Pipelines agent: INPUT_<NAME> upper-cased, everything else through ##vso commands on stdout. */
export async function runAzurePipelinesTask(
  bundle: string,
  inputs: Record<string, string>,
  options: { node?: string; env?: Record<string, string | undefined> } = {},
): Promise<AzurePipelinesRun> {
  const temp = mkdtempSync(path.join(tmpdir(), 'azp-run-'));
  const env: Record<string, string | undefined> = {
    AGENT_TEMPDIRECTORY: temp,
    AGENT_VERSION: '4.266.2',
    SYSTEM_DEFAULTWORKINGDIRECTORY: temp,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/[ .]/g, '_').toUpperCase()}`] = value;
  const result = await runProcess(options.node ?? process.execPath, bundle, baseEnv(env));
  const commands = parseVsoCommands(result.stdout);
  const complete = commands.filter((c) => c.area === 'task' && c.event === 'complete').at(-1);
  const outputs: Record<string, string> = {};
  for (const c of commands) {
    if (c.area === 'task' && c.event === 'setvariable' && c.properties.isOutput === 'true') {
      outputs[c.properties.variable!] = c.data;
    }
  }
  return {
    ...result,
    commands,
    outputs,
    result: complete?.properties.result,
    resultMessage: complete?.data,
    summaries: commands
      .filter((c) => c.area === 'task' && c.event === 'uploadsummary')
      .map((c) => readFileSync(c.data, 'utf8')),
    secrets: commands.filter((c) => c.area === 'task' && c.event === 'setsecret').map((c) => c.data),
    errors: commands.filter((c) => c.event === 'issue' && c.properties.type === 'error').map((c) => c.data),
    warnings: commands.filter((c) => c.event === 'issue' && c.properties.type === 'warning').map((c) => c.data),
  };
}
