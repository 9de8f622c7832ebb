// A real OpenID Connect provider for the tests: panva's certified oidc-provider on 127.0.0.1.
//
//   node provider.mjs <port> <accounts.json> <client.json>
//
// accounts.json: [{"sub", "email", "name", "given_name", "family_name", "preferred_username",
// "groups"}, ...], read again at every lookup, so a test can change someone's groups between two
// sign-ins. client.json: {"client_id", "client_secret", "redirect_uris",
// "post_logout_redirect_uris"}. Signing in uses the package's development pages: any account's
// sub as the login, any password. PKCE is required; ID tokens are RS256 with a key made at start
// and carry the groups, as Microsoft Entra ID's do.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const [port, accountsFile, clientFile] = process.argv.slice(2);
if (!port || !accountsFile || !clientFile) {
  console.error('usage: node provider.mjs <port> <accounts.json> <client.json>');
  process.exit(2);
}

const CLAIMS = ['email', 'email_verified', 'name', 'given_name', 'family_name', 'preferred_username', 'groups'];

function findAccount(ctx, sub) {
  const accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
  const account = accounts.find((candidate) => candidate.sub === sub);
  if (!account) return undefined;
  return {
    accountId: sub,
    async claims() {
      const claims = { sub, email_verified: true };
      for (const name of CLAIMS) if (name in account) claims[name] = account[name];
      return claims;
    },
  };
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'tests', use: 'sig', alg: 'RS256' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    ...JSON.parse(readFileSync(clientFile, 'utf8')),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  findAccount,
  jwks: { keys: [signingKey] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'groups'],
  },
  // The scopes' claims in the ID token too, where Entra ID puts the groups.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: [randomBytes(32).toString('hex')] },
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${provider.issuer}`);
});
