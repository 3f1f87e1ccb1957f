import type { RequestContext } from '../http';

/**
 * A client-credentials request's client id and secret, from the form or HTTP Basic authentication
 * (RFC 6749 §2.3.1 allows either; Entra ID and AD FS both accept both). Form values win.
 */
export function clientCredentials(ctx: RequestContext, form: URLSearchParams): { clientId: string | null; secret: string | null } {
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? '');
  if (basic) {
    const [id, s] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    clientId ??= decodeURIComponent(id ?? '');
    secret ??= decodeURIComponent(s ?? '');
  }
  return { clientId, secret };
}
