import { runGitHubAction } from '@private-wire/shared/hosts/github';
import { exposeInternalServiceStep } from '@private-wire/shared/steps/expose-internal-service/index';

void runGitHubAction(exposeInternalServiceStep);
