import { randomUUID } from 'node:crypto';
import { decodeJwt, nowSeconds, signJwt, verifySignature, type Claims, type SigningKey } from '../jwt';

/** Audiences of Azure Resource Manager tokens (public cloud and the older classic name). */
export const ARM_AUDIENCES = ['https://management.azure.com/', 'https://management.core.windows.net/'];
/**
 * ARM's audiences in the US Government and China clouds, whose Entra ID authority hosts the
 * stand-in also answers for: resource_manager and active_directory_resource_id of azure-cli's
 * AZURE_US_GOV_CLOUD and AZURE_CHINA_CLOUD (Azure/azure-cli src/azure-cli-core/azure/cli/core/cloud.py).
 */
export const SOVEREIGN_ARM_AUDIENCES = [
  'https://management.usgovcloudapi.net/',
  'https://management.core.usgovcloudapi.net/',
  'https://management.chinacloudapi.cn/',
  'https://management.core.chinacloudapi.cn/',
];
/** The AKS AAD server application: audience of tokens kubelogin gets for AAD clusters. */
export const AKS_AAD_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** Audiences compare without case and trailing slash (`https://management.azure.com` == `.../`). */
export const sameAudience = (a: string, b: string) => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

export interface TokenSubject {
  tenantId: string;
  /** Application (client) id; `appid`/`azp`. */
  appId: string;
  /** Object id of the service principal / managed identity; `oid`/`sub`. */
  objectId: string;
  /** `idtyp`: app for service principals and managed identities. */
  kind?: 'app' | 'user';
}

export type VerifyResult =
  | { ok: true; claims: Claims }
  | { ok: false; code: 'invalid' | 'expired' | 'audience'; message: string };

/** Issues and checks the stand-in's access tokens (RS256 JWTs, one signing key per emulator). */
export class AccessTokens {
  constructor(
    private readonly key: SigningKey,
    private readonly issuerFor: (tenantId: string) => string,
    readonly lifetimeSeconds = 3600,
  ) {}

  issue(subject: TokenSubject, audience: string): { token: string; expiresOn: number; claims: Claims } {
    const now = nowSeconds();
    const claims: Claims = {
      aud: audience,
      iss: this.issuerFor(subject.tenantId),
      iat: now,
      nbf: now,
      exp: now + this.lifetimeSeconds,
      appid: subject.appId,
      azp: subject.appId,
      appidacr: '1',
      idtyp: subject.kind ?? 'app',
      oid: subject.objectId,
      sub: subject.objectId,
      tid: subject.tenantId,
      uti: randomUUID(),
      ver: '1.0',
    };
    return { token: signJwt(this.key, claims), expiresOn: now + this.lifetimeSeconds, claims };
  }

  /**
   * Checks a bearer token: signed by this emulator, not expired, for `audience` (one of, when a
   * list). The Kubernetes side uses this to accept AAD tokens on AAD-enabled clusters.
   */
  verify(token: string, audience: string | string[]): VerifyResult {
    const jwt = decodeJwt(token);
    if (!jwt || jwt.header.kid !== this.key.kid || !verifySignature(jwt, this.key)) {
      return { ok: false, code: 'invalid', message: 'The access token is invalid.' };
    }
    const exp = Number(jwt.payload.exp);
    if (!Number.isFinite(exp) || exp <= nowSeconds()) {
      return { ok: false, code: 'expired', message: `The access token expiry UTC time '${new Date(exp * 1000).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.` };
    }
    const audiences = Array.isArray(audience) ? audience : [audience];
    const aud = String(jwt.payload.aud);
    if (!audiences.some((a) => sameAudience(a, aud))) {
      return { ok: false, code: 'audience', message: `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences '${audiences.join("','")}'.` };
    }
    return { ok: true, claims: jwt.payload };
  }
}
