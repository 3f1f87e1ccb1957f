import type { InputValues } from '../engine/inputs';
import type { InputSpec } from '../metadata/types';
import { ENVIRONMENT_NAMES, tokenExchangeAudience } from './environment';

/** Azure sign-in inputs, as every Azure step declares them (see azureInputs for `required`). */
const AZURE_INPUTS = {
  'azure-subscription': {
    type: 'service-connection',
    connection: 'AzureRM',
    host: 'azure-pipelines',
    required: true,
    label: 'Azure subscription',
    description: 'Azure Resource Manager service connection (workload identity federation, service principal or managed identity).',
  },
  'client-id': {
    type: 'string',
    host: 'github',
    description:
      'Client ID of the app registration or user-assigned identity to sign in as with GitHub OIDC (needs `permissions: id-token: write`). Without it: AZURE_* environment variables, managed identity, then an `az` session (azure/login).',
  },
  'tenant-id': { type: 'string', host: 'github', description: 'Entra ID tenant of `client-id`.' },
  audience: {
    type: 'string',
    host: 'github',
    description:
      "Audience of the GitHub OIDC token, as set on the federated credential. Default: the one Entra ID's federated credentials use in the `environment`: `api://AzureADTokenExchangeUSGov` in AzureUSGovernment, `api://AzureADTokenExchangeChina` in AzureChinaCloud, otherwise `api://AzureADTokenExchange`.",
  },
  'subscription-id': {
    type: 'string',
    description: 'Subscription to work in. Default: the service connection\'s (Azure Pipelines), AZURE_SUBSCRIPTION_ID, or the `az` session\'s.',
  },
  // The cloud inputs are not in task.json: an AzureRM service connection carries its cloud (its
  // `environment` data, and for Azure Stack Hub its URL and authority; see cloudChoice in
  // credential.ts), so the task editor offers no second place to set it.
  environment: {
    type: 'choice',
    notInTaskJson: true,
    options: ENVIRONMENT_NAMES,
    description:
      "Azure cloud. Default: AzureCloud (on Azure Pipelines, the service connection's; an Azure Stack Hub connection's authority and ARM token audience come from its data or from the stack's `/metadata/endpoints`). `Custom` needs `resource-manager-endpoint`.",
  },
  'resource-manager-endpoint': { type: 'string', notInTaskJson: true, description: 'ARM endpoint of a Custom environment (Azure Stack Hub, a local stand-in).' },
  'authority-host': {
    type: 'string',
    notInTaskJson: true,
    description:
      'Authority host of a Custom environment (an AD FS authority ends in `/adfs`); ARM tokens are then asked for the ARM endpoint as audience. Without it, the authority and the ARM token audience are read from `<resource-manager-endpoint>/metadata/endpoints`, as on Azure Stack Hub.',
  },
} as const satisfies Record<string, InputSpec>;

export type AzureInputs = typeof AZURE_INPUTS;

/** Azure sign-in inputs. `required` tells whether the step cannot run without Azure at all. */
export function azureInputs(required: boolean): Record<string, InputSpec> {
  return { ...AZURE_INPUTS, 'azure-subscription': { ...AZURE_INPUTS['azure-subscription'], required } };
}

/** The parsed values of azureInputs. */
export interface AzureSignInSettings {
  clientId?: string;
  tenantId?: string;
  audience: string;
  subscriptionId?: string;
  environment?: string;
  resourceManagerEndpoint?: string;
  authorityHost?: string;
}

export function azureSignInSettings(inputs: InputValues<AzureInputs>): AzureSignInSettings {
  return {
    clientId: inputs['client-id'],
    tenantId: inputs['tenant-id'],
    // The per-cloud default the description states (environment.ts TOKEN_EXCHANGE_AUDIENCES).
    audience: inputs.audience ?? tokenExchangeAudience(inputs.environment),
    subscriptionId: inputs['subscription-id'],
    environment: inputs.environment,
    resourceManagerEndpoint: inputs['resource-manager-endpoint'],
    authorityHost: inputs['authority-host'],
  };
}
