import type { StepMetadata } from '@private-wire/shared/metadata/types';

export const setWebappDnsMetadata = {
  id: 'set-webapp-dns',
  title: 'Set web app DNS',
  description:
    "Points an App Service web app (or slot) at custom DNS servers, e.g. the cluster's CoreDNS IP, through the site's dnsConfiguration or the WEBSITE_DNS_SERVER app settings.",
  service: 'azure',
  inputs: {
    webapp: { type: 'string', required: true, description: 'Web app name, or its resource ID (a slot ID also works).' },
    'resource-group': { type: 'string', description: 'Resource group of the web app (not needed when `webapp` is a resource ID).' },
    slot: { type: 'string', description: 'Deployment slot to configure. Default: the production slot.' },
    'dns-server': {
      type: 'list',
      required: true,
      description:
        'DNS server IPv4 addresses, comma-separated, in order of preference (1 to 5, in either mode; `app-setting` stores them in `WEBSITE_DNS_SERVER` comma-separated without blanks).',
    },
    'alt-dns-server': { type: 'string', description: 'Alternate DNS server IPv4 address. Empty: leave the current one as it is.' },
    mode: {
      type: 'choice',
      options: ['property', 'app-setting'],
      default: 'property',
      description:
        '`property`: the site\'s `dnsConfiguration` (takes precedence). `app-setting`: the `WEBSITE_DNS_SERVER` / `WEBSITE_DNS_ALT_SERVER` app settings.',
    },
  },
  outputs: {},
  task: { id: '0f79c76c-3a7f-4136-a554-4ab253c0c382', instanceNameFormat: 'Set DNS of $(webapp) to $(dnsServer)', category: 'Deploy' },
  branding: { icon: 'globe', color: 'blue' },
  // step.ts / dns-config.ts: GET and PATCH the site (dnsConfiguration), list (POST) and PUT app settings.
  // // Actions: Microsoft Learn, Azure resource provider operations (https://learn.microsoft.com/azure/role-based-access-control/permissions/web-and-mobile).
  permissions: {
    azure: [
      {
        scope: 'the web app',
        scopeVar: 'WEBAPP_ID',
        role: 'Website Contributor',
        actions: ['Microsoft.Web/sites/read', 'Microsoft.Web/sites/write', 'Microsoft.Web/sites/config/list/action', 'Microsoft.Web/sites/config/write'],
      },
    ],
    kubernetes: [],
  },
} as const satisfies StepMetadata;
