import type { StepMetadata } from '@private-wire/shared/metadata/types';

export const vnetIntegrateWebappMetadata = {
  id: 'vnet-integrate-webapp',
  title: 'VNet-integrate a web app',
  description:
    'Regional VNet integration of an App Service web app (or slot) into a subnet delegated to Microsoft.Web/serverFarms, creating or delegating the subnet when needed.',
  service: 'azure',
  inputs: {
    webapp: { type: 'string', required: true, description: 'Web app name, or its resource ID (a slot ID also works).' },
    'resource-group': { type: 'string', description: 'Resource group of the web app (not needed when `webapp` is a resource ID).' },
    slot: { type: 'string', description: 'Deployment slot to integrate. Default: the production slot.' },
    vnet: { type: 'string', required: true, description: 'Virtual network name, or its resource ID. Must be in the web app\'s region.' },
    'vnet-resource-group': { type: 'string', description: 'Resource group of the virtual network. Default: `resource-group` (or the web app\'s).' },
    subnet: { type: 'string', required: true, description: 'Subnet name for the integration (delegated to Microsoft.Web/serverFarms, or empty and undelegated).' },
    'subnet-prefix': {
      type: 'string',
      description: 'IPv4 CIDR (at least /28, /26 recommended) to create the subnet with when it does not exist. When it exists, must match or be empty.',
    },
    'route-all': {
      type: 'boolean',
      description: 'Route all outbound traffic through the VNet (`true`) or only private ranges (`false`). Empty: leave the setting as it is.',
      optionLabels: { '': 'Leave as it is', true: 'All outbound traffic', false: 'Private ranges only' },
    },
  },
  outputs: {
    'subnet-id': { description: 'Resource ID of the integration subnet.' },
  },
  task: { id: '63def862-3c45-4866-8026-e584fca3e075', instanceNameFormat: 'VNet-integrate $(webapp) into $(subnet)', category: 'Deploy' },
  branding: { icon: 'share-2', color: 'blue' },
  // From site-integration.ts (GET/PATCH site, PATCH config/web, GET plan, list VNet connections and app
  // settings) and step.ts / subnet-writes.ts (GET VNet, GET/PUT subnet; the site PATCH joins the subnet).
  // // Actions: Microsoft Learn, Azure resource provider operations (https://learn.microsoft.com/azure/role-based-access-control/permissions/web-and-mobile, …/networking).
  permissions: {
    azure: [
      {
        scope: 'the web app',
        scopeVar: 'WEBAPP_ID',
        role: 'Website Contributor',
        actions: ['Microsoft.Web/sites/read', 'Microsoft.Web/sites/write', 'Microsoft.Web/sites/config/write', 'Microsoft.Web/sites/config/list/action', 'Microsoft.Web/sites/virtualNetworkConnections/read'],
      },
      { scope: 'the App Service plan', scopeVar: 'PLAN_ID', role: 'Reader', actions: ['Microsoft.Web/serverfarms/read'] },
      {
        scope: 'the VNet',
        scopeVar: 'VNET_ID',
        role: 'Network Contributor',
        actions: ['Microsoft.Network/virtualNetworks/read', 'Microsoft.Network/virtualNetworks/subnets/read', 'Microsoft.Network/virtualNetworks/subnets/write', 'Microsoft.Network/virtualNetworks/subnets/join/action'],
      },
    ],
    kubernetes: [],
  },
} as const satisfies StepMetadata;
