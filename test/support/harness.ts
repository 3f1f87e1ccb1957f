// Runs shipped step bundles (actions|tasks/<step>/dist/index.js, built by `pnpm build`) against a
// stand-in world, on either host, with the same kebab-case inputs and outputs for both, so one
// test body checks a step on GitHub and on Azure Pipelines.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '@private-wire/emulator';
import { kebabToCamel } from '../../packages/shared/src/names';
import { ROOT } from './bundles';
import { runAzurePipelinesTask, runGitHubAction } from './runners';

export type HostName = 'github' | 'azure-pipelines';
export const HOSTS: readonly HostName[] = ['github', 'azure-pipelines'];

export interface World {
  e: Emulator;
  /** A service principal the steps sign in as. */
  sp: { clientId: string; secret: string };
  stop(): Promise<void>;
}

/** Starts the stand-in with a registered service principal and unguessable cluster tokens. */
export async function startWorld(options: EmulatorOptions = {}): Promise<World> {
  const e = await startEmulator({
    ...options,
    kube: { userToken: `user-${randomBytes(12).toString('hex')}`, adminToken: `admin-${randomBytes(12).toString('hex')}`, ...options.kube },
  });
  const secret = `sp-${randomBytes(16).toString('hex')}`;
  const app = e.registerApp({ secret });
  return { e, sp: { clientId: app.clientId, secret }, stop: () => e.stop() };
}

