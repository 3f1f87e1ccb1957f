import * as tl from 'azure-pipelines-task-lib/task';
import { _vault as vault } from 'azure-pipelines-task-lib/internal';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AnyStep } from '../engine/step';
import { endProcess, runStep } from '../engine/run';
import { kebabToCamel } from '../names';
import type { Host } from './host';
import { UserError } from '../errors';
import { configurationSecrets, proxyFromAgent, proxyFromEnvironment, type ProxyConfiguration } from '../net/proxy';
import { safeText } from './safe-output';
import { secretParts } from './secret-lines';
import type { ServiceConnection } from './service-connection';
import { upsertAzureReposComment } from '../pr-comment/azure-devops';
import type { PullRequestCommentsOrWhyNot } from '../pr-comment/post';
import { azureReposPullRequest } from '../pr-comment/where';

/** Service connection parameters that hold secrets (lower-cased). */
const SECRET_PARAMETERS = new Set([
  'serviceprincipalkey',
  'serviceprincipalcertificate',
  'certificate',
  'kubeconfig',
  'apitoken',
  'password',
  'accesstoken',
  'idtoken',
]);

/**
 * The Azure Pipelines agent, over azure-pipelines-task-lib (INPUT_* env, `##vso[...]` commands).
 * Inputs and outputs use the camelCase of the step's kebab-case names.
 */
class AzurePipelinesHost implements Host {
  readonly kind = 'azure-pipelines' as const;
  readonly env = process.env;

  getInput(name: string, options?: { secret?: boolean }): string | undefined {
    const key = kebabToCamel(name);
    // tl.getInput writes `name=value` to the debug log before anyone could mask it, so secrets are
    // read straight from task-lib's vault (where it moved every INPUT_* variable at load).
    if (options?.secret) return vault.retrieveSecret(`INPUT_${key.toUpperCase()}`) || undefined;
    return tl.getInput(key, false) || undefined;
  }

  inputName(name: string): string {
    return kebabToCamel(name);
  }

  setOutput(name: string, value: string): void {
    tl.setVariable(kebabToCamel(name), value, false, true);
  }

  setSecret(value: string): void {
    for (const part of secretParts(value)) tl.setSecret(part);
  }

  // Every printed text goes through safeText: values inside it cannot become ##vso commands.
  debug(message: string): void {
    tl.debug(safeText(message));
  }

  info(message: string): void {
    console.log(safeText(message));
  }

  warning(message: string): void {
    tl.warning(safeText(message));
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    console.log(`##[group]${safeText(title).replace(/\n/g, ' ')}`);
    try {
      return await fn();
    } finally {
      console.log('##[endgroup]');
    }
  }

  async appendSummary(markdown: string): Promise<void> {
    // The agent attaches the file as a markdown tab of the run summary.
    const base = tl.getVariable('Agent.TempDirectory') || tmpdir();
    const dir = mkdtempSync(path.join(base, 'private-wire-summary-'));
    const file = path.join(dir, 'summary.md');
    writeFileSync(file, markdown);
    tl.uploadSummary(file);
  }

  exportVariable(name: string, value: string): void {
    tl.setVariable(name, value);
  }

  saveState(name: string, value: string): void {
    tl.setTaskVariable(name, value);
  }

  getState(name: string): string | undefined {
    return tl.getTaskVariable(name) || undefined;
  }

  isPost(): boolean {
    // Only the postjobexecution entry (dist/post.js, scripts/lib/bundle.ts) sets this; the saved
    // task variables then say what the main run left to clean up (none when it was skipped).
    return (globalThis as { privateWirePostJob?: boolean }).privateWirePostJob === true;
  }

  fail(message: string): void {
    tl.setResult(tl.TaskResult.Failed, safeText(message));
  }

  succeed(): void {
    tl.setResult(tl.TaskResult.Succeeded, '');
  }

