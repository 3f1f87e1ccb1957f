import type { StepMetadata } from '@private-wire/shared/metadata/types';

export const approvePeConnectionsMetadata = {
  id: 'approve-pe-connections',
  title: 'Approve private endpoint connections',
  description:
    'Approves (or rejects) pending private endpoint connections on a Private Link Service, web app or other Private Link resource, only from allowed subscriptions and endpoints or from the private origins of a given Azure Front Door profile.',
  service: 'azure',
  inputs: {
    'resource-id': {
      type: 'string',
      required: true,
      description:
        'Resource ID of the resource that receives the connections: a Microsoft.Network/privateLinkServices, a Microsoft.Web/sites, or another Private Link resource (storage account, key vault, … see the README for the list).',
    },
    action: {
      type: 'choice',
      options: ['approve', 'reject'],
      default: 'approve',
      description: 'What to do with the pending connections that pass the allowlist.',
    },
    'allowed-subscriptions': {
      type: 'list',
      description:
        "Subscription IDs (comma- or newline-separated) whose private endpoints may be acted on. `*` allows any subscription and must be written explicitly. Empty: only the resource's own subscription.",
    },
    'allowed-endpoints': {
      type: 'list',
      description:
        'Optional glob patterns on the private endpoint resource ID (case-insensitive); a connection must match one. `*` matches within one path segment, `**` across segments, e.g. `/subscriptions/*/resourceGroups/rg-web/providers/Microsoft.Network/privateEndpoints/pe-*` or `**/privateEndpoints/pe-app-*`.',
    },
    'front-door': {
      type: 'string',
      description:
        "Optional Azure Front Door Standard/Premium profile (`Microsoft.Cdn/profiles`), by name (with `front-door-resource-group`, in the sign-in's subscription) or resource ID. A pending connection whose description is exactly the request message of one of its origins with a private link to `resource-id` is acted on too, although Front Door's private endpoint is in a subscription no allowlist can name (see the README: the request message then works as a shared secret).",
    },
    'front-door-resource-group': {
      type: 'string',
      description: 'Resource group of `front-door` when it is given by name.',
    },
    description: {
      type: 'string',
      group: 'advanced',
      description:
        'Text stored on each connection with the new state. Default: names this pipeline run (GitHub repository and run ID, or Azure Pipelines repository and build ID).',
    },
    wait: {
      type: 'boolean',
      group: 'advanced',
      default: 'true',
      description: "Wait until each changed connection's provisioning has finished and its status shows the change (within `timeout`); otherwise a write the provider accepted counts as done.",
    },
  },
  outputs: {
    approved: { description: 'Number of pending connections approved (in dry-run: that would be approved).' },
    rejected: { description: 'Number of pending connections rejected (in dry-run: that would be rejected).' },
    skipped: { description: 'Number of pending connections left alone because they are outside the allowlist.' },
    connections: {
      description:
        'JSON array, one entry per connection: `id`, `endpoint`, `requesterSubscription`, `before`, `after` (states), `frontDoorOrigin` (`profile/originGroup/origin`) when a Front Door origin vouched for it, and `reason` when nothing was done.',
    },
  },
  task: {
    id: '808506e3-456c-40c4-8d03-c68f0ead927f',
    friendlyName: 'private-wire: Approve PE connections',
    instanceNameFormat: 'Approve private endpoint connections',
    category: 'Deploy',
  },
  branding: { icon: 'check-circle', color: 'green' },
  // connection-access.ts lists, reads and PUTs the target's privateEndpointConnections; front-door-read.ts
  // reads the profile, its origin groups and origins (the action names are the ones its error message asks for).
  // // Actions: Microsoft Learn, Azure resource provider operations (https://learn.microsoft.com/azure/role-based-access-control/permissions/networking, …/web-and-mobile).
  permissions: {
    azure: [
      {
        scope: 'the Private Link Service (or other target)',
        scopeVar: 'TARGET_ID',
        role: 'Network Contributor',
        actions: ['Microsoft.Network/privateLinkServices/privateEndpointConnections/read', 'Microsoft.Network/privateLinkServices/privateEndpointConnections/write'],
      },
      {
        scope: 'the target resource',
        scopeVar: 'TARGET_ID',
        when: 'with another `resource-id` type (its own actions, e.g. `Microsoft.Web/sites/privateEndpointConnections/write`; Website Contributor, Storage Account Contributor … also grant them)',
        role: 'Contributor',
        actions: ['<type>/privateEndpointConnections/read', '<type>/privateEndpointConnections/write', '<type>/privateEndpointConnectionsApproval/action'],
      },
      {
        scope: 'the Front Door profile',
        scopeVar: 'FRONT_DOOR_ID',
        when: 'with `front-door`',
        role: 'Reader',
        actions: ['Microsoft.Cdn/profiles/read', 'Microsoft.Cdn/profiles/originGroups/read', 'Microsoft.Cdn/profiles/originGroups/origins/read'],
      },
    ],
    kubernetes: [],
  },
} as const satisfies StepMetadata;
