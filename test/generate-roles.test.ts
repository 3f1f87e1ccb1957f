// The roles each step needs are declared in its metadata and the docs are generated from them. These tests
// tie the declarations to the code: every Azure or Kubernetes call a step's code makes (matched below by
// the call it is written as) must be covered by a declared action or verb, and every write call must be
// one the rules below know, so a new write cannot slip past undeclared.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { AKS_CREDENTIAL_PERMISSIONS } from '../packages/shared/src/kubernetes/permissions';
import type { StepMetadata } from '../packages/shared/src/metadata/types';
import { generatedFiles } from '../scripts/lib/generate';
import { ASSIGNMENTS_END, ASSIGNMENTS_START, ROLES_END, ROLES_START, replaceBetween, roleAssignments, rolesTable } from '../scripts/lib/roles';
import { SHIPPED_STEPS } from '../steps/catalog';
import { ROOT } from './support/bundles';

const NET = 'Microsoft.Network';
const WEB = 'Microsoft.Web/sites';
const AKS = 'Microsoft.ContainerService/managedClusters';
/** `<kind>:<namespace>` verbs, where namespace is `ns` (the namespace input), `kube-system` or `cluster`. */
type Rule = { call: RegExp; azure?: string[]; kubernetes?: string[] };

/** How each call in the steps' code is written, and what it needs. Sources: the SDK method's REST operation. */
const RULES: Rule[] = [
  { call: /managedClusters\.createOrUpdate\(/, azure: [`${AKS}/write`] },
  { call: /managedClusters\.get\(/, azure: [`${AKS}/read`] },
  { call: /subnets\.beginCreateOrUpdate/, azure: [`${NET}/virtualNetworks/subnets/write`] },
  { call: /subnets\.get\(/, azure: [`${NET}/virtualNetworks/subnets/read`] },
  { call: /virtualNetworks\.get\(/, azure: [`${NET}/virtualNetworks/read`] },
  { call: /networkSecurityGroups\.get\(/, azure: [`${NET}/networkSecurityGroups/read`] },
  { call: /routeTables\.get\(/, azure: [`${NET}/routeTables/read`] },
  { call: /privateLinkServices\.(list|listBySubscription)\(/, azure: [`${NET}/privateLinkServices/read`] },
  { call: /loadBalancers\.get\(/, azure: [`${NET}/loadBalancers/read`] },
  { call: /privateLinkServices\.listPrivateEndpointConnections\(/, azure: [`${NET}/privateLinkServices/privateEndpointConnections/read`] },
  { call: /privateLinkServices\.updatePrivateEndpointConnection\(/, azure: [`${NET}/privateLinkServices/privateEndpointConnections/write`] },
  { call: /approveOrRejectPrivateEndpointConnection\(|request\.put\(/, azure: ['<type>/privateEndpointConnections/write'] },
  { call: /listPrivateEndpointConnectionList\(|request\.get\(/, azure: ['<type>/privateEndpointConnections/read'] },
  { call: /beginCheckPrivateLinkServiceVisibility/, azure: [`${NET}/locations/checkPrivateLinkServiceVisibility/action`] },
  { call: /privateEndpoints\.beginCreateOrUpdate/, azure: [`${NET}/privateEndpoints/write`, `${NET}/virtualNetworks/subnets/join/action`] },
  { call: /privateEndpoints\.get\(/, azure: [`${NET}/privateEndpoints/read`] },
  { call: /networkInterfaces\.get\(/, azure: [`${NET}/networkInterfaces/read`] },
  { call: /raw\(t\)\.get\(zonePath|raw\.get\(zonesPath/, azure: [`${NET}/privateDnsZones/read`] },
  { call: /get\(`\$\{zone(Path|\.id)\}\/virtualNetworkLinks`/, azure: [`${NET}/privateDnsZones/virtualNetworkLinks/read`] },
  { call: /raw\(t\)\.get\(recordPath/, azure: [`${NET}/privateDnsZones/A/read`] },
  { call: /raw\(t\)\.put\(recordPath/, azure: [`${NET}/privateDnsZones/A/write`] },
  { call: /raw\.get\(target\.id, SITE_API_VERSION\)/, azure: [`${WEB}/read`] },
  { call: /raw\.get\((state\.)?planId, SITE_API_VERSION\)/, azure: ['Microsoft.Web/serverfarms/read'] },
  // The site PATCH with virtualNetworkSubnetId joins the subnet.
  { call: /raw\.patch\(target\.id, SITE_API_VERSION, \{ properties: \{ virtualNetworkSubnetId/, azure: [`${WEB}/write`, `${NET}/virtualNetworks/subnets/join/action`] },
  { call: /raw\.patch\(target\.id, SITE_API_VERSION, dnsConfigurationPatch/, azure: [`${WEB}/write`] },
  { call: /raw\.patch\(`\$\{target\.id\}\/config\/web`/, azure: [`${WEB}/config/write`] },
  { call: /listVnetConnections(Slot)?\(/, azure: [`${WEB}/virtualNetworkConnections/read`] },
  { call: /listAppSettings\(/, azure: [`${WEB}/config/list/action`] },
  { call: /replaceAppSettings\(/, azure: [`${WEB}/config/write`] },
  { call: /raw\.get\(id, CDN_API_VERSION\)/, azure: ['Microsoft.Cdn/profiles/read'] },
  { call: /raw\.list\(`\$\{profileId\}\/originGroups`/, azure: ['Microsoft.Cdn/profiles/originGroups/read'] },
  { call: /raw\.list\(path, CDN_API_VERSION\)/, azure: ['Microsoft.Cdn/profiles/originGroups/origins/read'] },
  // Kubernetes (kube-client.ts): read = get; apply = server-side apply PATCH, which creates when absent.
  { call: /kube\.read\(\[CONFIGMAP_REF/, kubernetes: ['configmaps:kube-system:get'] },
  { call: /kube\.read\(\[CONFIGMAP_REF, DEPLOYMENT_REF/, kubernetes: ['deployments:kube-system:get', 'services:kube-system:get'] },
  { call: /kube\.create\(\{ apiVersion: 'v1', kind: 'ConfigMap'/, kubernetes: ['configmaps:kube-system:create'] },
  { call: /kube\.patch\(CONFIGMAP_REF/, kubernetes: ['configmaps:kube-system:patch'] },
  { call: /kube\.patch\(DEPLOYMENT_REF/, kubernetes: ['deployments:kube-system:patch'] },
  { call: /kube\.waitForRollout\(NAMESPACE/, kubernetes: ['deployments:kube-system:get', 'deployments:kube-system:watch'] },
  { call: /kube\.apply\(body/, kubernetes: ['services:kube-system:patch', 'services:kube-system:create'] },
  { call: /kube\.loadBalancerIp\(NAMESPACE/, kubernetes: ['services:kube-system:list', 'services:kube-system:watch', 'events:kube-system:list', 'events:kube-system:watch'] },
  { call: /kube\.loadBalancerIp\(settings\.namespace/, kubernetes: ['services:ns:list', 'services:ns:watch', 'events:ns:list', 'events:ns:watch'] },
  { call: /kube\.read\(\[serviceRef\(s\)/, kubernetes: ['services:ns:get'] },
  { call: /\{ kind: 'Namespace', name: s\.namespace \}/, kubernetes: ['namespaces:cluster:get'] },
  { call: /kube\.apply\(\{ apiVersion: 'v1', kind: 'Service'/, kubernetes: ['services:ns:patch', 'services:ns:create'] },
  { call: /kube\.create\(\{ apiVersion: 'v1', kind: 'Service'/, kubernetes: ['services:ns:create'] },
  { call: /kube\.patch\(serviceRef\(s\)/, kubernetes: ['services:ns:patch'] },
];

/** Calls that write (or may write): each must be matched by a rule above. */
const WRITE_CALL = /\b(beginCreateOrUpdate\w*|createOrUpdate|beginDelete\w*|delete|update[A-Z]\w*|approveOrReject\w*|replaceAppSettings|raw(\(t\))?\.(put|patch|post|delete)|request\.(put|post|delete)|kube\.(create|apply|patch|delete))\(/;

function stepSources(id: string): string[] {
  const dir = path.join(ROOT, 'steps', id);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'metadata.ts' && f !== 'fixture.ts')
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').map((line, i) => `${f}:${i + 1}: ${line}`));
}

function declared(meta: StepMetadata) {
  const azure = new Set(meta.permissions?.azure.flatMap((p) => p.actions) ?? []);
  const kubernetes = new Set(
    (meta.permissions?.kubernetes ?? []).flatMap((p) => {
      const ns = p.namespace === 'the namespace input' ? 'ns' : p.namespace;
      return p.resources.flatMap((r) => p.verbs.map((v) => `${r}:${ns}:${v}`));
    }),
  );
  return { azure, kubernetes };
}

/** What the code of a step calls, by the rules; plus every write call no rule explains. */
function neededBy(lines: readonly string[]) {
  const azure = new Set<string>();
  const kubernetes = new Set<string>();
  const unexplained: string[] = [];
  for (const line of lines) {
    const code = line.replace(/^[^:]+:\d+: /, '');
    if (/^\s*(\/\/|\*)/.test(code)) continue;
    const rules = RULES.filter((r) => r.call.test(code));
    for (const r of rules) {
      for (const a of r.azure ?? []) azure.add(a);
      for (const k of r.kubernetes ?? []) kubernetes.add(k);
    }
    if (rules.length === 0 && WRITE_CALL.test(code)) unexplained.push(line.trim());
  }
  return { azure, kubernetes, unexplained };
}

describe('step permissions match the code', () => {
  for (const meta of SHIPPED_STEPS) {
    test(`${meta.id}: every call its code makes is declared in its metadata`, () => {
      const need = neededBy(stepSources(meta.id));
      const have = declared(meta);
      assert.deepEqual(need.unexplained, [], `${meta.id}: write calls no rule in this test knows; add a rule and declare what they need`);
      assert.deepEqual([...need.azure].filter((a) => !have.azure.has(a)), [], `${meta.id}: Azure actions the code needs but metadata.ts does not declare`);
      assert.deepEqual([...need.kubernetes].filter((k) => !have.kubernetes.has(k)), [], `${meta.id}: Kubernetes verbs the code needs but metadata.ts does not declare`);
    });
  }

  test('every step that reaches Kubernetes declares the AKS credential and run command permissions', () => {
    for (const meta of SHIPPED_STEPS.filter((m) => m.service === 'kubernetes' || m.service === 'azure-and-kubernetes')) {
      for (const p of AKS_CREDENTIAL_PERMISSIONS) assert.ok(meta.permissions?.azure.includes(p), `${meta.id} lacks ${p.actions.join(', ')}`);
    }
  });

  test('action names have the shape of resource provider operations', () => {
    for (const meta of SHIPPED_STEPS) {
      for (const a of meta.permissions?.azure.flatMap((p) => p.actions) ?? []) {
        assert.match(a, /^(Microsoft\.[A-Za-z]+|<type>)(\/[A-Za-z]+)+\/(read|write|delete|action)$/, `${meta.id}: ${a}`);
      }
    }
  });

  test('a write call no rule knows is reported, and a call the metadata does not declare fails', () => {
    assert.deepEqual(neededBy(['x.ts:1:     await client.privateEndpoints.beginDeleteAndWait(rg, name);']).unexplained.length, 1);
    const need = neededBy(['x.ts:1:     await kube.patch(CONFIGMAP_REF, "merge", {});']);
    assert.deepEqual([...need.kubernetes], ['configmaps:kube-system:patch']);
  });
});

describe('generated role docs', () => {
  test('README.md and docs/SETUP.md carry the generated sections, and they are current', () => {
    const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
    const files = generatedFiles(SHIPPED_STEPS, '1.0.0', read);
    assert.ok(read('README.md').includes(ROLES_START), 'README.md lacks the required-roles markers');
    assert.ok(read('docs/SETUP.md').includes(ASSIGNMENTS_START), 'docs/SETUP.md lacks the role-assignment markers');
    assert.equal(files.get('README.md'), read('README.md'), 'README.md roles table is stale: run pnpm generate');
    assert.equal(files.get('docs/SETUP.md'), read('docs/SETUP.md'), 'docs/SETUP.md role assignments are stale: run pnpm generate');
  });

  test('the table names each step once with its roles and verbs; the commands assign each role on its scope', () => {
    const table = rolesTable(SHIPPED_STEPS);
    for (const meta of SHIPPED_STEPS) assert.equal(table.split(`[\`${meta.id}\`]`).length, 2, meta.id);
    assert.match(table, /Website Contributor on the web app \(`Microsoft\.Web\/sites\/read`/);
    assert.match(table, /get `namespaces` cluster-wide/);
    const commands = roleAssignments(SHIPPED_STEPS);
    assert.match(commands, /--role "Azure Kubernetes Service Contributor Role" --scope "\$CLUSTER_ID"/);
    assert.ok(!commands.includes('# configure-coredns-external\n\n'), 'a step with Azure permissions has commands');
  });

  test('replaceBetween leaves a text without markers unchanged and replaces only between them', () => {
    assert.equal(replaceBetween('no markers', ROLES_START, ROLES_END, 'x'), 'no markers');
    assert.equal(replaceBetween(`a${ROLES_START}old${ROLES_END}b`, ROLES_START, ROLES_END, 'new'), 'anewb');
    assert.equal(replaceBetween(`a${ASSIGNMENTS_END}${ASSIGNMENTS_START}b`, ASSIGNMENTS_START, ASSIGNMENTS_END, 'x'), `a${ASSIGNMENTS_END}${ASSIGNMENTS_START}b`);
  });
});
