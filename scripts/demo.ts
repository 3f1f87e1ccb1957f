// pnpm demo: the whole procedure against a seeded local stand-in of Azure and AKS, through the
// bundled steps run exactly as the GitHub runner runs them (the composite action
// actions/connect-webapp-to-aks), then proof from the web app's side (a DNS query to the DNS
// server it now uses), then the same flow again to show that a re-run changes nothing.
// Exit code 0 only when every check passed.
import { execFileSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import path from 'node:path';
import { startEmulator } from '../packages/emulator/src/index';
import type { StepOutcome } from './lib/composite';
import { APP_SETTINGS, CONSUMER_SUBSCRIPTION, REPOSITORY, STRANGER_SUBSCRIPTION, ZONE, runConnectFlow, seedDemoWorld } from './lib/demo-world';

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
  const e = await startEmulator({ provisioningDelayMs: 150, kube: { loadBalancerDelayMs: 400, rolloutDelayMs: 300 } });
  try {
    const world = await seedDemoWorld(e);
    const { rg, clientId } = world;
    say(`Local stand-in up (ARM ${e.urls.arm}, Kubernetes ${e.kube!.httpsUrl}, CoreDNS 127.0.0.1:${e.coredns!.port}).`);
    say('Seeded: resource group rg-demo; VNet vnet-aks (10.224.0.0/12) with the AKS node subnet; plan plan-frontend (P1v3)');
    say(`and web app app-frontend with ${Object.keys(APP_SETTINGS).length} app settings; AKS cluster aks-demo running Deployment and Service default/backend.`);
    say(`The job signs in with GitHub OIDC as ${REPOSITORY}@main (a federated credential on app ${clientId}).`);

    const runFlow = async (label: string, afterStep?: (outcome: StepOutcome) => Promise<void>) => {
      say();
      say(`━━ ${label} ━━`);
      return runConnectFlow(e, world, {
        afterStep,
        onStart: (step, id) => say(`▶ ${step} (${id})`),
        onStep: (step, run, ms) => {
          const errors = [...run.stdout.matchAll(/^::error::(.*)$/gm)].map((m) => m[1]!.replace(/%0A/g, '\n'));
          if (run.summary.trim()) say(indent(run.summary));
          for (const w of run.stdout.matchAll(/^::warning::(.*)$/gm)) say(`    warning: ${w[1]}`);
          if (errors.length) say(indent(`error: ${errors.join('\n')}`));
          say(`  ${run.exitCode === 0 ? '✔' : '✖'} ${step}: changed=${run.outputs.changed ?? '?'} (${(ms / 1000).toFixed(1)} s)`);
        },
      });
    };

    let pendingFromConsumer = '';
    let pendingFromStranger = '';
    const first = await runFlow('First run: wire everything', async (outcome) => {
      if (outcome.id !== 'expose' || !outcome.outputs['pls-id']) return;
      // Meanwhile, two other teams ask for private endpoints to the new Private Link Service.
      pendingFromConsumer = e.seed.privateEndpointRequest(outcome.outputs['pls-id'], { subscriptionId: CONSUMER_SUBSCRIPTION, name: 'pe-payments' }).connection.id;
      pendingFromStranger = e.seed.privateEndpointRequest(outcome.outputs['pls-id'], { subscriptionId: STRANGER_SUBSCRIPTION, name: 'pe-unknown' }).connection.id;
      say(`  … a consumer (subscription ${CONSUMER_SUBSCRIPTION.slice(0, 8)}…) and an unknown one (${STRANGER_SUBSCRIPTION.slice(0, 8)}…) request private endpoints to ${outcome.outputs['pls-alias']}`);
    });

    say();
    say('━━ Proof from the web app\'s side ━━');
    check('the flow succeeded', first.succeeded, first.steps.map((s) => `${s.id}:${s.skipped ? 'skipped' : s.succeeded ? 'ok' : 'failed'}`).join(' '));
    const site = e.store.get(`/subscriptions/${e.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Web/sites/app-frontend`)!;
    const siteProps = site.properties as { virtualNetworkSubnetId?: string; dnsConfiguration?: { dnsServers?: string[] } };
    check('web app is VNet-integrated', /\/subnets\/snet-webapp-integration$/i.test(siteProps.virtualNetworkSubnetId ?? ''), siteProps.virtualNetworkSubnetId ?? 'no subnet');
    const dnsServer = siteProps.dnsConfiguration?.dnsServers?.[0] ?? '';
    check('web app DNS points at CoreDNS on the internal load balancer', !!dnsServer && dnsServer === first.outputs['dns-ip'], `dnsServers=[${siteProps.dnsConfiguration?.dnsServers?.join(', ') ?? ''}]`);
    // In the VNet, dnsServer is CoreDNS's internal-LB IP; here the stand-in's CoreDNS answers on loopback for it.
    const resolver = new Resolver({ timeout: 2000, tries: 2 });
    resolver.setServers([`127.0.0.1:${e.coredns!.port}`]);
    const name = `backend.default.${ZONE}`;
    let answer: string[] = [];
    try {
      answer = await resolver.resolve4(name);
    } catch (error) {
      answer = [`(${(error as Error).message})`];
    }
    check(`DNS query for ${name} via ${dnsServer || 'the web app DNS server'}`, answer.length === 1 && answer[0] === first.outputs['service-ip'], `${answer.join(', ')} (backend internal LB IP ${first.outputs['service-ip'] || 'unknown'})`);
    const settings = (e.store.get(`${site.id}/config/appsettings`)?.properties ?? {}) as Record<string, string>;
    const kept = Object.entries(APP_SETTINGS).filter(([k, v]) => settings[k] === v).length;
    check('every existing app setting kept', kept === Object.keys(APP_SETTINGS).length, `${kept}/${Object.keys(APP_SETTINGS).length} unchanged`);
    const state = (id: string) => ((e.store.get(id)?.properties as { privateLinkServiceConnectionState?: { status?: string } } | undefined)?.privateLinkServiceConnectionState?.status ?? 'missing');
    check('allowed consumer approved, unknown requester still pending', state(pendingFromConsumer) === 'Approved' && state(pendingFromStranger) === 'Pending', `pe-payments ${state(pendingFromConsumer)}, pe-unknown ${state(pendingFromStranger)}`);

    e.log.clear();
    const second = await runFlow('Second run: nothing to do');
    say();
    say('━━ Re-run ━━');
    const changed = second.steps.filter((s) => !s.skipped && s.outputs.changed !== 'false');
    check('every step reports changed=false', second.succeeded && changed.length === 0, changed.length ? `changed: ${changed.map((s) => s.id).join(', ')}` : `${second.steps.filter((s) => !s.skipped).length} steps, none changed`);
    const writes = e.log.writes();
    const reads = e.log.entries.filter((r) => r.surface === 'arm' || r.surface === 'kube').length - writes.length;
    check('the re-run made zero writes', writes.length === 0, `${writes.length} writes, ${reads} reads (ARM + Kubernetes)`);
  } finally {
    await e.stop();
  }

  const failed = checks.filter((c) => !c.ok);
  say();
  say(`${failed.length === 0 ? '✔ All' : `✖ ${failed.length} of`} ${checks.length} checks ${failed.length === 0 ? 'passed' : 'failed'}; the flow took ${seconds(flowStarted)} (${seconds(started)} with the build).`);
  return failed.length === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
