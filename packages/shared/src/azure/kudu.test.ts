import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppServiceScmHost } from './kudu';

test('the ARM token goes only to SCM hosts of App Service domains', () => {
  for (const host of ['app.scm.azurewebsites.net', 'app-staging.scm.azurewebsites.us', 'app.scm.chinacloudsites.cn', 'app.scm.my-ase.appserviceenvironment.net']) assert.equal(isAppServiceScmHost(host), true, host);
  for (const host of ['app.azurewebsites.net', 'scm.azurewebsites.net.evil.example', 'app.scm.evil.example', 'app.scm.azurewebsites.net:8443', 'app.scm.azurewebsites.net/x', 'notazurewebsites.net']) assert.equal(isAppServiceScmHost(host), false, host);
});
