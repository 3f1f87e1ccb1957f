/**
 * Service annotations (and ARM tags) cloud-provider-azure reads, spelled as in
 * sigs.k8s.io/cloud-provider-azure/pkg/consts, and the way it parses their values. One place, so
 * every step writes the same names and validates values the way the provider will read them.
 * (The stand-in's simulated provider keeps its own list on purpose, as the real provider would.)
 */
export const LB_INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
/** A subnet name (not an id) in the cluster's VNet. */
export const LB_INTERNAL_SUBNET = 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet';
/** Pins the frontend IP; replaces the deprecated `spec.loadBalancerIP`. */
export const LB_IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';

/** Every Private Link Service annotation starts with this. */
export const PLS_PREFIX = 'service.beta.kubernetes.io/azure-pls-';
export const PLS_CREATE = 'service.beta.kubernetes.io/azure-pls-create';
export const PLS_NAME = 'service.beta.kubernetes.io/azure-pls-name';
export const PLS_RESOURCE_GROUP = 'service.beta.kubernetes.io/azure-pls-resource-group';
export const PLS_IP_CONFIGURATION_SUBNET = 'service.beta.kubernetes.io/azure-pls-ip-configuration-subnet';
export const PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT = 'service.beta.kubernetes.io/azure-pls-ip-configuration-ip-address-count';
export const PLS_IP_CONFIGURATION_IP_ADDRESS = 'service.beta.kubernetes.io/azure-pls-ip-configuration-ip-address';
export const PLS_FQDNS = 'service.beta.kubernetes.io/azure-pls-fqdns';
export const PLS_PROXY_PROTOCOL = 'service.beta.kubernetes.io/azure-pls-proxy-protocol';
export const PLS_VISIBILITY = 'service.beta.kubernetes.io/azure-pls-visibility';
export const PLS_AUTO_APPROVAL = 'service.beta.kubernetes.io/azure-pls-auto-approval';

/** Tags the provider puts on the PLS it creates (consts.ClusterNameTagKey / OwnerServiceTagKey). */
export const TAG_CLUSTER_NAME = 'k8s-azure-cluster-name';
/** Value: `<namespace>/<service>`. */
export const TAG_OWNER_SERVICE = 'k8s-azure-owner-service';

/** The Warning event reason the service controller records when it cannot ensure the load balancer. */
export const SYNC_LOAD_BALANCER_FAILED = 'SyncLoadBalancerFailed';
/** The Normal event reason the service controller records after each successful reconcile. */
export const ENSURED_LOAD_BALANCER = 'EnsuredLoadBalancer';

/** PLS IP configuration count bounds the provider enforces. */
export const PLS_IP_COUNT_MIN = 1;
export const PLS_IP_COUNT_MAX = 8;

/**
 * The boolean annotations are true only for the string "true" (older providers compare exactly,
 * newer ones ignore case), so steps always write exactly "true". List annotations (PLS IPs,
 * visibility, auto-approval, fqdns) are split on single spaces: commas are not separators.
 */
export const TRUE = 'true';

/** The text a list input becomes in an annotation: space-separated, as the provider splits it. */
export function joinWords(values: readonly string[]): string {
  return values.join(' ');
}
