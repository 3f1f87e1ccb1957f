// Why a cluster's API server cannot be reached from this runner, in words the user can act on:
// an AKS cluster locked to authorized IP ranges (is this runner's address inside them?) or a
// private cluster (reachable only from its virtual network). Pure: the facts are gathered when
// the connection is made (aks-credentials.ts readApiServerAccess, connection.ts).
import { cidrContains, isIpv4, parseIpv4Cidr, type Ipv4Cidr } from '../net/ipv4';

/** What is known about the API server's network access when the cluster was named by the inputs. */
export interface ApiServerAccess {
  /** `AKS cluster rg/name`. */
  cluster: string;
  /** apiServerAccessProfile.authorizedIPRanges (empty: open to all). */
  authorizedRanges: string[];
  /** apiServerAccessProfile.enablePrivateCluster. */
  isPrivate: boolean;
  privateFqdn?: string;
}

/** What the diagnosis may use besides the cluster's facts. */
export interface UnreachableContext {
  server: string;
  access?: ApiServerAccess;
  /** This runner's public address when a step of this job learned it (aks-api-access exports it). */
  runnerAddress?: string;
  /** Input names as the running host spells them. */
  inputName(kebab: string): string;
}

/**
 * The environment variable through which aks-api-access tells later steps of the job the runner's
 * public address (GitHub: GITHUB_ENV via core.exportVariable; Azure Pipelines: a job variable, which
 * the agent passes to later tasks as an environment variable).
 */
export const RUNNER_ADDRESS_VARIABLE = 'PRIVATE_WIRE_RUNNER_IP';

/**
 * An AKS private cluster's private FQDN: `<dnsPrefix>-<hash>.<guid>.privatelink.<region>.azmk8s.io`
 * (the private DNS zone `privatelink.<region>.azmk8s.io`: MicrosoftDocs/azure-aks-docs
 * articles/aks/private-clusters.md, "Configure a private DNS zone").
 */
export function isPrivateClusterHost(server: string): boolean {
  let host: string;
  try {
    host = new URL(server).hostname.toLowerCase();
  } catch {
    return false;
  }
  return /\.privatelink\.[a-z0-9-]+\.azmk8s\.io$/.test(host);
}

function parseRange(text: string): Ipv4Cidr | undefined {
  const trimmed = text.trim();
  return parseIpv4Cidr(isIpv4(trimmed) ? `${trimmed}/32` : trimmed);
}

function listed(ranges: string[]): string {
  const shown = ranges.slice(0, 10).join(', ');
  return ranges.length > 10 ? `${shown}, … (${ranges.length} in all)` : shown;
}

/** Whether the runner's address is inside the ranges: the covering range, 'outside', or undefined when unknown. */
function runnerVerdict(ranges: string[], runnerAddress: string | undefined): { inside?: string; known: boolean } {
  const runner = runnerAddress ? parseRange(runnerAddress) : undefined;
  if (!runner) return { known: false };
  const inside = ranges.find((range) => {
    const parsed = parseRange(range);
    return parsed !== undefined && cidrContains(parsed, runner);
  });
  return { inside, known: true };
}

function rangesHint(c: UnreachableContext, access: ApiServerAccess): string {
  const { inside, known } = runnerVerdict(access.authorizedRanges, c.runnerAddress);
  const head = `${access.cluster} accepts API server connections only from its authorized IP ranges (${listed(access.authorizedRanges)}).`;
  if (known && inside) {
    return `${head} This runner's address ${c.runnerAddress} is inside them (${inside}), so the ranges are not what blocks it: check the runner's network and proxy, and that the update adding the range has finished.`;
  }
  const where = known ? `This runner's address ${c.runnerAddress} is not inside them.` : "This runner's public address is not known here.";
  return `${head} ${where} Run the aks-api-access step before this one: it adds this runner's address for the job and removes it afterwards.`;
}

function privateHint(c: UnreachableContext, cluster: string): string {
  return `${cluster} is a private cluster: its API server is reachable only from inside its virtual network (or one peered or connected to it). Set '${c.inputName('private-cluster')}: true' on this step to go through the AKS run command API instead, or run on a self-hosted agent in that network.`;
}

/** The hint for an API server that cannot be reached (refused, reset, timed out). */
export function unreachableHint(c: UnreachableContext): string {
  const { access } = c;
  if ((access?.isPrivate && (!access.privateFqdn || c.server.toLowerCase().includes(access.privateFqdn.toLowerCase()))) || isPrivateClusterHost(c.server)) {
    return privateHint(c, access?.cluster ?? 'The cluster');
  }
  if (access && access.authorizedRanges.length > 0) return rangesHint(c, access);
  return "If the cluster's API server is locked to authorized IP ranges, run the aks-api-access step before this one (it adds this runner's address for the job); a private cluster is reachable only from its VNet (use a self-hosted agent there, or the Kubernetes steps' private-cluster input).";
}
