// pnpm demo: the whole procedure against a seeded local stand-in of Azure and AKS, through the
// bundled steps run exactly as the GitHub runner runs them (the composite action
// actions/connect-webapp-to-aks), then proof from the web app's side (a DNS query to the DNS
// server it now uses) and from the Private Link parties (a consumer's endpoint, a Front Door
// origin, an unknown requester), then the same flow again to show that a re-run changes nothing;
// then the cluster locked down as teams do it: API server authorized IP ranges that exclude the
// runner (opened for the job by aks-api-access), then a private cluster (reached through the AKS
// run command), each proven by a DNS query for a new backend. The composite starts with the
// read-only preflight (check-private-path; turned off in the third and fifth runs, which only
// change the cluster's access); last, a broken world where the preflight stops the run before
// any write.
// Exit code 0 only when every check passed.
import { execFileSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import path from 'node:path';
import { startEmulator, type Emulator } from '../packages/emulator/src/index';
import { seedApp } from '../packages/emulator/src/kube/seed';
import type { StepOutcome } from './lib/composite';
import { CONSUMER_ZONE, FRONT_DOOR, readOriginStatus, requestFromConsumer, seedConsumer, seedOtherRequesters, type PrivateLinkParties } from './lib/demo-private-link';
import { errorIds, seedBrokenWorld } from './lib/demo-broken';
import { APP_SETTINGS, CONSUMER_SUBSCRIPTION, REPOSITORY, STRANGER_SUBSCRIPTION, ZONE, runConnectFlow, seedDemoWorld, type DemoWorld } from './lib/demo-world';

const root = path.resolve(__dirname, '..');
const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (line = '') => console.log(line);
const indent = (text: string) => text.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');

interface Check {
  what: string;
  ok: boolean;
  detail: string;
}
const checks: Check[] = [];
function check(what: string, ok: boolean, detail: string): void {
  checks.push({ what, ok, detail });
  say(`  ${ok ? '✔' : '✖'} ${what}: ${detail}`);
}

async function main(): Promise<boolean> {
  say('private-wire demo: wire an App Service web app to a service on AKS over a private network.');
  say();
  const buildStarted = Date.now();
  say('Building the GitHub Action bundles (kept when up to date)…');
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'build.ts'), '--github-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  say(`  bundles ready in ${seconds(buildStarted)}`);

  const flowStarted = Date.now();
  // A refused connection is reset at once (Azure drops it and the client times out after minutes).
  const e = await startEmulator({ provisioningDelayMs: 150, network: { refusal: 'reset' }, kube: { loadBalancerDelayMs: 400, rolloutDelayMs: 300 } });
  try {
    const world = await seedDemoWorld(e);
    describeWorld(e, world);
    const first = await firstRun(e, world);
    say();
    say("━━ Proof from the web app's side ━━");
    check('the flow succeeded', first.flow.succeeded, first.flow.steps.map((s) => `${s.id}:${s.skipped ? 'skipped' : s.succeeded ? 'ok' : 'failed'}`).join(' '));
    provePreflight(first.flow.steps);
    proveVerify(first.flow.steps);
    await proveWebApp(e, world.rg, first.flow.outputs);
    say();
    say('━━ Proof from the Private Link parties ━━');
    await provePrivateLink(e, world, first.alias, first.parties);
    await proveRerun(e, world);
    await proveAuthorizedRanges(e, world);
    await provePrivateCluster(e, world);
    await proveBrokenWorld(e, world);
  } finally {
    await e.stop();
  }

  const failed = checks.filter((c) => !c.ok);
  say();
  say(`${failed.length === 0 ? '✔ All' : `✖ ${failed.length} of`} ${checks.length} checks ${failed.length === 0 ? 'passed' : 'failed'}; the flow took ${seconds(flowStarted)} (${seconds(started)} with the build).`);
  return failed.length === 0;
}

