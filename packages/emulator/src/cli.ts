// `pnpm emulator`: starts the stand-in with a small demo world and prints what to export.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from './index';

async function main(): Promise<void> {
  const e = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 0) });
  const secret = 'demo-secret';
  const app = e.registerApp({ secret, displayName: 'private-wire-demo' });
  e.seed.resourceGroup('rg-app', 'westeurope');
  e.seed.resourceGroup('rg-aks', 'westeurope');
  const { subnets } = e.seed.vnet('rg-aks', 'vnet-aks', {
    addressPrefixes: ['10.1.0.0/16'],
    subnets: [
      { name: 'nodes', addressPrefix: '10.1.0.0/22' },
      { name: 'pls', addressPrefix: '10.1.8.0/24', privateLinkServiceNetworkPolicies: 'Disabled' },
    ],
  });
  e.seed.vnet('rg-app', 'vnet-app', { addressPrefixes: ['10.2.0.0/16'], subnets: [{ name: 'integration', addressPrefix: '10.2.1.0/26', delegations: ['Microsoft.Web/serverFarms'] }, { name: 'pe', addressPrefix: '10.2.2.0/24' }] });
  const plan = e.seed.plan('rg-app', 'plan', { sku: 'P1v3' });
  e.seed.site('rg-app', 'app', plan.id, { appSettings: { WEBSITE_RUN_FROM_PACKAGE: '1' }, slots: ['staging'] });
  e.seed.cluster('rg-aks', 'aks', { aad: true });
  const pls = e.seed.privateLinkService('rg-aks', 'pls-ingress', { subnetId: subnets[1]!.id });
  e.seed.privateEndpointRequest(pls.id, { requestMessage: 'demo request from another subscription' });
  const gh = e.github.createRequest({ repository: 'contoso/private-wire' });
  e.registerApp({ clientId: app.clientId, secret, federated: [{ issuer: e.urls.githubIssuer, subject: gh.subject }] });

  // The cluster's kubeconfig, as `az aks get-credentials` would write it, next to the CA file.
  const kubeconfig = path.join(path.dirname(e.tls.caFile), 'kubeconfig');
  writeFileSync(kubeconfig, e.kube!.kubeconfig({ https: true }), { mode: 0o600 });
  const env = { ...e.env(), AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_SECRET: secret, KUBECONFIG: kubeconfig, ...gh.env };
  console.log(
    [
      `ARM + Entra ID: ${e.urls.arm}  (steps: environment=Custom, resource-manager-endpoint and authority-host = this URL)`,
      `Kubernetes API: ${e.kube!.httpsUrl}  (kubeconfig: ${kubeconfig})`,
      `CoreDNS: 127.0.0.1:${e.coredns!.port} (UDP and TCP)`,
      `managed identity: ${e.urls.managedIdentity}`,
      `az proxy: ${e.urls.azProxy}`,
      '',
    ].join('\n'),
  );
  for (const [k, v] of Object.entries(env)) console.log(`export ${k}='${v}'`);
  const stop = () => {
    void e.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
