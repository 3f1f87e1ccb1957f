// Who may open a connection to the stand-in's Kubernetes API. Every rule that refuses a runner's
// connection lives here and is asked in one place (connectionRefusal, from the kube server's
// `connection` handler), before TLS, as a network firewall decides.
import { contains, parseIpOrCidr } from '../arm/cidr';
import type { ArmResource } from '../arm/store';

/** The runner's side of the network, as the cluster's API server sees it. */
export interface RunnerNetwork {
  /**
   * The public IPv4 address the runner's connections come from (all of them come from loopback
   * here; this is the address a real API server would see after the runner's outbound NAT).
   */
  runnerAddress: string;
  /**
   * What a refused connection sees. `drop` (default): no answer at all, so the client times out,
   * as from a client outside the authorized ranges ("Unable to connect to the server: dial tcp
   * <API-server-IP>:443: i/o timeout", cause 1 in
   * https://learn.microsoft.com/azure/architecture/operator-guides/aks/troubleshoot-network-aks).
   * `reset`: the connection is reset at once (a firewall that rejects), which keeps tests fast.
   */
  refusal: 'drop' | 'reset';
}

type Props = Record<string, unknown>;

/**
 * Why the API server refuses the runner under `apiServerAccessProfile.authorizedIPRanges`
 * ("Requests made to the API server from an IP address that isn't part of these authorized IP
 * ranges are blocked": MicrosoftDocs/azure-aks-docs articles/aks/api-server-authorized-ip-ranges.md),
 * or undefined when it lets it in. No ranges: the API server is open to all.
 */
export function authorizedRangesRefusal(cluster: ArmResource, runnerAddress: string): string | undefined {
  const access = ((cluster.properties ?? {}) as Props).apiServerAccessProfile as Props | undefined;
  const ranges = Array.isArray(access?.authorizedIPRanges) ? (access.authorizedIPRanges as string[]) : [];
  if (ranges.length === 0) return undefined;
  const runner = parseIpOrCidr(runnerAddress);
  const inside = runner && ranges.some((range) => {
    const parsed = parseIpOrCidr(range);
    return parsed ? contains(parsed, runner) : false;
  });
  return inside ? undefined : `${runnerAddress} is outside the authorized IP ranges of ${cluster.name} (${ranges.join(', ')})`;
}

/**
 * A private cluster's API server has only a private IP in the cluster's VNet: a runner outside it
 * cannot connect at all (MicrosoftDocs/azure-aks-docs articles/aks/private-clusters.md; "you need
 * to connect to the cluster from the cluster virtual network, a peered network, or a configured
 * private endpoint", https://learn.microsoft.com/azure/aks/access-private-cluster).
 */
export function privateClusterRefusal(cluster: ArmResource): string | undefined {
  const access = ((cluster.properties ?? {}) as Props).apiServerAccessProfile as Props | undefined;
  return access?.enablePrivateCluster === true ? `${cluster.name} is a private cluster: its API server is reachable only from its VNet` : undefined;
}

/**
 * Why a connection from the runner to the cluster's API server is refused, and how, or undefined.
 * A private cluster's refusal is a reset at once (on Azure the private IP is unroutable from the
 * runner, which fails or times out; the stand-in answers fast so tests stay fast).
 */
export function connectionRefusal(cluster: ArmResource | undefined, network: RunnerNetwork): { reason: string; how: 'drop' | 'reset' } | undefined {
  if (!cluster) return undefined;
  const privately = privateClusterRefusal(cluster);
  if (privately) return { reason: privately, how: 'reset' };
  const outside = authorizedRangesRefusal(cluster, network.runnerAddress);
  return outside ? { reason: outside, how: network.refusal } : undefined;
}
