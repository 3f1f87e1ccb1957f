import { UserError } from '../errors';

/** Where ARM and the identity provider are for one Azure cloud, and how to ask for ARM tokens. */
export interface AzureEnvironment {
  /** The `environment` input's value, or `AzureStack` for an Azure Stack Hub service connection. */
  name: string;
  /** ARM endpoint, with a trailing slash. */
  resourceManagerEndpoint: string;
  /** Authority host handed to @azure/identity, with a trailing slash (for AD FS: without `/adfs`). */
  authorityHost: string;
  /** ARM's token audience: its URL in the public clouds; on Azure Stack Hub the one its metadata names. */
  armAudience: string;
  /** Token scope for ARM. */
  armScope: string;
  /** `adfs` on AD FS stacks: every credential signs in to that tenant instead of the identity's. */
  tenant?: 'adfs';
  /**
   * MSAL asks the public cloud's instance discovery about an authority it does not know: wrong
   * for Azure Stack Hub (AD FS or its own login host) and the stand-in, right for the clouds.
   */
  disableInstanceDiscovery: boolean;
}

/**
 * The clouds `environment` names. ARM endpoints and authority hosts as azure-cli's built-in clouds
 * (Azure/azure-cli src/azure-cli-core/azure/cli/core/cloud.py: AZURE_PUBLIC_CLOUD,
 * AZURE_US_GOV_CLOUD, AZURE_CHINA_CLOUD); their ARM token audience is the ARM URL, as
 * AzureRMEndpoint does for every environment but AzureStack (microsoft/azure-pipelines-tasks-common-packages
 * common-npm-packages/azure-arm-rest/azure-arm-endpoint.ts: `activeDirectoryResourceID = url`).
 */
const CLOUDS: Record<string, { resourceManagerEndpoint: string; authorityHost: string }> = {
  AzureCloud: { resourceManagerEndpoint: 'https://management.azure.com/', authorityHost: 'https://login.microsoftonline.com/' },
  AzureUSGovernment: { resourceManagerEndpoint: 'https://management.usgovcloudapi.net/', authorityHost: 'https://login.microsoftonline.us/' },
  AzureChinaCloud: { resourceManagerEndpoint: 'https://management.chinacloudapi.cn/', authorityHost: 'https://login.chinacloudapi.cn/' },
};

export const ENVIRONMENT_NAMES = [...Object.keys(CLOUDS), 'Custom'] as const;

/**
 * The audience a federated credential trusts, per cloud (Microsoft Entra workload identity
 * federation, https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity:
 * global `api://AzureADTokenExchange`, US Government `api://AzureADTokenExchangeUSGov`, China
 * operated by 21Vianet `api://AzureADTokenExchangeChina`). Other environments (Custom) use the global one.
 */
export const TOKEN_EXCHANGE_AUDIENCES: Record<string, string> = {
  AzureCloud: 'api://AzureADTokenExchange',
  AzureUSGovernment: 'api://AzureADTokenExchangeUSGov',
  AzureChinaCloud: 'api://AzureADTokenExchangeChina',
};

/** The default `audience` of the GitHub ID token for an `environment` (undefined: AzureCloud). */
export function tokenExchangeAudience(environment: string | undefined): string {
  return TOKEN_EXCHANGE_AUDIENCES[environment ?? 'AzureCloud'] ?? TOKEN_EXCHANGE_AUDIENCES.AzureCloud!;
}

/** What the inputs, or an Azure Stack Hub service connection, say about the cloud. */
export interface CloudChoice {
  /** An ENVIRONMENT_NAMES value, or `AzureStack` (from an Azure Pipelines service connection). */
  name: string;
  resourceManagerEndpoint?: string;
  /** The authority (host, or AD FS authority ending in `/adfs`). */
  authorityHost?: string;
  /** ARM's token audience, when the connection names it (`activeDirectoryServiceEndpointResourceId`). */
  armAudience?: string;
  /** The connection says the stack signs in with AD FS (`EnableAdfsAuthentication`). */
  adfs?: boolean;
}

/** What ARM's `/metadata/endpoints` says about signing in (see arm-metadata.ts). */
export interface ArmSignInMetadata {
  loginEndpoint: string;
  audience: string;
}

type InputName = (kebab: string) => string;

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

