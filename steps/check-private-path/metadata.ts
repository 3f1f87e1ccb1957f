import { AKS_CREDENTIAL_PERMISSIONS } from '@private-wire/shared/kubernetes/permissions';
import type { StepMetadata } from '@private-wire/shared/metadata/types';

export const checkPrivatePathMetadata = {
  id: 'check-private-path',
  title: 'Check the private path',
  description:
    'Read-only check of what will break the private path from an App Service web app to an AKS cluster: regions, plan tier, the integration subnet (size, delegation, NSG, route table), the address plan against the cluster\'s network profile, DNS (the VNet\'s, the web app\'s own settings and linked private zones), peerings and node subnets, the API server\'s reachability, the Service the web app will call and the CoreDNS zone that publishes it; with `mode: verify`, also proves name resolution and a TCP connect from inside the web app. Never writes.',
  service: 'azure-and-kubernetes',
  inputs: {
    webapp: { type: 'string', required: true, description: 'Web app name, or its resource ID (a slot ID also works).' },
    'resource-group': { type: 'string', description: 'Resource group of the web app (not needed when `webapp` is a resource ID).' },
    slot: { type: 'string', description: 'Deployment slot to check. Default: the production slot.' },
    vnet: { type: 'string', required: true, description: 'Virtual network name, or its resource ID.' },
    'vnet-resource-group': { type: 'string', description: 'Resource group of the virtual network. Default: `resource-group` (or the web app\'s).' },
    subnet: { type: 'string', required: true, description: 'The integration subnet, existing or planned.' },
    'subnet-prefix': { type: 'string', description: 'IPv4 CIDR of the planned integration subnet, when it does not exist yet.' },
    'cluster-resource-group': { type: 'string', required: true, description: 'Resource group of the AKS cluster.' },
    'cluster-name': {
      type: 'string',
      required: true,
      description: 'Name of the AKS cluster: its network profile, node subnets and API server access are read; with `service` or `zone`, its credentials are fetched with the Azure sign-in when no kubeconfig or service connection is given.',
    },
    service: { type: 'string', description: 'Kubernetes Service the web app will call: read from the cluster (type, internal load balancer IP, ports) and checked against the VNet and the NSG; `verify` resolves `service`.`namespace`.`zone` from the app.' },
    namespace: { type: 'string', default: 'default', description: 'Namespace of `service`.' },
    port: { type: 'integer', min: 1, max: 65535, description: 'Port of `service`. Default for `verify`: the Service\'s port when it has exactly one TCP port.' },
    zone: { type: 'string', description: 'DNS zone the cluster\'s services are published in (CoreDNS `k8s_external`), e.g. `svc.example.internal`.' },
    'dns-ip': { type: 'string', description: 'IPv4 address the web app will send DNS queries to (the cluster DNS internal load balancer).' },
    mode: {
      type: 'choice',
      options: ['preflight', 'verify'],
      default: 'preflight',
      description: '`preflight`: before wiring, topology only. `verify`: after wiring, the topology checks plus proof from inside the web app\'s sandbox through its SCM (Kudu) command API: resolves `service`.`namespace`.`zone` with nameresolver and connects to the address and `port` with tcpping (Windows apps; on Linux apps, and when the SCM site cannot be reached or refuses the sign-in, a warning says the path was not proven).',
    },
    'fail-on': {
      type: 'choice',
      options: ['error', 'warning'],
      default: 'error',
      description: 'Fail the step when a finding of this severity (or worse) is found.',
    },
  },
  outputs: {
    findings: { description: 'JSON array of findings: {id, severity, resource, message, fix}.' },
    errors: { description: 'Number of findings of severity error.' },
    warnings: { description: 'Number of findings of severity warning.' },
    ok: { description: '`true` when no finding reaches `fail-on`.' },
  },
  task: { id: '37f30f12-9037-4727-88a7-3c6ac2c8045a', instanceNameFormat: 'Check the private path from $(webapp) to $(clusterName)', category: 'Deploy' },
  branding: { icon: 'check-circle', color: 'blue' },
  // read-world.ts only reads: the site and its plan, VNet connections, the VNet, its NSGs and route tables, the
  // managed cluster, and with `zone` the subscription's private DNS zones and their VNet links. Never writes.
  // // Actions: Microsoft Learn, Azure resource provider operations (https://learn.microsoft.com/azure/role-based-access-control/permissions/web-and-mobile, …/networking, …/containers).
  permissions: {
    azure: [
      { scope: 'the web app', scopeVar: 'WEBAPP_ID', role: 'Reader', actions: ['Microsoft.Web/sites/read', 'Microsoft.Web/sites/virtualNetworkConnections/read'] },
      { scope: 'the App Service plan', scopeVar: 'PLAN_ID', role: 'Reader', actions: ['Microsoft.Web/serverfarms/read'] },
      {
        scope: "the VNet's resource group (VNet, NSG, route table)",
        scopeVar: 'VNET_RG_ID',
        role: 'Reader',
        actions: ['Microsoft.Network/virtualNetworks/read', 'Microsoft.Network/virtualNetworks/subnets/read', 'Microsoft.Network/networkSecurityGroups/read', 'Microsoft.Network/routeTables/read'],
      },
      // read-world.ts lists the app settings (WebApps_ListApplicationSettings, a POST .../config/appsettings/list);
      // without the action the finding webapp-app-settings-not-read says so and the rest still runs.
      { scope: 'the web app', scopeVar: 'WEBAPP_ID', when: 'to compare the WEBSITE_DNS_* app settings', role: 'Website Contributor', actions: ['Microsoft.Web/sites/config/list/action'] },
      // verify.ts sends the ARM token to the SCM site's command API. Microsoft Learn, "Kudu service overview",
      // RBAC permissions required to access Kudu (https://learn.microsoft.com/azure/app-service/resources-kudu):
      // Microsoft.Web/sites/publish/Action, e.g. Website Contributor.
      { scope: 'the web app', scopeVar: 'WEBAPP_ID', when: 'with `mode: verify`', role: 'Website Contributor', actions: ['Microsoft.Web/sites/publish/action'] },
      { scope: 'the AKS cluster', scopeVar: 'CLUSTER_ID', role: 'Reader', actions: ['Microsoft.ContainerService/managedClusters/read'] },
      // read-cluster.ts reaches the API server as the Kubernetes steps do (shared planOnCluster).
      ...AKS_CREDENTIAL_PERMISSIONS,
      {
        scope: 'the subscription',
        scopeVar: 'SUBSCRIPTION_SCOPE',
        when: 'with `zone`',
        role: 'Reader',
        actions: ['Microsoft.Network/privateDnsZones/read', 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/read'],
      },
    ],
    kubernetes: [
      { namespace: 'the namespace input', resources: ['services'], verbs: ['get'], when: 'with `service`' },
      { namespace: 'kube-system', resources: ['configmaps'], verbs: ['get'], when: 'with `zone`' },
    ],
  },
} as const satisfies StepMetadata;
