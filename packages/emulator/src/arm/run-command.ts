// AKS run command (`az aks command invoke`): POST .../managedClusters/{name}/runCommand starts a
// command in a pod inside the cluster; GET .../commandResults/{commandId} answers 202 while it runs
// and 200 with its result. Shapes from azure-rest-api-specs specification/containerservice/
// resource-manager/Microsoft.ContainerService/aks/stable/2025-10-01/managedClusters.json
// (ManagedClusters_RunCommand: 200 RunCommandResult, or 202 with Location and Retry-After,
// final-state-via location; ManagedClusters_GetCommandResult: 200 RunCommandResult or 202;
// RunCommandRequest {command, context, clusterToken}; RunCommandResult {id, properties:
// {provisioningState, exitCode, startedAt, finishedAt, logs, reason}}) and its examples
// RunCommandRequest.json / RunCommandResultSucceed.json / RunCommandResultFailed.json.
// Here the "pod" is `/bin/sh -c <command>` on this machine, in a directory holding the context's
// files, with a kubeconfig for the stand-in's in-cluster API listener: the real `kubectl` on PATH
// does the work (where there is none, the shell answers `kubectl: not found`, exit code 127).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { json, type Reply } from '../http';
import { ArmError, badRequest } from './errors';
import type { ArmResource } from './store';
import type { ArmEnv, ArmRequest, KubeEndpoint, TypeHandler } from './types';
import { unzip } from './unzip';

export const COMMAND_RESULTS = 'Microsoft.ContainerService/managedClusters/commandResults';
/** No public source gives AKS's limit on a command's run time; the stand-in stops one after this. */
const COMMAND_TIMEOUT_MS = 10 * 60_000;

interface CommandRecord {
  id: string;
  clusterId: string;
  /** az prints `Succeeded` / `Failed` (azure-cli acs/custom.py _print_command_result compares those). */
  provisioningState: 'Running' | 'Succeeded' | 'Failed';
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  logs?: string;
  reason?: string;
}

type Props = Record<string, unknown>;

/** The commands submitted to every cluster, and how long each takes before it starts (AKS: 10–60 s to schedule the pod). */
export class RunCommands {
  private readonly commands = new Map<string, CommandRecord>();

  constructor(public delayMs = 50) {}

  submit(env: ArmEnv, r: ArmRequest): Reply {
    const cluster = env.store.get(r.id)!;
    const body = (r.body ?? {}) as Props;
    const command = body['command'];
    // No public source gives the service's message for these; the stand-in refuses them plainly.
    if (typeof command !== 'string' || !command.trim()) throw badRequest('InvalidParameter', 'The value of parameter command is invalid: it must be a non-empty string.');
    const p = (cluster.properties ?? {}) as Props;
    // ManagedClusterAPIServerAccessProfile.disableRunCommand ("Whether to disable run command for the cluster or not").
    if ((p['apiServerAccessProfile'] as Props | undefined)?.['disableRunCommand'] === true) {
      throw badRequest('BadRequest', 'Run command is disabled for this cluster (apiServerAccessProfile.disableRunCommand).');
    }
    const kube = env.kube(cluster);
    const id = randomBytes(16).toString('hex');
    const record: CommandRecord = { id, clusterId: cluster.id, provisioningState: 'Running', startedAt: new Date().toISOString() };
    this.commands.set(id, record);
    const credential = clusterCredential(p, kube, body['clusterToken']);
    const timer = setTimeout(() => void this.execute(record, command, String(body['context'] ?? ''), kube, credential), this.delayMs);
    timer.unref();
    return json(202, undefined, { location: resultUrl(r, cluster, id), 'retry-after': '1' });
  }

  result(env: ArmEnv, r: ArmRequest): Reply {
    const record = this.commands.get(r.name);
    if (!record || record.clusterId.toLowerCase() !== r.parentId.toLowerCase()) throw new ArmError(404, 'NotFound', `Command result ${r.name} not found.`);
    if (record.provisioningState === 'Running') return json(202, undefined, { location: `${r.ctx.base}${r.ctx.path}?api-version=${r.apiVersion}`, 'retry-after': '1' });
    const { id, clusterId: _c, ...properties } = record;
    return json(200, { id, properties });
  }