function describeWorld(e: Emulator, world: DemoWorld): void {
  say(`Local stand-in up (ARM ${e.urls.arm}, Kubernetes ${e.kube!.httpsUrl}, CoreDNS 127.0.0.1:${e.coredns!.port}).`);
  say('Seeded: resource group rg-demo; VNet vnet-aks (10.224.0.0/12) with the AKS node subnet; plan plan-frontend (P1v3)');
  say(`and web app app-frontend with ${Object.keys(APP_SETTINGS).length} app settings; AKS cluster aks-demo running Deployment and Service default/backend.`);
  say(`A consumer in subscription ${CONSUMER_SUBSCRIPTION.slice(0, 8)}… has VNet vnet-consumer and private DNS zone ${CONSUMER_ZONE}.`);
  say(`The job signs in with GitHub OIDC as ${REPOSITORY}@main (a federated credential on app ${world.clientId}).`);
}

/** Runs the composite action, printing each step's summary, warnings and errors (also returned). */
async function runFlow(e: Emulator, world: DemoWorld, label: string, afterStep?: (outcome: StepOutcome) => Promise<void>, inputs?: Record<string, string>) {
  say();
  say(`━━ ${label} ━━`);
  const allErrors: string[] = [];
  const flow = await runConnectFlow(e, world, {
    afterStep,
    // Front Door's private origin to the PLS vouches for its own request (demo-private-link.ts).
    inputs: { 'front-door': FRONT_DOOR, 'front-door-resource-group': world.rg, ...inputs },
    onStart: (step, id) => say(`▶ ${step} (${id})`),
    onStep: (step, run, ms) => {
      const errors = [...run.stdout.matchAll(/^::error::(.*)$/gm)].map((m) => m[1]!.replace(/%0A/g, '\n'));
      allErrors.push(...errors);
      if (run.summary.trim()) say(indent(run.summary));
      for (const w of run.stdout.matchAll(/^::warning::(.*)$/gm)) say(`    warning: ${w[1]}`);
      if (errors.length) say(indent(`error: ${errors.join('\n')}`));
      say(`  ${run.exitCode === 0 ? '✔' : '✖'} ${step}: changed=${run.outputs.changed ?? '?'} (${(ms / 1000).toFixed(1)} s)`);
    },
  });
  return { ...flow, errors: allErrors };
}

/** The first run; once the Private Link Service exists, the consumer, Front Door and a stranger ask for endpoints to it. */
async function firstRun(e: Emulator, world: DemoWorld) {
  seedConsumer(e);
  let parties: PrivateLinkParties | undefined;
  let alias = '';
  const flow = await runFlow(e, world, 'First run: wire everything', async (outcome) => {
    if (outcome.id !== 'expose' || !outcome.outputs['pls-id']) return;
    alias = outcome.outputs['pls-alias'] ?? '';
    const request = await requestFromConsumer(e, world, alias);
    check('the consumer requested a private endpoint (create-private-endpoint)', request.exitCode === 0 && request.outputs.status === 'Pending', `status=${request.outputs.status ?? '?'} ip=${request.outputs.ip ?? '?'}`);
    parties = seedOtherRequesters(e, world, outcome.outputs['pls-id']);
    say(`  … Front Door profile ${FRONT_DOOR} adds a private origin, and an unknown subscription (${STRANGER_SUBSCRIPTION.slice(0, 8)}…) requests an endpoint to ${alias}`);
  });
  return { flow, alias, parties };
}

/** A query to the web app's DNS server: in the VNet, CoreDNS's internal-LB IP; here the stand-in's CoreDNS on loopback. */
async function resolve(e: Emulator, name: string): Promise<string[]> {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([`127.0.0.1:${e.coredns!.port}`]);
  try {
    return await resolver.resolve4(name);
  } catch (error) {
    return [`(${(error as Error).message})`];
  }
}

