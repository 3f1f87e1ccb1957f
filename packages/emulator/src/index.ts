import { ArmService } from './arm/service';
import { allHandlers } from './arm/handlers';
import { Seeder } from './arm/seed';
import { ArmStore } from './arm/store';
import type { KubeEndpoint } from './arm/types';
import { Directory, type AppRegistration, type FederatedCredential, type ManagedIdentity } from './entra/directory';
import { ManagedIdentityEndpoint } from './entra/managed-identity';
import { AdfsService } from './entra/adfs';
import { EntraService } from './entra/service';
import { AKS_AAD_SERVER_APP_ID, ARM_AUDIENCES, AccessTokens, SOVEREIGN_ARM_AUDIENCES, sameAudience, type VerifyResult } from './entra/tokens';
import { Faults, RequestLog } from './faults';
import { createSigningKey, type SigningKey } from './jwt';
import { AzurePipelinesOidc } from './oidc/azure-pipelines';
import { GitHubActionsOidc } from './oidc/github';
import { OidcIssuer } from './oidc/issuer';
import { FrontDoor, type Route } from './server';
import { DEFAULT_TLS_HOSTS, createTls, type TlsMaterial } from './tls';
import { startKube, type KubeServer } from './kube/server';
import { startCloudProvider, type CloudProvider } from './cloud-provider/controller';
import { startCoreDns, type CoreDnsServer } from './coredns/server';
import { connectionRefusal, type RunnerNetwork } from './kube/firewall';
import { CLUSTER } from './arm/containerservice';
import { ipEchoRoute } from './echo';
import { BackendListener, ScmService } from './scm/command';
import { GitHubIssueComments } from './pull-requests/github';
import { AzureReposThreads } from './pull-requests/azure-repos';

export { ArmStore } from './arm/store';
export type { ArmResource } from './arm/store';
export type { KubeEndpoint } from './arm/types';
export { Faults, RequestLog } from './faults';
export type { FaultRule } from './faults';
export type { RunnerNetwork } from './kube/firewall';
export { GITHUB_API_PREFIX, GitHubIssueComments, type IssueComment } from './pull-requests/github';
export { AZURE_DEVOPS_PREFIX, AzureReposThreads, type Thread } from './pull-requests/azure-repos';
export { AKS_AAD_SERVER_APP_ID, ARM_AUDIENCES, SOVEREIGN_ARM_AUDIENCES } from './entra/tokens';
export type { VerifyResult } from './entra/tokens';
export { TOKEN_EXCHANGE_AUDIENCE } from './entra/directory';
export type { AppRegistration, FederatedCredential, ManagedIdentity } from './entra/directory';

