import type { StepMetadata } from '@private-wire/shared/metadata/types';
import { AKS_CREDENTIAL_PERMISSIONS } from '@private-wire/shared/kubernetes/permissions';
import { PLS_IP_COUNT_MAX, PLS_IP_COUNT_MIN } from '@private-wire/shared/kubernetes/azure-annotations';

export const exposeInternalServiceMetadata = {
  id: 'expose-internal-service',
  title: 'Expose internal service',
  description:
    'Puts a Kubernetes Service on an Azure internal load balancer (optionally behind a Private Link Service) and waits for its private IP.',
  // Azure sign-in stays optional: it is used only to read the Private Link Service from ARM.
  service: 'kubernetes',
  inputs: {
    namespace: { type: 'string', default: 'default', description: 'Namespace of the Service.' },
    service: { type: 'string', required: true, description: 'Name of the Service to expose (created when missing, from selector and ports).' },
    selector: {
      type: 'list',
      description: 'Pod selector for a Service that does not exist yet, as `key=value` pairs (comma- or newline-separated). Ignored for an existing Service.',
    },
    ports: {
      type: 'list',
      description:
        'Ports for a Service that does not exist yet: `port[:targetPort][/protocol]`, comma-separated, e.g. `80:8080/TCP,443:8443`. Ignored for an existing Service.',
    },
    subnet: {
      type: 'string',
      description: 'Subnet (name, in the cluster\'s VNet) for the internal load balancer IP (`azure-load-balancer-internal-subnet`). Default: the node subnet.',
    },
    ip: {
      type: 'string',
      description: 'Private IPv4 address to pin (`azure-load-balancer-ipv4`); must be free and inside the subnet. A `spec.loadBalancerIP` already set is moved to this annotation.',
    },
    'private-link': {
      type: 'boolean',
      label: 'Private Link Service',
      description:
        '`true`: a Private Link Service in front of the internal load balancer (`azure-pls-create`), made exactly as the `pls-*` inputs say. `false`: remove the one this step made (cloud-provider-azure then deletes it and its private endpoint connections; the plan says so). Empty: leave it as it is.',
      optionLabels: { '': 'Leave as it is', true: 'Create or keep one', false: 'Remove the one this step made' },
    },
    'pls-name': { type: 'string', label: 'Private Link Service name', visibleWhen: { 'private-link': 'true' }, description: 'Name of the Private Link Service (`azure-pls-name`). Default: `pls-<frontend name>`; cannot change once created.' },
    'pls-resource-group': { type: 'string', label: 'Private Link Service resource group', visibleWhen: { 'private-link': 'true' }, description: 'Resource group of the Private Link Service (`azure-pls-resource-group`). Default: the node resource group (MC_…).' },
    'pls-subnet': { type: 'string', label: 'Private Link Service NAT subnet', visibleWhen: { 'private-link': 'true' }, description: 'Subnet (name) for the Private Link Service NAT IPs (`azure-pls-ip-configuration-subnet`). Default: the load balancer subnet.' },
    'pls-ip-count': {
      type: 'integer', label: 'Number of NAT IPs', visibleWhen: { 'private-link': 'true' },
      min: PLS_IP_COUNT_MIN,
      max: PLS_IP_COUNT_MAX,
      description: 'Number of NAT IPs of the Private Link Service, 1–8 (`azure-pls-ip-configuration-ip-address-count`). Default: 1.',
    },
    'pls-ips': {
      type: 'list', label: 'Static NAT IPs', visibleWhen: { 'private-link': 'true' },
      description: 'Static IPv4 NAT IPs of the Private Link Service (`azure-pls-ip-configuration-ip-address`); at most `pls-ip-count`. The first is primary.',
    },
    'pls-visibility': {
      type: 'list', label: 'Visible to subscriptions', visibleWhen: { 'private-link': 'true' },
      description: 'Subscription IDs that may see the Private Link Service, or `*` for everyone (`azure-pls-visibility`).',
    },
    'pls-auto-approval': {
      type: 'list', label: 'Auto-approved subscriptions', visibleWhen: { 'private-link': 'true' },
      description:
        'Subscription IDs whose private endpoints are approved automatically (`azure-pls-auto-approval`). Each must be one the Private Link Service is visible to: listed in `pls-visibility`, or `pls-visibility` is `*`.',
    },
    'pls-proxy-protocol': { type: 'boolean', label: 'Send PROXY protocol v2', visibleWhen: { 'private-link': 'true' }, default: 'false', description: 'Send PROXY protocol v2 to the backends (`azure-pls-proxy-protocol`); the app must expect it.' },
    wait: { type: 'boolean', group: 'advanced', default: 'true', description: 'Wait until the load balancer has its private IP.' },
    timeout: { type: 'integer', default: '600', min: 1, max: 3600, description: 'How long the step may take in all, the wait for the IP included, in seconds.' },
  },
  outputs: {
    ip: { description: 'Private IP of the internal load balancer (empty when not waiting and not assigned yet).' },
    'pls-alias': {
      description:
        'Alias of the Private Link Service (with private-link and an Azure sign-in), to create private endpoints against. Found in the node resource group of the cluster named by cluster-resource-group and cluster-name, else by the load balancer IP.',
    },
    'pls-id': { description: 'Resource ID of the Private Link Service (with private-link and an Azure sign-in; found as for pls-alias).' },
  },
  task: { id: '90b57703-847a-4224-a28d-532dba0ac383', instanceNameFormat: 'Expose $(namespace)/$(service) on an internal load balancer' },
  branding: { icon: 'shield', color: 'blue' },
  // service-changes.ts reads the Service and its Namespace (cluster-scoped), creates or applies (PATCH) the
  // Service; load-balancer.ts lists and watches the Service and its events. private-link-lookup.ts lists Private
  // Link Services and reads their load balancers.
  // // Actions: Microsoft Learn, Azure resource provider operations (https://learn.microsoft.com/azure/role-based-access-control/permissions/networking).
  permissions: {
    azure: [
      ...AKS_CREDENTIAL_PERMISSIONS,
      {
        scope: 'the node resource group',
        scopeVar: 'NODE_RG_ID',
        when: 'with `private-link`',
        role: 'Reader',
        actions: ['Microsoft.Network/privateLinkServices/read', 'Microsoft.Network/loadBalancers/read'],
      },
    ],
    kubernetes: [
      { namespace: 'the namespace input', resources: ['services'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
      { namespace: 'the namespace input', resources: ['events'], verbs: ['list', 'watch'] },
      { namespace: 'cluster', resources: ['namespaces'], verbs: ['get'] },
    ],
  },
} as const satisfies StepMetadata;