/** The web app is integrated, uses CoreDNS, resolves the backend's name to its internal LB IP, and kept its settings. */
async function proveWebApp(e: Emulator, rg: string, outputs: Record<string, string>): Promise<void> {
  const site = e.store.get(`/subscriptions/${e.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Web/sites/app-frontend`)!;
  const siteProps = site.properties as { virtualNetworkSubnetId?: string; dnsConfiguration?: { dnsServers?: string[] } };
  check('web app is VNet-integrated', /\/subnets\/snet-webapp-integration$/i.test(siteProps.virtualNetworkSubnetId ?? ''), siteProps.virtualNetworkSubnetId ?? 'no subnet');
  const dnsServer = siteProps.dnsConfiguration?.dnsServers?.[0] ?? '';
  check('web app DNS points at CoreDNS on the internal load balancer', !!dnsServer && dnsServer === outputs['dns-ip'], `dnsServers=[${siteProps.dnsConfiguration?.dnsServers?.join(', ') ?? ''}]`);
  const name = `backend.default.${ZONE}`;
  const answer = await resolve(e, name);
  check(`DNS query for ${name} via ${dnsServer || 'the web app DNS server'}`, answer.length === 1 && answer[0] === outputs['service-ip'], `${answer.join(', ')} (backend internal LB IP ${outputs['service-ip'] || 'unknown'})`);
  const settings = (e.store.get(`${site.id}/config/appsettings`)?.properties ?? {}) as Record<string, string>;
  const kept = Object.entries(APP_SETTINGS).filter(([k, v]) => settings[k] === v).length;
  check('every existing app setting kept', kept === Object.keys(APP_SETTINGS).length, `${kept}/${Object.keys(APP_SETTINGS).length} unchanged`);
}

/** The consumer's endpoint and Front Door's origin were approved, the unknown requester was not. */
async function provePrivateLink(e: Emulator, world: DemoWorld, alias: string, parties: PrivateLinkParties | undefined): Promise<void> {
  if (!parties) return check('the Private Link Service was made', false, 'expose-internal-service gave no pls-id');
  const waited = await requestFromConsumer(e, world, alias, true);
  check('the consumer sees its endpoint approved (wait-for-approval)', waited.exitCode === 0 && waited.outputs.status === 'Approved' && waited.outputs.changed === 'false', `status=${waited.outputs.status ?? '?'} changed=${waited.outputs.changed ?? '?'}`);
  const record = e.store.get(`/subscriptions/${CONSUMER_SUBSCRIPTION}/resourceGroups/rg-consumer/providers/Microsoft.Network/privateDnsZones/${CONSUMER_ZONE}/A/payments`);
  const addresses = ((record?.properties as { aRecords?: { ipv4Address?: string }[] } | undefined)?.aRecords ?? []).map((a) => a.ipv4Address);
  check(`payments.${CONSUMER_ZONE} points at the consumer's endpoint`, addresses.length === 1 && addresses[0] === waited.outputs.ip, `${addresses.join(', ') || 'no record'} (endpoint ${waited.outputs.ip ?? '?'})`);
  const origin = await readOriginStatus(e, parties.frontDoorOriginId);
  const stranger = (e.store.get(parties.strangerConnectionId)?.properties as { privateLinkServiceConnectionState?: { status?: string } } | undefined)?.privateLinkServiceConnectionState?.status ?? 'missing';
  check('Front Door origin approved, unknown requester still pending', origin === 'Approved' && stranger === 'Pending', `origin o-aks ${origin}, pe-unknown ${stranger}`);
}

