import { runGitHubAction } from '@private-wire/shared/hosts/github';
import { setWebappDnsStep } from '@private-wire/shared/steps/set-webapp-dns/index';

void runGitHubAction(setWebappDnsStep);