/** The bundle the runner would execute for a shipped step; fails clearly when not built. */
export function shippedBundle(stepId: string, host: HostName): string {
  const file = path.join(ROOT, host === 'github' ? 'actions' : 'tasks', stepId, 'dist', 'index.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm build\` (pnpm test does it first)`);
  return file;
}

export interface StepRun {
  host: HostName;
  succeeded: boolean;
  /** Outputs by their kebab-case names on both hosts. */
  outputs: Record<string, string>;
  summary: string;
  /** The failure message the user sees (GitHub ::error:: lines, Azure Pipelines task.complete). */
  error?: string;
  warnings: string[];
  stdout: string;
  stderr: string;
  /** Values the step asked the host to mask. */
  masked: string[];
  /** What the run saved for the post-job run (GitHub GITHUB_STATE; Azure Pipelines task variables). */
  state: Record<string, string>;
  /** Variables set for the job's later steps (GitHub GITHUB_ENV; Azure Pipelines task.setvariable, not outputs). */
  exported: Record<string, string>;
}

export interface RunOptions {
  /**
   * How the step signs in to Azure: the service principal (default); the same principal through
   * an Azure Stack Hub service connection (Azure Pipelines only: `environment` data `AzureStack`,
   * its URL the stand-in's ARM, no environment inputs); or not at all.
   */
  azure?: 'service-principal' | 'azure-stack' | 'none';
  /** More data of the Azure service connection (Azure Pipelines), e.g. `activeDirectoryAuthority`. */
  connectionData?: Record<string, string>;
  /** Cluster connection: a kubeconfig input for the stand-in's API server (default) or none. */
  cluster?: 'kubeconfig' | 'none';
  env?: Record<string, string>;
  node?: string;
  /** A bundle to run in place of the shipped one (a test fixture's, from bundleFixture). */
  bundle?: string;
  /**
   * Run as the post-job run that follows a main run which saved this state: GitHub passes it as
   * STATE_<name>, the Azure Pipelines agent as VSTS_TASKVARIABLE_<NAME> (see scripts/lib/generate.ts).
   */
  state?: Record<string, string>;
  /** Run as the post-job run even without saved state (Azure Pipelines: a post-job handler whose main run was skipped). */
  post?: boolean;
}

/** The id of the Azure service connection runShippedStep gives a step on Azure Pipelines. */
export const AZURE_CONNECTION_ID = '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99';
const CONNECTION_ID = AZURE_CONNECTION_ID;

/** The agent's environment for an AzureRM service connection of the world's service principal. */
function servicePrincipalConnection({ e, sp }: World): Record<string, string> {
  return {
    [`ENDPOINT_AUTH_${CONNECTION_ID}`]: JSON.stringify({
      scheme: 'ServicePrincipal',
      parameters: { tenantid: e.tenantId, serviceprincipalid: sp.clientId, serviceprincipalkey: sp.secret, authenticationType: 'spnKey' },
    }),
    [`ENDPOINT_DATA_${CONNECTION_ID}_SUBSCRIPTIONID`]: e.subscriptionId,
  };
}

function unescapeGitHub(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Runs a shipped step on a host with kebab-case inputs, signed in to the stand-in. */
export async function runShippedStep(
  world: World,
  stepId: string,
  host: HostName,
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<StepRun> {
  const { e, sp } = world;
  const all: Record<string, string> = { ...inputs };
  const env: Record<string, string> = {
    NODE_EXTRA_CA_CERTS: e.tls.caFile,
    AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9',
    AZURE_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'no-az-')),
  };
  const azure = options.azure ?? 'service-principal';
  if (azure === 'service-principal') {
    // The stand-in's endpoints unless the test names them (e.g. by a name only a proxy resolves).
    Object.assign(all, { environment: 'Custom', 'resource-manager-endpoint': e.urls.arm, 'authority-host': e.urls.authorityHost }, inputs);
    if (host === 'github') {
      Object.assign(env, { AZURE_CLIENT_ID: sp.clientId, AZURE_TENANT_ID: e.tenantId, AZURE_CLIENT_SECRET: sp.secret, AZURE_SUBSCRIPTION_ID: e.subscriptionId });
    } else {
      all['azure-subscription'] = CONNECTION_ID;
      Object.assign(env, servicePrincipalConnection(world));
    }
  } else if (azure === 'azure-stack') {
    if (host === 'github') throw new Error("runShippedStep: azure 'azure-stack' is an Azure Pipelines service connection");
    all['azure-subscription'] = CONNECTION_ID;
    Object.assign(env, servicePrincipalConnection(world), {
      [`ENDPOINT_DATA_${CONNECTION_ID}_ENVIRONMENT`]: 'AzureStack',
      [`ENDPOINT_URL_${CONNECTION_ID}`]: `${e.urls.arm}/`,
    });
  }
  for (const [key, value] of Object.entries(options.connectionData ?? {})) env[`ENDPOINT_DATA_${CONNECTION_ID}_${key.toUpperCase()}`] = value;
  if ((options.cluster ?? 'kubeconfig') === 'kubeconfig' && e.kube && !('kubeconfig' in all)) {
    all.kubeconfig = e.kube.kubeconfig({ https: true });
  }
  Object.assign(env, options.env);

  if (host === 'github') {
    const run = await runGitHubAction(options.bundle ?? shippedBundle(stepId, host), all, { env, node: options.node, state: options.state });
    const errors = [...run.stdout.matchAll(/^::error::(.*)$/gm)].map((m) => unescapeGitHub(m[1]!));
    return {
      host,
      succeeded: run.exitCode === 0,
      outputs: run.outputs,
      summary: run.summary,
      error: errors.length ? errors.join('\n') : undefined,
      warnings: [...run.stdout.matchAll(/^::warning::(.*)$/gm)].map((m) => unescapeGitHub(m[1]!)),
      stdout: run.stdout,
      stderr: run.stderr,
      masked: run.masked,
      state: run.state,
      exported: run.exported,
    };
  }
  const camelInputs = Object.fromEntries(Object.entries(all).map(([k, v]) => [kebabToCamel(k), v]));
  // azure-pipelines-task-lib's variable key: dots and spaces to underscores, upper case.
  for (const [name, value] of Object.entries(options.state ?? {})) env[`VSTS_TASKVARIABLE_${name.replace(/[. ]/g, '_').toUpperCase()}`] = value;
  const isPostRun = options.post ?? options.state !== undefined;
  const bundle = options.bundle ?? shippedBundle(stepId, host);
  // The agent runs task.json's postjobexecution target (dist/post.js) for the post-job run.
  const run = await runAzurePipelinesTask(isPostRun ? path.join(path.dirname(bundle), 'post.js') : bundle, camelInputs, { env, node: options.node });
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(run.outputs)) outputs[k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = v;
  return {
    host,
    succeeded: run.result === 'Succeeded',
    outputs,
    summary: run.summaries.join('\n'),
    error: run.result === 'Failed' ? run.resultMessage : undefined,
    warnings: run.warnings,
    stdout: run.stdout,
    stderr: run.stderr,
    masked: run.secrets,
    state: Object.fromEntries(run.commands.filter((c) => c.area === 'task' && c.event === 'settaskvariable').map((c) => [c.properties.variable!, c.data])),
    exported: Object.fromEntries(run.commands.filter((c) => c.area === 'task' && c.event === 'setvariable' && c.properties.isOutput !== 'true').map((c) => [c.properties.variable!, c.data])),
  };
}

/** Asserts nothing the step masked (nor any given secret) appears outside the mask commands. */
export function secretsPrinted(run: StepRun, known: string[] = []): string[] {
  const visible = run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::') && !l.startsWith('##vso[task.setsecret]'))
    .join('\n');
  const places = [visible, run.stderr, JSON.stringify(run.outputs), run.summary];
  return [...run.masked, ...known].filter((s) => s.length >= 8 && places.some((p) => p.includes(s)));
}
