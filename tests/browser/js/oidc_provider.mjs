// A throw-away OpenID Connect provider for the browser suite's sign-in test.
//
// Usage: node oidc_provider.mjs  (settings from the environment)
//   OIDC_PORT           port to listen on (loopback only)
//   OIDC_CLIENT_ID      the dashboard's client id
//   OIDC_CLIENT_SECRET  its secret (sent with HTTP Basic, as Authlib does by default)
//   OIDC_REDIRECT_URI   the dashboard's /oauth2callback (also where sign-out returns)
//
// The provider's development login form accepts any login and password: the login typed is
// the account, and an account that looks like an e-mail address gets it as a verified e-mail
// claim (anything else gets <login>@example.org, unverified). Prints "ready <issuer>" once
// it listens.

import Provider from 'oidc-provider';

const port = Number.parseInt(process.env.OIDC_PORT ?? '', 10);
const clientId = process.env.OIDC_CLIENT_ID;
const clientSecret = process.env.OIDC_CLIENT_SECRET;
const redirectUri = process.env.OIDC_REDIRECT_URI;
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error('set OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;

function claimsFor(login) {
  const looksLikeEmail = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(login);
  return {
    sub: login,
    email: looksLikeEmail ? login.toLowerCase() : `${login}@example.org`,
    email_verified: looksLikeEmail,
    name: login,
  };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the scope's claims into the ID token itself: Streamlit reads the user from the ID
  // token, not from the userinfo endpoint (most providers do this by default).
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return claimsFor(id);
      },
    };
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  // Streamlit sends prompt=select_account unless told otherwise; this provider (like some
  // real ones) only knows login and consent, so the test configures prompt=login.
});

provider.on('server_error', (ctx, error) => console.error('server_error', error));

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