export interface EmulatorOptions {
  /** HTTPS port for ARM + Entra ID + OIDC issuers (0 = ephemeral). */
  port?: number;
  tenantId?: string;
  subscriptionId?: string;
  /** How long long-running ARM operations take (ms); default 20. */
  provisioningDelayMs?: number;
  /** How long an update of an existing AKS cluster takes (ms); default provisioningDelayMs. Also `arm.clusterUpdateDelayMs`. */
  clusterUpdateDelayMs?: number;
  /** The runner's public address as the cluster's API server and the IP echo endpoint see it (see RunnerNetwork). */
  network?: Partial<RunnerNetwork>;
  /** Retry-After (s) on LRO responses; 0 (default) keeps SDK pollers fast. */
  lroRetryAfterSeconds?: number;
  /** Page size for ARM list responses. */
  pageSize?: number;
  /** Start the CONNECT proxy that routes az's login.microsoftonline.com traffic to the stand-in (default true; see az.ts). */
  azProxy?: boolean;
  /** Directory for the CA file (a fresh temp dir by default). */
  dir?: string;
  /**
   * More DNS names clients reach the stand-in by (e.g. through a proxy that resolves them): its
   * certificate covers them, and ARM accepts tokens for `https://<name>:<port>/` as it does for
   * its own address.
   */
  hostNames?: string[];
  /**
   * JWT algorithm for Entra access tokens and OIDC ID tokens. Real Entra/GitHub/Azure DevOps
   * use RS256, but RSA key generation alone takes ~1 s on a small CI box, and no client checks
   * the signature of a token it receives (only the stand-in does), so ES256 is the default.
   */
  signingAlg?: 'ES256' | 'RS256';
  /**
   * Stand in for an Azure Stack Hub: ARM accepts only tokens for `audience`, which its
   * `/metadata/endpoints` names and which is not its URL (Entra ID knows no resource by that URL
   * either, as for a real stack); with `identity: 'adfs'` the stack signs in with AD FS at
   * `<base>/adfs`, which its metadata names as the login endpoint.
   */
  azureStack?: { audience: string; identity?: 'entra' | 'adfs' };
  /** The Kubernetes side (API server, cloud-provider-azure, CoreDNS); on by default. */
  kube?: {
    enabled?: boolean;
    /** Static tokens of the AKS local accounts (clusterUser, clusterAdmin). */
    userToken?: string;
    adminToken?: string;
    /** Deployment-controller step delay (ms, default 100). */
    rolloutDelayMs?: number;
    /** How long an AKS run command takes before it runs (ms, default 50; AKS takes 10–60 s to start its pod). */
    runCommandDelayMs?: number;
    /** Load balancer provisioning delay (ms, default 50). */
    loadBalancerDelayMs?: number;
    /** Time between the EnsuredLoadBalancer event and the status patch with the IP (default 0). */
    statusPatchDelayMs?: number;
    /** Node subnet range when the cluster's subnet is not in the ArmStore (default 10.224.0.0/16). */
    nodeSubnetCidr?: string;
    /** CoreDNS port (UDP+TCP; 0 = ephemeral). */
    dnsPort?: number;
    bookmarkIntervalMs?: number;
  };
}

/** Something the emulator started and must stop, in reverse order. */
export interface Component {
  name: string;
  stop(): Promise<void> | void;
}

export interface Emulator {
  urls: {
    /** ARM endpoint (resource manager URL for SDKs and `az cloud register`). */
    arm: string;
    /** Entra ID authority host (AZURE_AUTHORITY_HOST). Same server as ARM, path-routed. */
    authorityHost: string;
    /** App Service managed identity endpoint (IDENTITY_ENDPOINT). */
    managedIdentity: string;
    /** HTTP CONNECT proxy for az (HTTPS_PROXY); empty when disabled. */
    azProxy: string;
    /** GitHub Actions OIDC issuer (stand-in for https://token.actions.githubusercontent.com). */
    githubIssuer: string;
    /** Answers the runner's public address (`network.runnerAddress`) as plain text, as https://api.ipify.org does. */
    ipEcho: string;
  };
  /**
   * The runner's public address and how refused connections fail; tests change it at will. The
   * Kubernetes API enforces the served cluster's (the first AKS cluster's) authorized IP ranges
   * against it on every new connection.
   */
  network: RunnerNetwork;
  tenantId: string;
  subscriptionId: string;
  tls: TlsMaterial;
  store: ArmStore;
  faults: Faults;
  log: RequestLog;
  arm: ArmService;
  seed: Seeder;
  directory: Directory;
  github: GitHubActionsOidc;
  azurePipelines: AzurePipelinesOidc;
  /** Pull-request comments (comment-on-pr): GitHub's REST API at `${arm}/github-api`, Azure Repos at `${arm}/azure-devops/{org}/`. */
  pullRequests: { github: GitHubIssueComments; azureRepos: AzureReposThreads };
  /** Registers an app (service principal) with secrets and/or federated credentials. */
  registerApp(app?: Partial<AppRegistration> & { secret?: string; federated?: FederatedCredential[] }): AppRegistration;
  /** Registers a managed identity; `env` is what App Service would set for it. */
  registerManagedIdentity(mi?: Partial<ManagedIdentity>): { identity: ManagedIdentity; env: Record<string, string> };
  /** Validates a stand-in access token for an audience (the kube side uses it for AAD clusters). */
  verifyAccessToken(token: string, audience: string | string[]): VerifyResult;
  /** Issues an access token directly (tests that need one without a client). */
  issueAccessToken(subject: { tenantId?: string; appId: string; objectId: string }, audience: string): string;
  /** Plugs the Kubernetes API in for AKS credentials. */
  setKube(endpoint: KubeEndpoint | ((cluster: import('./arm/store').ArmResource) => KubeEndpoint | undefined)): void;
  /** Environment a client process needs: CA trust for Node and Python, authority host. */
  env(): Record<string, string>;
  /** Started components, in start order (stop runs in reverse). */
  components: Component[];
  /** The Kubernetes API stand-in (http + https), its store, authorizer and rollout controller; undefined when disabled. */
  kube?: KubeServer;
  cloudProvider?: CloudProvider;
  /** CoreDNS over real DNS on 127.0.0.1:`coredns.port` (UDP and TCP). */
  coredns?: CoreDnsServer;
  stop(): Promise<void>;
}