  getServiceConnection(inputName: string): ServiceConnection | undefined {
    const id = tl.getInput(kebabToCamel(inputName), false);
    if (!id) return undefined;
    // getEndpointAuthorization logs only whether the connection exists; the per-parameter getters
    // would log each value, secrets included, before they could be masked.
    const auth = tl.getEndpointAuthorization(id, true);
    if (!auth) return undefined;
    const parameters = { ...(auth.parameters ?? {}) };
    for (const [key, value] of Object.entries(parameters)) {
      if (value && SECRET_PARAMETERS.has(key.toLowerCase())) this.setSecret(value);
    }
    return {
      id,
      scheme: auth.scheme,
      parameters,
      data: (key) => process.env[`ENDPOINT_DATA_${id}_${key.toUpperCase()}`] || undefined,
      url: process.env[`ENDPOINT_URL_${id}`] || undefined,
    };
  }

  /**
   * The agent's proxy, as the agent hands it to tasks: the variables Agent.ProxyUrl,
   * Agent.ProxyUsername, Agent.ProxyBypassList and the secret variable Agent.ProxyPassword
   * (microsoft/azure-pipelines-agent src/Agent.Worker/ExecutionContext.cs; secret variables reach a
   * task as SECRET_<NAME>, src/Agent.Worker/Handlers/Handler.cs, which task-lib moves into its vault).
   * The password is read from the vault: tl.getVariable (and getHttpProxyConfiguration, which calls
   * it) writes `name=value` to the debug log. Without an agent proxy, the environment variables.
   */
  proxyConfiguration(): ProxyConfiguration {
    const url = tl.getVariable('Agent.ProxyUrl');
    const password = url ? vault.retrieveSecret('SECRET_AGENT_PROXYPASSWORD') || undefined : undefined;
    if (password) this.setSecret(password);
    const configuration = url
      ? proxyFromAgent({ url, username: tl.getVariable('Agent.ProxyUsername') || undefined, password, bypassList: agentBypassList() })
      : proxyFromEnvironment(this.env);
    for (const secret of configurationSecrets(configuration)) this.setSecret(secret);
    return configuration;
  }

  async getIdToken(): Promise<string> {
    throw new Error('Azure Pipelines ID tokens come from the service connection (AzurePipelinesCredential)');
  }

  getSystemAccessToken(): string | undefined {
    const token = tl.getEndpointAuthorization('SystemVssConnection', true)?.parameters?.AccessToken;
    if (token) this.setSecret(token);
    return token || undefined;
  }

  runReference(): string | undefined {
    const { BUILD_REPOSITORY_NAME: repository, BUILD_BUILDID: build } = this.env;
    return repository && build ? `Azure Pipelines build ${repository}#${build}` : undefined;
  }

  pullRequestComments(stepId: string): PullRequestCommentsOrWhyNot {
    const pr = azureReposPullRequest(stepId, this.env);
    if ('skip' in pr) return pr;
    // The job's token, as built-in tasks read it: tl.getEndpointAuthorization('SystemVssConnection', true)
    // .parameters.AccessToken (microsoft/azure-pipelines-tasks Tasks/VsTestV2/inputparser.ts); masked here.
    const token = this.getSystemAccessToken();
    if (!token) return { skip: 'the job has no access token (the SystemVssConnection endpoint carries none)', warn: true };
    return { key: pr.key, upsert: (marker, body, deadline) => upsertAzureReposComment(pr, token, marker, body, deadline) };
  }
}

/** Agent.ProxyBypassList: a JSON list of regular expressions (the agent writes it with JsonUtility.ToString). */
function agentBypassList(): string[] {
  const text = tl.getVariable('Agent.ProxyBypassList');
  if (!text) return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.every((e) => typeof e === 'string')) {
    throw new UserError(`The agent's proxy bypass list (Agent.ProxyBypassList) is '${text}', which is not a JSON list of expressions.`, "Check the agent's .proxybypass file.");
  }
  return list;
}

/** Entry point of every Azure Pipelines task bundle. */
export function runAzurePipelinesTask(step: AnyStep): Promise<never> {
  return runStep(step, new AzurePipelinesHost()).then(endProcess);
}
