// A real OpenID Connect provider for the sign-in journeys: npm's `oidc-provider` (installed by
// `cargo xtask` into the tools folder, its path in KAIFANG_OIDC_PROVIDER), with one client —
// the intake — and the people the journeys sign in as, each with the claims a platform's
// unified identity authentication (统一身份认证) asserts and the groups that make officials.
//
//   node tests/auth/provider.mjs PORT REDIRECT_URI [REDIRECT_URI…]
//
// Prints `oidc-provider listening on http://127.0.0.1:PORT` once it answers. Signing in uses
// the provider's own development login form: any password, the login names the account.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [port, ...redirects] = process.argv.slice(2);
if (!port || redirects.length === 0) {
  console.error('usage: provider.mjs PORT REDIRECT_URI…');
  process.exit(2);
}
const moduleDir = process.env.KAIFANG_OIDC_PROVIDER;
if (!moduleDir) throw new Error('KAIFANG_OIDC_PROVIDER must name the oidc-provider package folder');
const { default: Provider } = await import(pathToFileURL(join(moduleDir, 'lib/index.js')).href);

export const CLIENT = { id: 'kaifang-intake', secret: 'kaifang-test-client-secret' };

/** The people: claims as the configuration in tests/auth/intake.toml names them. */
export const ACCOUNTS = {
  researcher: { name: '张研究', email: 'researcher@example.edu.cn', id_card: '11010519491231002X', groups: [] },
  'official-jt': { name: '李交通', email: 'li@jt.example.gov.cn', groups: ['dept:jtj', 'staff'] },
  'official-hb': { name: '王环保', email: 'wang@hb.example.gov.cn', groups: ['dept:sthjj'] },
  authority: { name: '赵数据', email: 'zhao@dsj.example.gov.cn', groups: ['data-authority'] },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: CLIENT.id,
    client_secret: CLIENT.secret,
    redirect_uris: redirects,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email'],
    kaifang: ['id_card', 'groups'],
  },
  scopes: ['openid', 'profile', 'email', 'kaifang'],
  pkce: { required: () => true },
  cookies: { keys: ['kaifang-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const claims = ACCOUNTS[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  // First-party client: the consent screen is skipped (a grant of every scope asked for).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email kaifang');
    grant.addOIDCClaims(['id_card', 'groups', 'name', 'email']);
    await grant.save();
    return grant;
  },
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on http://127.0.0.1:${port}`);
});
