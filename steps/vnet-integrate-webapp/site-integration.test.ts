import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '@private-wire/shared/errors';
import type { WebAppTarget } from '@private-wire/shared/azure/web-apps';
import { routeAllSettingWarning, routingDecision, siteState } from './site-integration';

const target: WebAppTarget = { resourceGroup: 'rg', name: 'app', id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app', label: 'app' };
const site = (outboundVnetRouting: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) => siteState({ location: 'westeurope', properties: { serverFarmId: 'plan', outboundVnetRouting, ...extra } });

test('route-all as read at the chosen api-version: allTraffic || applicationTraffic; the older site-level field is not read', () => {
  assert.deepEqual([site({ allTraffic: false, applicationTraffic: false }).routeAll, site({ applicationTraffic: true }).routeAll, site({ allTraffic: true, applicationTraffic: false }).routeAll], [false, true, true]);
  assert.equal(site({ allTraffic: true }).allTraffic, true);
  assert.equal(site(undefined, { vnetRouteAllEnabled: true, siteConfig: { vnetRouteAllEnabled: true } }).routeAll, false, 'not a field of 2025-05-01 sites');
});

test('route-all: absent, none or update; false on a site with allTraffic on is refused with the command that turns it off', () => {
  assert.equal(routingDecision(undefined, site({ applicationTraffic: true }), target, 'route-all'), 'absent');
  assert.equal(routingDecision(true, site({ allTraffic: true, applicationTraffic: false }), target, 'route-all'), 'none', 'allTraffic already routes all traffic');
  assert.equal(routingDecision(true, site({ applicationTraffic: false }), target, 'route-all'), 'update');
  assert.equal(routingDecision(false, site({ applicationTraffic: true }), target, 'routeAll'), 'update');
  assert.equal(routingDecision(false, site({ applicationTraffic: false }), target, 'route-all'), 'none');
  assert.throws(
    () => routingDecision(false, site({ allTraffic: true, applicationTraffic: true }), target, 'routeAll'),
    (e: unknown) =>
      e instanceof UserError &&
      e.message === "Input 'routeAll' is 'false', but web app 'app' has outboundVnetRouting.allTraffic on, which routes all outbound traffic (configuration traffic too) through the VNet whatever 'routeAll' says." &&
      e.toDisplayString().includes(`az resource update --ids ${target.id} --set properties.outboundVnetRouting.allTraffic=false`),
  );
});

test('the WEBSITE_VNET_ROUTE_ALL warning names the setting and the command that removes it (with the slot)', () => {
  assert.match(routeAllSettingWarning(target, '1', 'route-all'), /app setting WEBSITE_VNET_ROUTE_ALL=1, .* so 'route-all: false' may not take effect\. .*az webapp config appsettings delete -g rg -n app --setting-names WEBSITE_VNET_ROUTE_ALL$/);
  assert.match(routeAllSettingWarning({ ...target, slot: 'staging', label: 'app/slots/staging' }, 'true', 'routeAll'), /-n app --slot staging --setting-names/);
});
