// The SCM (Kudu) command API of an App Service app: one POST that runs a command line in the app's
// sandbox and answers its output. Bounded by the step's deadline and routed like every ARM request
// (request-limits.ts); the bearer token is the session's ARM token.
//
// Shape: `POST https://<scm host>/api/command` with `{"command": ..., "dir": ...}` (what the App
// Service diagnostics portal sends: Azure/Azure-AppServices-Diagnostics-Portal
// AngularApp/projects/app-service-diagnostics/src/app/shared/components/tools/network-checks/diag-provider.ts,
// runKuduCommand / postKuduApiAsync); the answer is Kudu's CommandResult `{Output, Error, ExitCode}`
// (projectkudu/kudu Kudu.Contracts/Commands/CommandResult.cs).
//
// Authentication: the same diagnostics code sends the portal's ARM bearer token to the SCM host
// (ArmService headers); Kudu accepts Microsoft Entra tokens, and basic auth only while the site's
// basicPublishingCredentialsPolicies/scm allows it
// (https://learn.microsoft.com/azure/app-service/configure-basic-auth-disable). Publishing
// credentials are secrets: this client never asks for them.
import { bearerTokenAuthenticationPolicy, createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { AzureSession } from './credential';
import { boundedRequests } from './request-limits';

export interface KuduCommandResult {
  Output: string;
  Error: string;
  ExitCode: number;
}

/** What the SCM host answered: the command's result, or an HTTP status it refused the request with. */
export type KuduAnswer = { ok: true; result: KuduCommandResult } | { ok: false; status: number };

/**
 * App Service domains an SCM host may end in: the public, US Government and China clouds' app
 * domains (azurewebsites.net, azurewebsites.us, chinacloudsites.cn) and App Service Environments'
 * (appserviceenvironment.net/.us/.cn). The ARM token is sent to no other host: a site whose
 * Repository host name lies elsewhere is not asked.
 */
const SCM_DOMAINS = ['azurewebsites.net', 'azurewebsites.us', 'chinacloudsites.cn', 'appserviceenvironment.net', 'appserviceenvironment.us', 'appserviceenvironment.cn'];

export function isAppServiceScmHost(host: string): boolean {
  const h = host.toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(h) && h.split('.').includes('scm') && SCM_DOMAINS.some((d) => h.endsWith(`.${d}`));
}

/** Runs `command` through the SCM host's command API. Network failures (no answer) throw. */
export async function runKuduCommand(session: AzureSession, scmHost: string, command: string, dir = 'site'): Promise<KuduAnswer> {
  if (!isAppServiceScmHost(scmHost)) throw new Error(`'${scmHost}' is not an App Service SCM host name`);
  const pipeline = createPipelineFromOptions({ ...boundedRequests(session.deadline), retryOptions: { maxRetries: 1 }, userAgentOptions: { userAgentPrefix: 'private-wire' } });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: session.credential, scopes: session.environment.armScope }));
  const request = createPipelineRequest({
    url: `https://${scmHost}/api/command`,
    method: 'POST',
    headers: undefined,
    body: JSON.stringify({ command, dir }),
  });
  request.headers.set('content-type', 'application/json');
  request.headers.set('accept', 'application/json');
  const response = await pipeline.sendRequest(createDefaultHttpClient(), request);
  if (response.status !== 200) return { ok: false, status: response.status };
  const body = JSON.parse(response.bodyAsText ?? '{}') as Partial<KuduCommandResult>;
  return { ok: true, result: { Output: String(body.Output ?? ''), Error: String(body.Error ?? ''), ExitCode: Number(body.ExitCode ?? -1) } };
}