function httpsUrl(input: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`Input '${input}' is '${value}', which is not a URL.`, 'Give the full https:// URL.');
  }
  if (url.protocol !== 'https:') {
    throw new UserError(`Input '${input}' is '${value}', which is not https.`, 'Azure SDKs send tokens over https only.');
  }
  return withSlash(url.toString());
}

/**
 * The ARM endpoint whose `/metadata/endpoints` must be read before signing in, or undefined when
 * the choice is complete. Checks the choice first (no request is made for a bad one): an Azure
 * Stack Hub connection without its authority or audience reads them from ARM as the built-in
 * tasks do (azure-arm-endpoint.ts `_updateAzureStackData`, called when `environmentAuthorityUrl`
 * or `activeDirectoryServiceEndpointResourceId` is missing); so does `Custom` without `authority-host`.
 */
export function metadataToRead(choice: CloudChoice, inputName: InputName = (n) => n): string | undefined {
  if (CLOUDS[choice.name]) return undefined;
  if (choice.name !== 'Custom' && choice.name !== 'AzureStack') {
    throw new UserError(`Input 'environment' is '${choice.name}', which is not a known Azure cloud.`, `Use one of: ${ENVIRONMENT_NAMES.join(', ')}.`);
  }
  if (!choice.resourceManagerEndpoint) {
    throw new UserError(
      choice.name === 'Custom'
        ? `Input 'environment' is 'Custom', but '${inputName('resource-manager-endpoint')}' is not given.`
        : `The Azure Stack Hub service connection has no ARM endpoint (its URL), and '${inputName('resource-manager-endpoint')}' is not given.`,
      'Give the ARM endpoint of the environment (https://management.<region>.<domain>/ on Azure Stack Hub).',
    );
  }
  const arm = httpsUrl(inputName('resource-manager-endpoint'), choice.resourceManagerEndpoint);
  if (choice.authorityHost) httpsUrl(inputName('authority-host'), choice.authorityHost);
  const complete = choice.authorityHost && (choice.name === 'Custom' || choice.armAudience);
  return complete ? undefined : arm;
}

/**
 * AD FS authorities end in `/adfs`; @azure/identity then takes the host and the tenant `adfs` (and
 * skips instance discovery for it), as azure-cli does (Azure/azure-cli
 * src/azure-cli-core/azure/cli/core/_profile.py `_detect_adfs_authority`).
 */
function splitAdfs(authority: string, adfs: boolean): { authorityHost: string; tenant?: 'adfs' } {
  const trimmed = authority.replace(/\/+$/, '');
  if (/\/adfs$/i.test(trimmed)) return { authorityHost: withSlash(trimmed.slice(0, -'/adfs'.length)), tenant: 'adfs' };
  return adfs ? { authorityHost: withSlash(trimmed), tenant: 'adfs' } : { authorityHost: withSlash(trimmed) };
}

/**
 * The environment a choice names, completed by ARM's metadata where metadataToRead asked for it.
 * The public clouds keep their well-known scope; an audience learned from a connection or from
 * ARM's metadata is asked for verbatim as `<audience>/.default`, as AzureRMEndpoint's MSAL path
 * (azure-arm-common.ts `getMSALToken`: `activeDirectoryResourceId + "/.default"`) and azure-cli
 * (`resource_to_scopes`) do.
 */
export function resolveEnvironment(choice: CloudChoice, inputName: InputName = (n) => n, metadata?: ArmSignInMetadata): AzureEnvironment {
  const cloud = CLOUDS[choice.name];
  if (cloud) {
    return { name: choice.name, ...cloud, armAudience: cloud.resourceManagerEndpoint, armScope: `${cloud.resourceManagerEndpoint}.default`, disableInstanceDiscovery: false };
  }
  const arm = metadataToRead(choice, inputName);
  if (arm && !metadata) throw new Error(`resolveEnvironment: the metadata of ${arm} is needed first`);
  const resourceManagerEndpoint = httpsUrl(inputName('resource-manager-endpoint'), choice.resourceManagerEndpoint!);
  const authority = choice.authorityHost ?? metadata!.loginEndpoint;
  const learned = choice.armAudience ?? (choice.name === 'AzureStack' || !choice.authorityHost ? metadata!.audience : undefined);
  return {
    name: choice.name,
    resourceManagerEndpoint,
    ...splitAdfs(authority, choice.adfs ?? false),
    armAudience: learned ?? resourceManagerEndpoint,
    armScope: learned ? `${learned}/.default` : `${resourceManagerEndpoint}.default`,
    disableInstanceDiscovery: true,
  };
}
