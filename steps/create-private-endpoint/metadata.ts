import type { StepMetadata } from '@private-wire/shared/metadata/types';

export const createPrivateEndpointMetadata = {
  id: 'create-private-endpoint',
  title: 'Create a private endpoint',
  description:
    "Requests a private endpoint (consumer side) to a Private Link Service alias or a Private Link resource, in a subnet of the consumer's VNet; optionally waits for the provider's approval and writes an A record for its IP into a private DNS zone.",
  service: 'azure',
  inputs: {
    name: { type: 'string', required: true, description: 'Name of the private endpoint.' },
    'resource-group': { type: 'string', required: true, description: 'Resource group of the private endpoint (its network interface goes there too).' },
    vnet: { type: 'string', required: true, description: 'Virtual network of the endpoint: a name, or its resource ID. Its region is the endpoint\'s region.' },
    'vnet-resource-group': { type: 'string', description: 'Resource group of the virtual network. Default: `resource-group`.' },
    subnet: { type: 'string', required: true, description: 'Subnet the endpoint\'s network interface (and private IP) goes into.' },
    target: {
      type: 'string',
      required: true,
      description:
        'What to connect to: a Private Link Service alias (`<name>.<guid>.<region>.azure.privatelinkservice`), or the resource ID of a Private Link Service or another Private Link resource (web app, storage account, key vault, SQL server, …).',
    },
    'group-id': {
      type: 'string',
      description: 'Sub-resource of the target (e.g. `sites`, `blob`, `vault`, `sqlServer`). Required for targets other than a Private Link Service; empty for a Private Link Service or an alias.',
    },
    'request-message': {
      type: 'string',
      group: 'advanced',
      description: 'Message the provider sees with a manual request (at most 140 characters). Default: names this pipeline run.',
    },
    approval: {
      type: 'choice',
      options: ['manual', 'auto'],
      default: 'manual',
      description:
        '`manual`: the provider approves the request (it stays Pending until then). `auto`: approved at once, which needs the right to approve on the target (`…/privateEndpointConnectionsApproval/action`).',
    },
    'wait-for-approval': {
      type: 'boolean',
      default: 'false',
      description: 'Wait (within `timeout`) until the connection is no longer Pending, and fail if it is not Approved then.',
    },
    'dns-zone': { type: 'string', description: 'Private DNS zone (name or resource ID) to write an A record for the endpoint\'s IP into. Empty: no DNS record.' },
    'dns-zone-resource-group': { type: 'string', description: 'Resource group of the private DNS zone. Default: `resource-group`.' },
    'dns-record': { type: 'string', description: 'Name of the A record, relative to the zone (e.g. `api` or `@`). Required with `dns-zone`.' },
  },
  outputs: {
    'private-endpoint-id': { description: 'Resource ID of the private endpoint.' },
    ip: { description: "The endpoint's private IP address (from its network interface); empty in a dry run before it exists." },
    status: { description: 'State of the connection: Pending, Approved, Rejected or Disconnected; empty in a dry run before it exists.' },
  },
  task: {
    id: '57df895c-5641-486a-b4fb-a0b1047ee93d',
    instanceNameFormat: 'Create private endpoint $(name)',
    category: 'Deploy',
  },
  branding: { icon: 'link', color: 'blue' },
  // endpoint-io.ts reads the VNet, checks an alias's visibility, reads and PUTs (If-None-Match) the endpoint,
  // which joins the subnet, and reads its NIC for the IP; dns-io.ts reads the zone, its links and the A record
  // and PUTs the record with If-Match.
  // // Actions: Microsoft Learn, Azure resource provider operations (https://learn.microsoft.com/azure/role-based-access-control/permissions/networking).
  permissions: {
    azure: [
      {
        scope: "the endpoint's resource group",
        scopeVar: 'PE_RG_ID',
        role: 'Network Contributor',
        actions: ['Microsoft.Network/privateEndpoints/read', 'Microsoft.Network/privateEndpoints/write', 'Microsoft.Network/networkInterfaces/read'],
      },
      {
        scope: 'the VNet',
        scopeVar: 'VNET_ID',
        role: 'Network Contributor',
        actions: ['Microsoft.Network/virtualNetworks/read', 'Microsoft.Network/virtualNetworks/subnets/join/action'],
      },
      {
        scope: 'the subscription',
        scopeVar: 'SUBSCRIPTION_SCOPE',
        when: 'with an alias',
        role: 'Network Contributor',
        actions: ['Microsoft.Network/locations/checkPrivateLinkServiceVisibility/action'],
      },
      {
        scope: 'the private DNS zone',
        scopeVar: 'ZONE_ID',
        when: 'with `dns-zone`',
        role: 'Private DNS Zone Contributor',
        actions: ['Microsoft.Network/privateDnsZones/read', 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/read', 'Microsoft.Network/privateDnsZones/A/read', 'Microsoft.Network/privateDnsZones/A/write'],
      },
      {
        scope: 'the target resource',
        scopeVar: 'TARGET_ID',
        when: 'with `approval: auto`',
        role: 'Contributor',
        actions: ['<type>/privateEndpointConnectionsApproval/action'],
      },
    ],
    kubernetes: [],
  },
} as const satisfies StepMetadata;
