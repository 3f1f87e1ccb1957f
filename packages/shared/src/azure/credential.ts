import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import {
  AzureCliCredential,
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import { readFileSync } from 'node:fs';
import { UserError, errorMessage } from '../errors';
import { isAborted } from './errors';
import { isGuid } from './names';
import type { Host } from '../hosts/host';
import type { ServiceConnection } from '../hosts/service-connection';
import { metadataToRead, resolveEnvironment, type AzureEnvironment, type CloudChoice } from './environment';
import { readArmMetadata } from './arm-metadata';
import type { AzureSignInSettings } from './inputs';
import type { StepDeadline } from '../engine/deadline';
import { boundedRequests } from './request-limits';

/** A signed-in Azure session: the credential, where ARM is, and which subscription to work in. */
export interface AzureSession {
  credential: TokenCredential;
  environment: AzureEnvironment;
  subscriptionId: string;
  /** How we signed in, for the log (never contains a secret). */
  method: string;
  /** The step's deadline: every ARM request made for this session is bounded by it. */
  deadline: StepDeadline;
}

/** No way to sign in to Azure is configured (a step for which Azure is optional may go on without it). */
export class NoAzureCredential extends UserError {}

/** Masks every access token the wrapped credential hands out, before any SDK or log sees it. */
class MaskingCredential implements TokenCredential {
  constructor(
    private readonly inner: TokenCredential,
    private readonly host: Host,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const token = await this.inner.getToken(scopes, options);
    if (token?.token) this.host.setSecret(token.token);
    return token;
  }
}

/** A way to sign in, checked before any request; its credential is made once the environment is known. */
interface Candidate {
  method: string;
  credential: (environment: AzureEnvironment) => TokenCredential;
  /** Whether failing to get a token means "try the next one" (probing) rather than a user error. */
  probe: boolean;
}

function checkGuid(host: Host, input: string, value: string): void {
  if (!isGuid(value)) {
    throw new UserError(`Input '${host.inputName(input)}' is '${value}', which is not a GUID.`, 'Copy it from the app registration or identity overview.');
  }
}

function identityOptions(environment: AzureEnvironment, deadline: StepDeadline) {
  return { authorityHost: environment.authorityHost, disableInstanceDiscovery: environment.disableInstanceDiscovery, ...boundedRequests(deadline) };
}

/** The identity's tenant, except on AD FS stacks, where every sign-in goes to the tenant `adfs`. */
const tenantIn = (environment: AzureEnvironment, tenantId: string) => environment.tenant ?? tenantId;

/** Signs in the way the host and the inputs say, and says which way it used. */
export async function signInToAzure(host: Host, settings: AzureSignInSettings, deadline: StepDeadline): Promise<AzureSession> {
  const connection = host.kind === 'azure-pipelines' ? host.getServiceConnection('azure-subscription') : undefined;
  const choice = cloudChoice(settings, connection);
  const inputName = (n: string) => host.inputName(n);
  // Every input is checked (the cloud, then the identity) before the first request.
  const metadataOf = metadataToRead(choice, inputName);
  const candidates = host.kind === 'azure-pipelines' ? [fromServiceConnection(host, connection, deadline)] : gitHubCandidates(host, settings, deadline);
  const environment = resolveEnvironment(choice, inputName, metadataOf ? await learnFromArm(host, choice, metadataOf, deadline) : undefined);

  const tried: string[] = [];
  for (const candidate of candidates) {
    const credential = new MaskingCredential(candidate.credential(environment), host);
    try {
      await credential.getToken(environment.armScope, { abortSignal: deadline.signal });
    } catch (error) {
      if (candidate.probe) {
        host.debug(`${candidate.method}: ${errorMessage(error)}`);
        tried.push(candidate.method);
        continue;
      }
      throw signInError(candidate.method, error);
    }
    const subscriptionId = await subscriptionFor(host, settings, connection, candidate);
    host.info(`Signed in to Azure (${environment.name}) with ${candidate.method}; subscription ${subscriptionId}.`);
    return { credential, environment, subscriptionId, method: candidate.method, deadline };
  }
  throw new NoAzureCredential(
    `No Azure credential is available (tried: ${tried.join(', ')}).`,
    "Give 'client-id' and 'tenant-id' with `permissions: id-token: write` (OIDC), set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or run azure/login first.",
  );
}

/** The cloud the inputs name; else the service connection's (an Azure Stack Hub one with its endpoints). */
function cloudChoice(settings: AzureSignInSettings, connection: ServiceConnection | undefined): CloudChoice {
  const fromInputs = { name: settings.environment ?? 'AzureCloud', resourceManagerEndpoint: settings.resourceManagerEndpoint, authorityHost: settings.authorityHost };
  const environment = settings.environment ? undefined : connection?.data('environment');
  if (!environment) return fromInputs;
  if (environment.toLowerCase() !== 'azurestack') return { ...fromInputs, name: environment };
  // The keys AzureRMEndpoint reads (microsoft/azure-pipelines-tasks-common-packages
  // common-npm-packages/azure-arm-rest/azure-arm-endpoint.ts getEndpoint): ARM is the connection's
  // URL; the authority `activeDirectoryAuthority` (its MSAL path) or `environmentAuthorityUrl`;
  // ARM's audience `activeDirectoryServiceEndpointResourceId`; AD FS `EnableAdfsAuthentication`.
  return {
    name: 'AzureStack',
    resourceManagerEndpoint: settings.resourceManagerEndpoint ?? connection!.url,
    authorityHost: settings.authorityHost ?? connection!.data('activeDirectoryAuthority') ?? connection!.data('environmentAuthorityUrl'),
    armAudience: connection!.data('activeDirectoryServiceEndpointResourceId'),
    adfs: connection!.data('EnableAdfsAuthentication')?.toLowerCase() === 'true',
  };
}

/** Where to sign in and ARM's audience, from ARM's metadata (Azure Stack Hub, Custom without authority-host). */
async function learnFromArm(host: Host, choice: CloudChoice, arm: string, deadline: StepDeadline) {
  const hint =
    choice.name === 'AzureStack'
      ? "Check the service connection's environment URL (the stack's ARM endpoint, reachable from this agent)."
      : `Check '${host.inputName('resource-manager-endpoint')}' (reachable from this runner), or give '${host.inputName('authority-host')}'.`;
  const metadata = await readArmMetadata(arm, deadline, hint);
  host.info(`Read from the metadata of ${arm}: sign in at ${metadata.loginEndpoint}, ARM token audience ${metadata.audience}.`);
  return metadata;
}

function gitHubCandidates(host: Host, settings: AzureSignInSettings, deadline: StepDeadline): Candidate[] {
  if (settings.clientId || settings.tenantId) return [gitHubOidc(host, settings, deadline)];
  return environmentCandidate(host, deadline) ?? ambientCandidates(host, deadline);
}

/** GitHub OIDC with `client-id` and `tenant-id`: a fresh ID token on every renewal. */
function gitHubOidc(host: Host, settings: AzureSignInSettings, deadline: StepDeadline): Candidate {
  const { clientId, tenantId } = settings;
  if (!clientId || !tenantId) {
    const missing = clientId ? 'tenant-id' : 'client-id';
    throw new UserError(`Input '${missing}' is not given, but '${clientId ? 'client-id' : 'tenant-id'}' is.`, 'OIDC sign-in needs both client-id and tenant-id.');
  }
  checkGuid(host, 'client-id', clientId);
  checkGuid(host, 'tenant-id', tenantId);
  if (!host.env.ACTIONS_ID_TOKEN_REQUEST_URL || !host.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new UserError(
      "Inputs 'client-id' and 'tenant-id' ask for OIDC sign-in, but this job cannot request a GitHub ID token.",
      'Add `permissions: id-token: write` to the workflow or job.',
    );
  }
  // A fresh assertion each time the token is renewed: GitHub ID tokens expire within minutes.
  const credential = (environment: AzureEnvironment) =>
    new ClientAssertionCredential(tenantIn(environment, tenantId), clientId, () => host.getIdToken(settings.audience), identityOptions(environment, deadline));
  return { method: `GitHub OIDC (client ${clientId})`, credential, probe: false };
}

/** AZURE_CLIENT_ID and AZURE_TENANT_ID with AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE, as @azure/identity reads them. */
function environmentCandidate(host: Host, deadline: StepDeadline): Candidate[] | undefined {
  const { AZURE_CLIENT_ID: clientId, AZURE_TENANT_ID: tenantId, AZURE_CLIENT_SECRET: secret, AZURE_FEDERATED_TOKEN_FILE: file } = host.env;
  if (!clientId || !tenantId) return undefined;
  if (secret) {
    host.setSecret(secret);
    const credential = (environment: AzureEnvironment) => new ClientSecretCredential(tenantIn(environment, tenantId), clientId, secret, identityOptions(environment, deadline));
    return [{ method: `client secret from AZURE_CLIENT_SECRET (client ${clientId})`, credential, probe: false }];
  }
  if (!file) return undefined;
  // Re-read on every renewal: the file is rotated by whoever projects it.
  const assertion = async () => {
    const token = readFileSync(file, 'utf8').trim();
    host.setSecret(token);
    return token;
  };
  const credential = (environment: AzureEnvironment) => new ClientAssertionCredential(tenantIn(environment, tenantId), clientId, assertion, identityOptions(environment, deadline));
  return [{ method: `federated token file AZURE_FEDERATED_TOKEN_FILE (client ${clientId})`, credential, probe: false }];
}

/** What the runner itself may offer, tried in turn: a managed identity, then an `az` session. */
function ambientCandidates(host: Host, deadline: StepDeadline): Candidate[] {
  const clientId = host.env.AZURE_CLIENT_ID;
  return [
    {
      method: clientId ? `managed identity (client ${clientId})` : 'managed identity',
      credential: () => new ManagedIdentityCredential({ ...(clientId ? { clientId } : {}), ...boundedRequests(deadline) }),
      probe: true,
    },
    {
      method: 'Azure CLI session (az login / azure/login)',
      credential: () => new AzureCliCredential({ processTimeoutInMs: Math.min(30_000, deadline.requestTimeoutMs()) }),
      probe: true,
    },
  ];
}

function fromServiceConnection(host: Host, connection: ServiceConnection | undefined, deadline: StepDeadline): Candidate {
  if (!connection) {
    throw new NoAzureCredential(`Input '${host.inputName('azure-subscription')}' is not given.`, 'Choose an Azure Resource Manager service connection.');
  }
  const p = lowerKeys(connection.parameters);
  const tenantId = p.tenantid;
  const clientId = p.serviceprincipalid;
  const named = `service connection ${connection.id}`;
  const options = (environment: AzureEnvironment) => identityOptions(environment, deadline);
  if (connection.scheme === 'ManagedServiceIdentity') {
    return { method: `managed identity of the agent (${named})`, credential: () => new ManagedIdentityCredential(boundedRequests(deadline)), probe: false };
  }
  if (connection.scheme !== 'WorkloadIdentityFederation' && connection.scheme !== 'ServicePrincipal') {
    throw badConnection(named, `its scheme '${connection.scheme}' is not supported`);
  }
  if (!tenantId || !clientId) throw badConnection(named, 'it has no tenant or service principal id');
  const tenant = (environment: AzureEnvironment) => tenantIn(environment, tenantId);
  if (connection.scheme === 'WorkloadIdentityFederation') {
    const token = host.getSystemAccessToken();
    if (!token) {
      throw new UserError(
        `The ${named} uses workload identity federation, but the job's System.AccessToken is not available.`,
        'Allow scripts to access the OAuth token for this job, or check the project\'s job authorization scope.',
      );
    }
    const credential = (env: AzureEnvironment) => new AzurePipelinesCredential(tenant(env), clientId, connection.id, token, options(env));
    return { method: `workload identity federation (${named}, client ${clientId})`, credential, probe: false };
  }
  if (p.authenticationtype === 'spnCertificate') {
    const certificate = p.serviceprincipalcertificate;
    if (!certificate) throw badConnection(named, 'it has no certificate');
    const credential = (env: AzureEnvironment) => new ClientCertificateCredential(tenant(env), clientId, { certificate }, options(env));
    return { method: `service principal certificate (${named}, client ${clientId})`, credential, probe: false };
  }
  const secret = p.serviceprincipalkey;
  if (!secret) throw badConnection(named, 'it has no client secret');
  const credential = (env: AzureEnvironment) => new ClientSecretCredential(tenant(env), clientId, secret, options(env));
  return { method: `service principal secret (${named}, client ${clientId})`, credential, probe: false };
}

function lowerKeys(record: Record<string, string>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

function badConnection(named: string, why: string): UserError {
  return new UserError(
    `The ${named} cannot be used: ${why}.`,
    'Use an Azure Resource Manager connection with workload identity federation, a service principal, or a managed identity.',
  );
}

async function subscriptionFor(
  host: Host,
  settings: AzureSignInSettings,
  connection: ServiceConnection | undefined,
  candidate: Candidate,
): Promise<string> {
  const subscriptionId =
    settings.subscriptionId ??
    connection?.data('subscriptionId') ??
    host.env.AZURE_SUBSCRIPTION_ID ??
    (candidate.method.startsWith('Azure CLI') ? await azCliSubscription() : undefined);
  if (!subscriptionId) {
    throw new UserError(
      `No subscription is given for ${candidate.method}.`,
      `Give '${host.inputName('subscription-id')}' (or set AZURE_SUBSCRIPTION_ID).`,
    );
  }
  checkGuid(host, 'subscription-id', subscriptionId);
  return subscriptionId;
}

async function azCliSubscription(): Promise<string | undefined> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('az', ['account', 'show', '--query', 'id', '-o', 'tsv'], { timeout: 30_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}

/** Turns a token failure into what the user must change, keeping Entra's AADSTS code and text. */
function signInError(method: string, error: unknown): UserError {
  if (isAborted(error)) return new UserError(`Signing in to Azure with ${method} did not finish in time.`, "Entra ID is slow or unreachable from this runner; raise 'timeout' if it is just slow.");
  const message = errorMessage(error);
  const code = /AADSTS\d+/.exec(message)?.[0];
  const hints: Record<string, string> = {
    AADSTS700016: 'The client ID is not registered in this tenant: check client-id and tenant-id.',
    AADSTS7000215: 'The client secret is wrong or expired: create a new one and update the secret.',
    AADSTS7000222: 'The client secret has expired: create a new one and update the secret.',
    AADSTS700213: 'No federated credential matches this workflow: check the subject (repo, branch, environment) on the app registration.',
    AADSTS700211: 'No federated credential trusts this issuer: add one for this OIDC issuer on the app registration.',
    AADSTS700212: 'The token audience is not the one on the federated credential: check the audience input.',
    AADSTS700024: 'The OIDC token has expired: re-run the job.',
    AADSTS90002: 'The tenant does not exist: check tenant-id.',
  };
  return new UserError(
    `Signing in to Azure with ${method} failed: ${firstLine(message)}`,
    (code && hints[code]) || 'Check the identity, its secret or federated credential, and the tenant.',
  );
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
