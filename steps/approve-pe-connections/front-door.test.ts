import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { skuProblem, voucherOf, vouchersFor, type PrivateOrigin } from './front-door';

const TARGET = '/subscriptions/1111/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls-web';
const OTHER = '/subscriptions/1111/resourceGroups/rg/providers/Microsoft.Web/sites/app';
const ENDPOINT = '/subscriptions/ffff/resourceGroups/eafd-prod-westeurope/providers/Microsoft.Network/privateEndpoints/abc';
const origin = (name: string, privateLinkId: string, requestMessage: string): PrivateOrigin => ({ label: `afd/og/${name}`, privateLinkId, requestMessage });

describe('Front Door origins vouching for connections (no I/O)', () => {
  test('an origin pointing at the target (any case, trailing slash) vouches for the connection whose description is its message', () => {
    const v = vouchersFor('afd', [origin('o-web', `${TARGET.toUpperCase()}/`, 'afd web 7f3a'), origin('o-app', OTHER, 'afd app 9c1d')], TARGET);
    assert.equal(voucherOf(v, { endpointId: ENDPOINT, description: 'afd web 7f3a' }), 'origin afd/og/o-web');
    assert.equal(voucherOf(v, { endpointId: ENDPOINT, description: 'afd app 9c1d' }), undefined, 'an origin pointing elsewhere vouches for nothing here');
    assert.deepEqual(v.warnings, []);
  });

  test('the message must be exactly the description, and the connection must name its endpoint', () => {
    const v = vouchersFor('afd', [origin('o-web', TARGET, 'afd web 7f3a')], TARGET);
    for (const description of ['AFD WEB 7F3A', 'afd web 7f3a ', 'afd web', '', undefined]) {
      assert.equal(voucherOf(v, { endpointId: ENDPOINT, description }), undefined, `description ${JSON.stringify(description)}`);
    }
    assert.equal(voucherOf(v, { description: 'afd web 7f3a' }), undefined);
  });

  test('an origin without a message vouches for nothing (not even an empty description) and is warned about', () => {
    const v = vouchersFor('afd', [origin('o-quiet', TARGET, ''), origin('o-blank', TARGET, '   ')], TARGET);
    assert.equal(voucherOf(v, { endpointId: ENDPOINT, description: '' }), undefined);
    assert.equal(voucherOf(v, { endpointId: ENDPOINT, description: '   ' }), undefined);
    assert.equal(v.warnings.length, 2);
    assert.match(v.warnings[0]!, /origin afd\/og\/o-quiet has a private link to the resource but no request message, so it vouches for no connection/);
  });

  test('two origins sharing a message both vouch, and are warned about without quoting the message', () => {
    const v = vouchersFor('afd', [origin('o-1', TARGET, 'shared secret words'), origin('o-2', TARGET, 'shared secret words'), origin('o-3', TARGET, 'own')], TARGET);
    assert.equal(voucherOf(v, { endpointId: ENDPOINT, description: 'shared secret words' }), 'origins afd/og/o-1 and afd/og/o-2');
    assert.equal(v.warnings.length, 1);
    assert.match(v.warnings[0]!, /origins afd\/og\/o-1, afd\/og\/o-2 share one request message/);
    assert.ok(!v.warnings.some((w) => w.includes('shared secret words')), 'the message is never printed');
  });

  test('a profile with no origin pointing at the target says so', () => {
    const v = vouchersFor('afd', [origin('o-app', OTHER, 'm')], TARGET);
    assert.match(v.warnings.join('\n'), /No origin of Front Door profile afd has a private link to/);
    assert.equal(v.byMessage.size, 0);
  });

  test('SKU: Premium or unreadable is fine, Standard is warned about, anything else is an error', () => {
    assert.equal(skuProblem('Premium_AzureFrontDoor'), undefined);
    assert.equal(skuProblem('premium_azurefrontdoor'), undefined);
    assert.equal(skuProblem(undefined), undefined);
    assert.deepEqual(skuProblem('Standard_AzureFrontDoor'), { kind: 'warning', sku: 'Standard_AzureFrontDoor' });
    assert.deepEqual(skuProblem('Standard_Microsoft'), { kind: 'error', sku: 'Standard_Microsoft' });
  });
});