/** The same flow again: every step says changed=false and nothing is written. */
async function proveRerun(e: Emulator, world: DemoWorld): Promise<void> {
  e.log.clear();
  const second = await runFlow(e, world, 'Second run: nothing to do');
  say();
  say('━━ Re-run ━━');
  const changed = second.steps.filter((s) => !s.skipped && s.outputs.changed !== 'false');
  check('every step reports changed=false', second.succeeded && changed.length === 0, changed.length ? `changed: ${changed.map((s) => s.id).join(', ')}` : `${second.steps.filter((s) => !s.skipped).length} steps, none changed`);
  // verify's two SCM commands (nameresolver, tcpping) change nothing; they are counted apart.
  const writes = [...e.log.writes('arm'), ...e.log.writes('kube')];
  const reads = e.log.entries.filter((r) => r.surface === 'arm' || r.surface === 'kube').length - writes.length;
  const commands = e.log.entries.filter((r) => r.surface === 'scm').length;
  check('the re-run made zero writes', writes.length === 0, `${writes.length} writes, ${reads} reads (ARM + Kubernetes), ${commands} SCM commands (verify)`);
}

/** Sets the demo cluster's API server access profile, as `az aks update` would. */
function setApiServerAccess(e: Emulator, world: DemoWorld, access: Record<string, unknown>): string {
  const id = `/subscriptions/${e.subscriptionId}/resourceGroups/${world.rg}/providers/Microsoft.ContainerService/managedClusters/aks-demo`;
  const cluster = e.store.get(id)!;
  e.store.put({ ...cluster, properties: { ...(cluster.properties as Record<string, unknown>), apiServerAccessProfile: access } });
  return id;
}

/** A new backend on a cluster whose authorized IP ranges exclude the runner: refused without aks-api-access, wired with it, the range gone after the job. */
async function proveAuthorizedRanges(e: Emulator, world: DemoWorld): Promise<void> {
  const theirs = ['198.51.100.0/24'];
  const id = setApiServerAccess(e, world, { authorizedIPRanges: theirs });
  seedApp(e.kube!.api, { name: 'orders', namespace: 'default', port: 80, targetPort: 8080 });
  say();
  say(`The cluster's API server now accepts only ${theirs.join(', ')}; the runner's address is ${e.network.runnerAddress}.`);
  const inputs = { service: 'orders', 'private-link': 'false', 'pls-visibility': '' };
  // The preflight passed on this world twice already; it runs again with api-access (after aks-api-access).
  const refused = await runFlow(e, world, 'Third run: backend orders, without aks-api-access (preflight: false)', undefined, { ...inputs, preflight: 'false' });
  const named = refused.errors.some((m) => /outside|not inside|authorized IP ranges/.test(m) && m.includes('aks-api-access'));
  check('without aks-api-access the Kubernetes step is refused, naming the ranges and aks-api-access', !refused.succeeded && named, refused.steps.map((s) => `${s.id}:${s.skipped ? 'skipped' : s.succeeded ? 'ok' : 'failed'}`).join(' '));
  // The runner's address comes from the stand-in's echo service, as from https://api.ipify.org on Azure.
  const opened = await runFlow(e, world, 'Fourth run: backend orders, with api-access: true', undefined, { ...inputs, 'api-access': 'true', 'ip-echo-url': e.urls.ipEcho });
  check('with aks-api-access the flow succeeds and its post step ran', opened.succeeded && opened.postsSucceeded && opened.posts.length === 1, `${opened.steps.filter((s) => !s.skipped).map((s) => s.id).join(' ')}, ${opened.posts.length} post step(s)`);
  const after = ((e.store.get(id)?.properties as { apiServerAccessProfile?: { authorizedIPRanges?: string[] } }).apiServerAccessProfile?.authorizedIPRanges ?? []).join(', ');
  check("after the job the cluster's ranges are exactly the team's again", after === theirs.join(', '), after || 'none');
  const answer = await resolve(e, `orders.default.${ZONE}`);
  check(`DNS query for orders.default.${ZONE}`, answer.length === 1 && answer[0] === opened.outputs['service-ip'], `${answer.join(', ')} (orders internal LB IP ${opened.outputs['service-ip'] || 'unknown'})`);
}

