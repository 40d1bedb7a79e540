import * as oidc from 'openid-client';

/**
 * Single sign-on with an organisation's own OpenID Connect provider (NHS Scotland and councils use
 * Microsoft Entra ID): the authorisation code flow with PKCE, state and nonce.
 */

export interface ProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** What the callback needs to check the answer; kept in the session between the two requests. */
export interface PendingSignIn {
  organizationId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  startedAt: string;
}

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean | undefined;
  name: string | undefined;
  /** The provider says it asked for a second factor (amr contains "mfa"). */
  multiFactor: boolean;
}

export interface OidcClient {
  start(settings: ProviderSettings, redirectUri: string): Promise<{ url: string; pending: Omit<PendingSignIn, 'organizationId' | 'startedAt'> }>;
  finish(settings: ProviderSettings, redirectUri: string, callbackUrl: URL, pending: PendingSignIn): Promise<VerifiedIdentity>;
}

/** The real client. `allowHttp` lets a development or test provider on http://127.0.0.1 be used. */
export function createOidcClient(options: { allowHttp: boolean }): OidcClient {
  const configurations = new Map<string, Promise<oidc.Configuration>>();

  function configuration(settings: ProviderSettings): Promise<oidc.Configuration> {
    const key = `${settings.issuer}\u0000${settings.clientId}\u0000${settings.clientSecret}`;
    let found = configurations.get(key);
    if (!found) {
      const insecure = options.allowHttp && settings.issuer.startsWith('http://');
      found = oidc.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        timeout: 10,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      });
      // A failed discovery (provider down) is tried again next time rather than remembered.
      found.catch(() => configurations.delete(key));
      configurations.set(key, found);
    }
    return found;
  }

  return {
    async start(settings, redirectUri) {
      const config = await configuration(settings);
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, pending: { state, nonce, codeVerifier } };
    },

    async finish(settings, redirectUri, callbackUrl, pending) {
      const config = await configuration(settings);
      // The callback URL as the provider saw it: our redirect URI with the query the browser brought.
      const current = new URL(redirectUri);
      current.search = callbackUrl.search;
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      let email = typeof claims.email === 'string' ? claims.email : undefined;
      let emailVerified = typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined;
      let name = typeof claims.name === 'string' ? claims.name : undefined;
      if (!email) {
        // Some providers give the address only from the userinfo endpoint.
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        email = typeof info.email === 'string' ? info.email : undefined;
        emailVerified = typeof info.email_verified === 'boolean' ? info.email_verified : emailVerified;
        name ??= typeof info.name === 'string' ? info.name : undefined;
      }
      // Entra ID gives the work address as preferred_username when no email claim is configured.
      if (!email && typeof claims.preferred_username === 'string' && claims.preferred_username.includes('@')) email = claims.preferred_username;
      const amr = Array.isArray(claims.amr) ? claims.amr : [];
      return { issuer: String(claims.iss), subject: claims.sub, email: email?.toLowerCase(), emailVerified, name, multiFactor: amr.includes('mfa') };
    },
  };
}
