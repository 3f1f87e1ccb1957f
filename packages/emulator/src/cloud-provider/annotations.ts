/**
 * Every Service annotation (and ARM tag) the simulated cloud-provider-azure reads or writes, named
 * as in sigs.k8s.io/cloud-provider-azure/pkg/consts. One place, so steps and tests share spelling.
 */
export const LB_INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
export const LB_INTERNAL_SUBNET = 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet';
export const LB_IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';

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

/** The PLS annotations besides `azure-pls-create` (a Service sharing another's PLS may not set them). */
export const PLS_CONFIG_ANNOTATIONS = [
  PLS_NAME,
  PLS_IP_CONFIGURATION_SUBNET,
  PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT,
  PLS_IP_CONFIGURATION_IP_ADDRESS,
  PLS_FQDNS,
  PLS_PROXY_PROTOCOL,
  PLS_VISIBILITY,
  PLS_AUTO_APPROVAL,
];

/** Tags the provider puts on resources it manages (consts.ClusterNameTagKey / OwnerServiceTagKey). */
export const TAG_CLUSTER_NAME = 'k8s-azure-cluster-name';
export const TAG_OWNER_SERVICE = 'k8s-azure-owner-service';

/** cloud-provider-azure treats only the exact string "true" as true (getBoolValueFromServiceAnnotations). */
export const isTrue = (annotations: Record<string, string> | undefined, key: string) => annotations?.[key] === 'true';
