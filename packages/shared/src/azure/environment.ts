import { UserError } from '../errors';

/** Where ARM and Entra ID are for one Azure cloud. */
export interface AzureEnvironment {
  name: string;
  /** ARM endpoint, with a trailing slash. */
  resourceManagerEndpoint: string;
  /** Entra ID authority host, with a trailing slash. */
  authorityHost: string;
  /** Token scope for ARM. */
  armScope: string;
}

const CLOUDS: Record<string, Omit<AzureEnvironment, 'armScope'>> = {
  AzureCloud: {
    name: 'AzureCloud',
    resourceManagerEndpoint: 'https://management.azure.com/',
    authorityHost: 'https://login.microsoftonline.com/',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net/',
    authorityHost: 'https://login.microsoftonline.us/',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    resourceManagerEndpoint: 'https://management.chinacloudapi.cn/',
    authorityHost: 'https://login.chinacloudapi.cn/',
  },
};

export const ENVIRONMENT_NAMES = [...Object.keys(CLOUDS), 'Custom'] as const;

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
 * The environment named by the `environment` input. `Custom` (Azure Stack Hub, the local stand-in)
 * takes both endpoints; the ARM token scope follows the ARM endpoint as for the public clouds.
 */
export function resolveEnvironment(
  name: string,
  custom: { resourceManagerEndpoint?: string; authorityHost?: string },
  inputName: (kebab: string) => string = (n) => n,
): AzureEnvironment {
  if (name === 'Custom') {
    const missing = (['resource-manager-endpoint', 'authority-host'] as const).filter(
      (n) => !(n === 'resource-manager-endpoint' ? custom.resourceManagerEndpoint : custom.authorityHost),
    );
    if (missing.length > 0) {
      throw new UserError(
        `Input 'environment' is 'Custom', but ${missing.map((m) => `'${inputName(m)}'`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not given.`,
        'A custom environment needs both the ARM endpoint and the Entra ID authority host.',
      );
    }
    const resourceManagerEndpoint = httpsUrl(inputName('resource-manager-endpoint'), custom.resourceManagerEndpoint!);
    return {
      name,
      resourceManagerEndpoint,
      authorityHost: httpsUrl(inputName('authority-host'), custom.authorityHost!),
      armScope: `${resourceManagerEndpoint}.default`,
    };
  }
  const cloud = CLOUDS[name];
  if (!cloud) {
    throw new UserError(`Input 'environment' is '${name}', which is not a known Azure cloud.`, `Use one of: ${ENVIRONMENT_NAMES.join(', ')}.`);
  }
  return { ...cloud, armScope: `${cloud.resourceManagerEndpoint}.default` };
}
