// The credentials `images fetch` and onboard read an HTTP store with: the same
// ones a release to it uses (CROSSFLAKE_STORE_TOKEN, CROSSFLAKE_STORE_USER and
// CROSSFLAKE_STORE_PASSWORD, else ~/.netrc), bound to the origin of the URL the
// user named. The HTTP layer sends them there only, and only once that origin
// asks (HTTP 401): a public server and a redirect target never see them.
import { checkHttpUrl, type NetConfig } from '../../io/net/client.js';
import { readNetrc } from '../../io/net/put-credentials.js';
import { authHeader, httpStoreAuth } from './credentials.js';

export async function withStoreAuth(net: NetConfig, source: string): Promise<NetConfig> {
  if (!/^https?:\/\//i.test(source)) return net;
  const url = checkHttpUrl(source);
  const auth = httpStoreAuth(net.env, url.hostname, await readNetrc(net.env));
  return {
    ...net,
    auth: {
      origin: url.origin,
      authorization: authHeader(auth).authorization ?? null,
      from: auth.kind === 'none' ? null : auth.from,
      asked: false,
    },
  };
}