/**
 * Starts the stand-in: TLS material, then the HTTPS front door (ARM, Entra ID, OIDC issuers),
 * the managed identity endpoint and the az proxy. Further components (Kubernetes API, cloud
 * provider, CoreDNS) are started after these and pushed onto `components`.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const tenantId = options.tenantId ?? '72f988bf-0000-4000-8000-000000000001';
  const subscriptionId = options.subscriptionId ?? '00000000-0000-4000-8000-000000000002';
  const components: Component[] = [];

  const alg = options.signingAlg ?? 'ES256';
  const [tls, entraKey, githubKey, azdoKey] = await Promise.all([
    createTls({ dir: options.dir, hosts: [...DEFAULT_TLS_HOSTS, ...(options.hostNames ?? [])] }),
    createSigningKey(alg),
    createSigningKey(alg),
    createSigningKey(alg),
  ]);

  let base = '';
  const baseUrl = () => base;
  const store = new ArmStore();
  const faults = new Faults();
  const log = new RequestLog();
  const directory = new Directory(tenantId);
  const network: RunnerNetwork = { runnerAddress: '20.81.4.7', refusal: 'drop', ...options.network };
  // The Kubernetes API and the cloud provider serve the first AKS cluster in the ArmStore (tests seed it after start).
  const servedCluster = () => store.ofType(CLUSTER)[0];

  const tokens = new AccessTokens(entraKey, (tid) => `${baseUrl()}/${tid}/v2.0`);
  const stack = options.azureStack;
  // An Azure Stack Hub's ARM accepts its own audience only; otherwise public ARM's and the stand-in's
  // URL under every name it answers to (localhost, and names only a test proxy resolves).
  const armAudiences = () => {
    if (stack) return [stack.audience];
    const port = new URL(base).port;
    return [...ARM_AUDIENCES, `${base}/`, ...['localhost', ...(options.hostNames ?? [])].map((name) => `https://${name}:${port}/`)];
  };
  const extraResources = new Set<string>([AKS_AAD_SERVER_APP_ID]);
  const isKnownResource = (resource: string) =>
    [...armAudiences(), ...ARM_AUDIENCES, ...SOVEREIGN_ARM_AUDIENCES].some((a) => sameAudience(a, resource)) ||
    [...extraResources].some((a) => sameAudience(a, resource)) ||
    directory.allApps().some((a) => sameAudience(a.clientId, resource) || sameAudience(`api://${a.clientId}`, resource));

  const githubIssuer = new OidcIssuer(githubKey, '/oidc/github', baseUrl);
  const azdoIssuers = new Map<string, OidcIssuer>();
  const azdoIssuer = (orgId: string) => {
    let i = azdoIssuers.get(orgId.toLowerCase());
    if (!i) azdoIssuers.set(orgId.toLowerCase(), (i = new OidcIssuer(azdoKey, `/oidc/azure-devops/${orgId}`, baseUrl)));
    return i;
  };
  const github = new GitHubActionsOidc(githubIssuer);
  const azurePipelines = new AzurePipelinesOidc(azdoIssuer, '/oidc/dev.azure.com', baseUrl);
  /** Issuer key by issuer URL: what Entra would fetch from the issuer's JWKS. */
  const issuerKey = (iss: string): SigningKey | undefined => {
    if (sameAudience(iss, githubIssuer.url)) return githubKey;
    for (const i of azdoIssuers.values()) if (sameAudience(iss, i.url)) return azdoKey;
    return undefined;
  };

  const entra = new EntraService({ directory, tokens, key: entraKey, isKnownResource, issuerKey });
  const arm = new ArmService({
    store,
    handlers: allHandlers(),
    defaultTenantId: tenantId,
    verifyToken: (t) => tokens.verify(t, armAudiences()),
    provisioningDelayMs: options.provisioningDelayMs,
    lroRetryAfterSeconds: options.lroRetryAfterSeconds,
    pageSize: options.pageSize,
    runCommandDelayMs: options.kube?.runCommandDelayMs,
    signIn: stack && ((b) => ({ loginEndpoint: stack.identity === 'adfs' ? `${b}/adfs/` : `${b}/`, audiences: [stack.audience], graphEndpoint: stack.identity === 'adfs' ? `${b}/` : undefined })),
  });
  const adfs = new AdfsService({ directory, tokens: new AccessTokens(entraKey, () => `http://${new URL(baseUrl()).host}/adfs/services/trust`), key: entraKey, isKnownResource });
  const adfsRoutes: Route[] = stack?.identity === 'adfs' ? [{ surface: 'entra', owns: (p) => AdfsService.owns(p), handle: (ctx) => adfs.handle(ctx) }] : [];

  arm.clusterUpdateDelayMs = options.clusterUpdateDelayMs;
  // Sites' SCM command API (scm/command.ts); it reads the cluster side once that is started.
  let kubeSide: { store: import('./kube/store').KubeStore; dnsPort: number } | undefined;
  const backend = new BackendListener();
  await backend.start();
  components.push({ name: 'ilb-backend', stop: () => backend.stop() });
  const scm = new ScmService({ store, verifyToken: (t) => tokens.verify(t, armAudiences()).ok, kube: () => kubeSide }, backend);
  const pullRequests = { github: new GitHubIssueComments(), azureRepos: new AzureReposThreads() };
  const routes: Route[] = [
    scm.route(),
    pullRequests.github.route(),
    pullRequests.azureRepos.route(),
    ipEchoRoute(network),
    { surface: 'arm', owns: (p) => ArmService.owns(p), handle: (ctx) => arm.handle(ctx) },
    {
      surface: 'oidc',
      owns: (p) => p.startsWith('/oidc/'),
      handle: (ctx) => github.handle(ctx) ?? azurePipelines.handle(ctx) ?? [...azdoIssuers.values()].map((i) => i.handleDiscovery(ctx)).find((r) => r),
    },
    ...adfsRoutes,
    { surface: 'entra', owns: () => true, handle: (ctx) => entra.handle(ctx) },
  ];
  const front = new FrontDoor(tls, routes, faults, log);
  await front.start(options.port ?? 0);
  base = `https://127.0.0.1:${front.port}`;
  components.push({ name: 'https', stop: () => front.stop() });
  components.push({ name: 'lro-timers', stop: () => arm.ops.stop() });

  const mi = new ManagedIdentityEndpoint(directory, tokens, isKnownResource);
  await mi.start();
  components.push({ name: 'managed-identity', stop: () => mi.stop() });

  if (options.azProxy !== false) await front.startProxy();

  // --- Kubernetes API server, cloud provider and CoreDNS. ---
  let kube: KubeServer | undefined;
  let cloudProvider: CloudProvider | undefined;
  let coredns: CoreDnsServer | undefined;
  if (options.kube?.enabled !== false) {
    kube = await startKube({
      faults,
      log,
      tls,
      tokens: { user: options.kube?.userToken, admin: options.kube?.adminToken },
      rolloutDelayMs: options.kube?.rolloutDelayMs,
      bookmarkIntervalMs: options.kube?.bookmarkIntervalMs,
      refuseConnection: () => connectionRefusal(servedCluster(), network)?.how,
      // AAD-enabled clusters: Entra access tokens for the AKS server app, named as AKS names users.
      verifyAccessToken: (token) => {
        const v = tokens.verify(token, AKS_AAD_SERVER_APP_ID);
        if (!v.ok) return undefined;
        const c = v.claims;
        const user = String(c['upn'] ?? c['unique_name'] ?? c['oid'] ?? c['sub'] ?? '');
        return user ? { user, groups: [...((c['groups'] as string[] | undefined) ?? []), 'system:authenticated'] } : undefined;
      },
    });
    components.push({ name: 'kube', stop: () => kube!.stop() });
    const k = kube;
    arm.setKube({ server: k.httpsUrl!, caPem: tls.caPem, adminToken: k.tokens.admin, userToken: k.tokens.user, inClusterServer: k.inClusterUrl });
    const cluster = servedCluster;
    cloudProvider = startCloudProvider({
      kube: k.store,
      arm: store,
      subscriptionId,
      location: 'westeurope',
      // AKS runs the controller with the default --cluster-name (see CloudProviderOptions.clusterName):
      // never the ARM cluster's name.
      clusterName: 'kubernetes',
      nodeResourceGroup: 'MC_aks',
      nodeSubnetCidr: options.kube?.nodeSubnetCidr,
      delayMs: options.kube?.loadBalancerDelayMs,
      statusPatchDelayMs: options.kube?.statusPatchDelayMs,
      discover: () => {
        const c = cluster();
        if (!c) return {};
        const p = (c.properties ?? {}) as Record<string, unknown>;
        const subnetId = ((p['agentPoolProfiles'] as { vnetSubnetID?: string }[] | undefined) ?? []).find((a) => a.vnetSubnetID)?.vnetSubnetID;
        return {
          subscriptionId: c.id.split('/')[2],
          location: c.location,
          nodeResourceGroup: p['nodeResourceGroup'] as string | undefined,
          vnetId: subnetId?.replace(/\/subnets\/[^/]+$/i, ''),
          nodeSubnetName: subnetId?.split('/').pop(),
        };
      },
    });
    components.push({ name: 'cloud-provider', stop: () => cloudProvider!.stop() });
    coredns = await startCoreDns({ store: k.store, rollouts: k.rollouts, port: options.kube?.dnsPort });
    components.push({ name: 'coredns', stop: () => coredns!.stop() });
    kubeSide = { store: k.store, dnsPort: coredns.port };
  }

  const seed = new Seeder(store, tenantId, subscriptionId);
  seed.subscription();

  const emulator: Emulator = {
    urls: {
      arm: base,
      authorityHost: base,
      managedIdentity: mi.url,
      azProxy: front.proxyPort ? `http://127.0.0.1:${front.proxyPort}` : '',
      githubIssuer: githubIssuer.url,
      ipEcho: `${base}/ip-echo`,
    },
    network,
    tenantId,
    subscriptionId,
    tls,
    store,
    faults,
    log,
    arm,
    seed,
    directory,
    github,
    azurePipelines,
    pullRequests,
    registerApp(app = {}) {
      const { secret, federated, ...rest } = app;
      return directory.registerApp({
        ...rest,
        tenantId: rest.tenantId ?? tenantId,
        secrets: [...(rest.secrets ?? []), ...(secret ? [secret] : [])],
        federatedCredentials: [...(rest.federatedCredentials ?? []), ...(federated ?? [])],
      });
    },
    registerManagedIdentity(input = {}) {
      const identity = directory.registerManagedIdentity(input);
      return { identity, env: mi.env(identity) };
    },
    verifyAccessToken: (token, audience) => tokens.verify(token, audience),
    issueAccessToken: (s, audience) => tokens.issue({ tenantId: s.tenantId ?? tenantId, appId: s.appId, objectId: s.objectId }, audience).token,
    setKube: (endpoint) => arm.setKube(endpoint),
    env: () => ({
      NODE_EXTRA_CA_CERTS: tls.caFile,
      REQUESTS_CA_BUNDLE: tls.caFile,
      SSL_CERT_FILE: tls.caFile,
      AZURE_AUTHORITY_HOST: base,
      AZURE_TENANT_ID: tenantId,
      AZURE_SUBSCRIPTION_ID: subscriptionId,
      ARM_ENDPOINT: base,
    }),
    components,
    kube,
    cloudProvider,
    coredns,
    async stop() {
      for (const c of [...components].reverse()) await c.stop();
    },
  };
  return emulator;
}
