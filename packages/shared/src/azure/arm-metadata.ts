import { createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { StepDeadline } from '../engine/deadline';
import { UserError, errorMessage } from '../errors';
import type { ArmSignInMetadata } from './environment';
import { isAborted } from './errors';
import { boundedRequests } from './request-limits';

/**
 * `GET <arm>/metadata/endpoints?api-version=2015-01-01`, the version the Azure Pipelines tasks (their
 * TypeScript and PowerShell helpers) and msrestazure ask Azure Stack Hub for
 * (microsoft/azure-pipelines-tasks-common-packages common-npm-packages/azure-arm-rest/azure-arm-endpoint.ts
 * `_updateAzureStackData`; microsoft/azure-pipelines-tasks Tasks/Common/VstsAzureHelpers_/Utility.ps1
 * `Get-AzureStackEnvironment`; Azure/msrestazure-for-python msrestazure/azure_cloud.py). Answer shape
 * (https://learn.microsoft.com/azure-stack/user/azure-stack-rest-api-use):
 * `{ galleryEndpoint, graphEndpoint, portalEndpoint, authentication: { loginEndpoint, audiences: [...] } }`.
 * azure-rest-api-specs has no schema for it. The request is anonymous.
 */
export const ARM_METADATA_API_VERSION = '2015-01-01';

const CHECK_ENDPOINT = "Check the ARM endpoint: it must be the environment's resource manager, reachable from this runner.";

export function armMetadataUrl(resourceManagerEndpoint: string): string {
  return `${resourceManagerEndpoint.replace(/\/+$/, '')}/metadata/endpoints?api-version=${ARM_METADATA_API_VERSION}`;
}

/**
 * The sign-in part of the answer: `authentication.loginEndpoint` is the authority and
 * `authentication.audiences[0]` ARM's token audience, as the tasks read them. Anything else is
 * refused with what was wrong (the answer comes from the network: it is data, not trusted).
 */
export function parseArmMetadata(body: unknown, url: string, hint = CHECK_ENDPOINT): ArmSignInMetadata {
  const auth = (body as { authentication?: { loginEndpoint?: unknown; audiences?: unknown } } | null)?.authentication;
  const loginEndpoint = auth?.loginEndpoint;
  const audience = Array.isArray(auth?.audiences) ? (auth.audiences[0] as unknown) : undefined;
  const bad = (what: string) => new UserError(`The ARM metadata at ${url} has ${what}.`, hint);
  if (typeof loginEndpoint !== 'string' || !isHttps(loginEndpoint)) throw bad('no https authentication.loginEndpoint');
  if (typeof audience !== 'string' || audience.trim() === '') throw bad('no authentication.audiences');
  return { loginEndpoint, audience };
}

function isHttps(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Reads where to sign in and ARM's audience from ARM itself, within the step's deadline. `hint`
 * says what the user can change (the inputs or the service connection, as the host names them).
 */
export async function readArmMetadata(resourceManagerEndpoint: string, deadline: StepDeadline, hint = CHECK_ENDPOINT): Promise<ArmSignInMetadata> {
  const url = armMetadataUrl(resourceManagerEndpoint);
  const { additionalPolicies, ...options } = boundedRequests(deadline);
  const pipeline = createPipelineFromOptions(options);
  for (const { policy, position } of additionalPolicies) pipeline.addPolicy(policy, position === 'perRetry' ? { afterPhase: 'Retry' } : {});
  const request = createPipelineRequest({ url, method: 'GET', headers: createHttpHeaders({ accept: 'application/json' }), abortSignal: deadline.signal });
  let status: number;
  let text: string | undefined;
  try {
    const response = await pipeline.sendRequest(createDefaultHttpClient(), request);
    status = response.status;
    text = response.bodyAsText ?? undefined;
  } catch (error) {
    const why = isAborted(error) ? 'it did not answer in time' : errorMessage(error);
    throw new UserError(`Reading the ARM metadata at ${url} failed: ${why}.`, hint);
  }
  if (status !== 200) {
    throw new UserError(`The ARM metadata at ${url} answered HTTP ${status}.`, hint);
  }
  let body: unknown;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    throw new UserError(`The ARM metadata at ${url} is not JSON.`, hint);
  }
  return parseArmMetadata(body, url, hint);
}
