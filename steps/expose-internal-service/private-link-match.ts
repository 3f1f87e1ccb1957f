// Which Private Link Service is the one cloud-provider-azure made for this Service on this cluster.
// Pure: the ARM reads are in private-link-lookup.ts.
//
// The `k8s-azure-cluster-name` tag cannot tell clusters apart on AKS: AKS runs the controller with
// the default `--cluster-name`, `kubernetes` (k8s.io/cloud-provider config/v1alpha1/defaults.go),
// so every AKS cluster tags its PLS `k8s-azure-cluster-name: kubernetes` (cloud-provider-azure
// pkg/provider/azure_privatelinkservice.go reconcilePLSTags; tag keys in pkg/consts/consts.go
// ClusterNameTagKey / OwnerServiceTagKey). What does tell them apart:
// - the node resource group: the provider puts its load balancers there (getLoadBalancerResourceGroup:
//   az.ResourceGroup, the MC_… group on AKS), so the PLS of this cluster's Service references a
//   frontend of a load balancer in it (PLS `loadBalancerFrontendIpConfigurations[].id`), wherever
//   `pls-resource-group` puts the PLS itself;
// - the frontend's private IP (`frontendIPConfigurations[].properties.privateIPAddress`), which is the
//   Service's load balancer IP: how cloud-provider-azure's own e2e tests find the PLS of a Service
//   (tests/e2e/network/private_link_service.go getPrivateLinkServiceFromIP).
import { TAG_OWNER_SERVICE } from '@private-wire/shared/kubernetes/azure-annotations';

/** What the match needs of a Private Link Service. */
export interface PlsCandidate {
  id: string;
  name: string;
  alias?: string;
  tags?: Record<string, string>;
  /** Resource IDs of the load balancer frontend IP configurations it is attached to. */
  frontendIds: string[];
}

export type PlsLookup = { found: PlsCandidate } | { problem: string };

/** A frontend IP configuration ID's parts: `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/loadBalancers/{lb}/frontendIPConfigurations/{name}`. */
export function parseFrontendId(id: string): { subscriptionId: string; resourceGroup: string; loadBalancer: string; name: string } | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/loadBalancers\/([^/]+)\/frontendIPConfigurations\/([^/]+)$/i.exec(id);
  return m ? { subscriptionId: m[1]!, resourceGroup: m[2]!, loadBalancer: m[3]!, name: m[4]! } : undefined;
}

const same = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/**
 * The PLSs cloud-provider-azure made for `owner` (`namespace/service`, its owner tag), named `name`
 * when given, and, when the cluster's node resource group is known, attached to a load balancer in it.
 */
export function ownedCandidates(all: readonly PlsCandidate[], q: { owner: string; name?: string; nodeResourceGroup?: string }): PlsCandidate[] {
  return all.filter(
    (p) =>
      p.tags?.[TAG_OWNER_SERVICE] === q.owner &&
      (!q.name || same(p.name, q.name)) &&
      (!q.nodeResourceGroup || p.frontendIds.some((f) => same(parseFrontendId(f)?.resourceGroup, q.nodeResourceGroup))),
  );
}

/**
 * Whether the frontends' IPs must be compared with the Service's: always when the cluster is not
 * known (a PLS tagged for the same Service may belong to another cluster), and as a tie-breaker.
 */
export function needsIpMatch(candidates: readonly PlsCandidate[], nodeResourceGroup: string | undefined): boolean {
  return candidates.length > 1 || (candidates.length === 1 && !nodeResourceGroup);
}

export interface ChooseQuery {
  owner: string;
  /** Where the PLSs were listed, for messages (`resource group X`, `subscription Y`). */
  where: string;
  nodeResourceGroup?: string;
  /** The Service's load balancer IP, when it has one. */
  ip?: string;
  /** Private IP of each frontend read (by lower-cased frontend ID); undefined when it has none. */
  frontendIps: ReadonlyMap<string, string | undefined>;
  inputName: (kebab: string) => string;
}

/** The one PLS of this Service on this cluster, or why there is none to report. */
export function choosePrivateLinkService(candidates: readonly PlsCandidate[], q: ChooseQuery): PlsLookup {
  const onCluster = q.nodeResourceGroup ? ` on load balancers in node resource group ${q.nodeResourceGroup}` : '';
  if (candidates.length === 0) return { problem: `no Private Link Service tagged ${TAG_OWNER_SERVICE}=${q.owner}${onCluster} was found in ${q.where} (yet)` };
  const identify = `give '${q.inputName('cluster-resource-group')}' and '${q.inputName('cluster-name')}' to name the AKS cluster`;
  if (!needsIpMatch(candidates, q.nodeResourceGroup)) return { found: candidates[0]! };
  if (!q.ip) {
    return { problem: `${candidates.length} Private Link Service(s) tagged ${TAG_OWNER_SERVICE}=${q.owner} in ${q.where} cannot be matched to this cluster: the Service has no load balancer IP yet to compare with their frontends; ${identify}, or wait for the IP` };
  }
  const onIp = candidates.filter((p) => p.frontendIds.some((f) => q.frontendIps.get(f.toLowerCase()) === q.ip));
  if (onIp.length === 1) return { found: onIp[0]! };
  if (onIp.length === 0) {
    return { problem: `none of the Private Link Services tagged ${TAG_OWNER_SERVICE}=${q.owner} in ${q.where} (${candidates.map((p) => p.id).join(', ')}) is on a load balancer frontend with the Service's IP ${q.ip}` };
  }
  return {
    problem: `${onIp.length} Private Link Services tagged ${TAG_OWNER_SERVICE}=${q.owner} in ${q.where} are on frontends with IP ${q.ip} (${onIp.map((p) => p.id).join(', ')}); ${identify}`,
  };
}