  private async execute(record: CommandRecord, command: string, context: string, kube: KubeEndpoint | undefined, credential: { token?: string; problem?: string }): Promise<void> {
    const finish = (fields: Partial<CommandRecord>) => Object.assign(record, { finishedAt: new Date().toISOString(), ...fields });
    if (!kube?.inClusterServer) return void finish({ provisioningState: 'Failed', reason: 'The cluster has no Kubernetes API in this stand-in.' });
    if (credential.problem) return void finish({ provisioningState: 'Failed', reason: credential.problem });
    const root = mkdtempSync(path.join(tmpdir(), 'aks-command-'));
    try {
      const work = path.join(root, 'work');
      mkdirSync(work);
      let files: Map<string, Buffer>;
      try {
        files = unzip(Buffer.from(context, 'base64'));
      } catch (error) {
        return void finish({ provisioningState: 'Failed', reason: `The context is not a base64 zip file: ${(error as Error).message}` });
      }
      for (const [name, data] of files) {
        const target = path.resolve(work, name);
        if (!target.startsWith(work + path.sep)) return void finish({ provisioningState: 'Failed', reason: `The context has a file outside its folder: ${name}` });
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, data);
      }
      const kubeconfig = path.join(root, 'kubeconfig');
      writeFileSync(kubeconfig, inClusterKubeconfig(kube, credential.token!), { mode: 0o600 });
      const { exitCode, logs } = await runShell(command, work, { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work, KUBECONFIG: kubeconfig });
      finish({ provisioningState: 'Succeeded', exitCode, logs });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

/**
 * Who the command pod acts as: an Azure AD cluster's command runs as the caller, with the token for
 * the AKS server app the client sends as clusterToken (azure-cli acs/custom.py aks_runcommand: "if
 * this cluster have Azure AD enabled, we should pass user token"); other clusters' as the cluster
 * admin (the built-in "Azure Kubernetes Service Cluster Admin Role" carries
 * Microsoft.ContainerService/managedClusters/runcommand/action beside listClusterAdminCredential).
 * How AKS answers an AAD cluster's command without a token is not documented: the stand-in fails it.
 */
function clusterCredential(p: Props, kube: KubeEndpoint | undefined, clusterToken: unknown): { token?: string; problem?: string } {
  const aad = (p['aadProfile'] as Props | undefined)?.['managed'] === true;
  if (typeof clusterToken === 'string' && clusterToken) return { token: clusterToken };
  if (aad) return { problem: 'The cluster uses Azure AD: the request needs clusterToken, a token for the AKS server application.' };
  return { token: kube?.adminToken };
}

function resultUrl(r: ArmRequest, cluster: ArmResource, id: string): string {
  return `${r.ctx.base}${cluster.id}/commandResults/${id}?api-version=${r.apiVersion}`;
}

function inClusterKubeconfig(kube: KubeEndpoint, token: string): string {
  const server = kube.inClusterServer!;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'in-cluster', cluster: { server, ...(server.startsWith('https:') ? { 'certificate-authority-data': Buffer.from(kube.caPem).toString('base64') } : { 'insecure-skip-tls-verify': true }) } }],
    users: [{ name: 'command', user: { token } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'command' } }],
    'current-context': 'in-cluster',
  });
}

/** Runs the command as the pod's shell would; stdout and stderr interleave in `logs`, as a pod's log does. */
function runShell(command: string, cwd: string, env: Record<string, string>): Promise<{ exitCode: number; logs: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 137 : 1), logs: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** GET .../commandResults/{commandId}: 202 while the command runs, then its result. */
export const commandResults: TypeHandler = {
  type: COMMAND_RESULTS,
  disallow: ['PUT', 'PATCH', 'DELETE'],
  reply: (env, r) => (r.method === 'GET' ? env.runCommands.result(env, r) : undefined),
};
