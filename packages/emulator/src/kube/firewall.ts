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

/** Why a connection from the runner to the cluster's API server is refused, or undefined. */
export function connectionRefusal(cluster: ArmResource | undefined, network: RunnerNetwork): string | undefined {
  if (!cluster) return undefined;
  return authorizedRangesRefusal(cluster, network.runnerAddress);
}