/** A new backend on a private cluster: the Kubernetes steps detect it and go through the AKS run command. */
async function provePrivateCluster(e: Emulator, world: DemoWorld): Promise<void> {
  setApiServerAccess(e, world, { enablePrivateCluster: true });
  seedApp(e.kube!.api, { name: 'billing', namespace: 'default', port: 80, targetPort: 8080 });
  say();
  say('The cluster is now private: its API server is reachable only from its VNet (and through the AKS run command).');
  const before = e.log.entries.length;
  const flow = await runFlow(e, world, 'Fifth run: backend billing on the private cluster (preflight: false)', undefined, { service: 'billing', 'private-link': 'false', 'pls-visibility': '', preflight: 'false' });
  const commands = e.log.entries.slice(before).filter((r) => r.method === 'POST' && /\/runCommand$/i.test(r.path)).length;
  check('the flow succeeds on the private cluster through the run command', flow.succeeded && commands > 0, `${commands} run command(s)`);
  const answer = await resolve(e, `billing.default.${ZONE}`);
  check(`DNS query for billing.default.${ZONE}`, answer.length === 1 && answer[0] === flow.outputs['service-ip'], `${answer.join(', ')} (billing internal LB IP ${flow.outputs['service-ip'] || 'unknown'})`);
}

/** The first run's preflight found nothing at or above error (or warning): its findings, counted. */
function provePreflight(steps: StepOutcome[]): void {
  const out = steps.find((s) => s.id === 'preflight')?.outputs ?? {};
  const findings = JSON.parse(out.findings || '[]') as { id: string; severity: string }[];
  // Before the wiring, the Service is not on an internal load balancer yet and coredns-custom has
  // no zone: the two warnings the next steps resolve. Any other warning is a failed check.
  const beforeWiring = new Set(['service-not-internal-lb', 'coredns-zone-missing']);
  const unexpected = findings.filter((f) => f.severity !== 'info' && !beforeWiring.has(f.id));
  check(
    'the preflight (check-private-path) found nothing that would break the private path',
    out.ok === 'true' && out.errors === '0' && unexpected.length === 0,
    `${out.errors ?? '?'} errors, ${out.warnings ?? '?'} warnings, ${findings.length} findings in all (${findings.map((f) => `${f.severity} ${f.id}`).join(', ') || 'none'})`,
  );
}

/** The last step proved the path from inside the web app: the name resolved and the port answered. */
function proveVerify(steps: StepOutcome[]): void {
  const out = steps.find((s) => s.id === 'verify')?.outputs ?? {};
  const hops = (JSON.parse(out.findings || '[]') as { id: string; severity: string; message: string }[]).filter((f) => f.id.startsWith('verify-'));
  check(
    'verify (check-private-path) resolved the Service and connected to it from inside the web app',
    out.ok === 'true' && hops.map((f) => f.id).join() === 'verify-dns-resolved,verify-tcp-connected',
    hops.map((f) => `${f.severity} ${f.id}`).join(', ') || 'no verify finding',
  );
}

/** A broken world in the same stand-in: the preflight stops each run with the right findings, and nothing is written. */
async function proveBrokenWorld(e: Emulator, world: DemoWorld): Promise<void> {
  say();
  say('A broken world (resource group rg-broken): what the preflight must catch before anything is wired.');
  for (const broken of seedBrokenWorld(e)) {
    e.log.clear();
    const flow = await runFlow(e, world, `Broken world: ${broken.label}`, undefined, broken.inputs);
    const ran = flow.steps.filter((s) => !s.skipped).map((s) => s.id);
    const found = errorIds(flow.steps.find((s) => s.id === 'preflight')?.outputs.findings);
    const writes = e.log.writes().length;
    check(
      `the preflight stopped the run (${broken.label})`,
      !flow.succeeded && ran.join() === 'preflight' && found.join() === broken.errors.join() && writes === 0,
      `errors ${found.join(', ') || 'none'}; steps run: ${ran.join(', ')}; ${writes} writes`,
    );
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
