import type { Clock } from '../platform/clock.ts';
import type { AuditLog } from '../platform/audit/log.ts';
import type { Mailer } from '../platform/mail/mailer.ts';
import type { SecretBox } from '../platform/crypto/secrets.ts';
import { ForbiddenError } from '../platform/auth/plugin.ts';
import { HttpError, NotFoundError } from '../platform/http/errors.ts';
import {
  ACTIONS,
  can,
  GRANTABLE_ROLES,
  isRoleName,
  organisationsWhere,
  ROLES,
  type Actor,
  type ActorGrant,
  type RoleName,
} from '../platform/auth/rules.ts';
import { ORGANIZATION_KINDS, type OrganizationKind, type UserAccount } from '../platform/db/schema.ts';
import type { AccountsRepository, GrantView } from './repository.ts';
import { hashPassword, newToken, passwordProblem, sha256, verifyPassword } from './passwords.ts';
import { checkTotp, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpQrSvg } from './two-factor.ts';
import type { OidcClient, PendingSignIn } from './sso.ts';

/** Field name → message, shown in the GOV.UK error summary and beside each field. */
export type FieldErrors = Record<string, string>;
export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Sign-in: 5 failures for one address within 15 minutes lock it for 15 minutes, in every process. */
export const SIGN_IN_LIMITS = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/** Second-factor codes: 5 wrong codes lock the account's second step for 15 minutes. */
export const TWO_FACTOR_LIMITS = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/** Password resets: 3 emails an hour for one address; more are not sent until the hour is out. */
export const RESET_LIMITS = { maxFailures: 3, windowMs: HOUR, lockMs: HOUR };

const TOKEN_LIFETIMES = { verify_email: 48 * HOUR, reset_password: 1 * HOUR, change_email: 24 * HOUR } as const;
/** An invitation to join an organisation can be accepted for a week. */
export const INVITATION_LIFETIME_MS = 7 * 24 * HOUR;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type SignInResult =
  | { status: 'signed-in'; userId: string; twoFactor: boolean }
  | { status: 'two-factor-needed'; userId: string }
  | { status: 'locked' }
  | { status: 'invalid' }
  | { status: 'unverified' };

export interface AccountsServiceDeps {
  repository: AccountsRepository;
  clock: Clock;
  mailer: Mailer;
  audit: AuditLog;
  oidc: OidcClient;
  /** Authenticator secrets and client secrets are stored sealed. */
  secrets: SecretBox;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

function validEmail(email: string): boolean {
  return email.length <= 254 && EMAIL_PATTERN.test(email);
}

const noPersonalData = '\n\nFrontdoor never puts anyone’s personal details in an email. If you did not expect this message, you can ignore it.';

export function createAccountsService(deps: AccountsServiceDeps) {
  const { repository, clock, mailer, audit, oidc, secrets } = deps;

  // ---- throttling (in the database, so every app process sees the same count) ----

  async function isLocked(key: string): Promise<boolean> {
    const row = await repository.findThrottle(key);
    return Boolean(row?.locked_until && new Date(row.locked_until).getTime() > clock.now().getTime());
  }

  async function recordFailure(key: string, limits: typeof SIGN_IN_LIMITS): Promise<boolean> {
    const now = clock.now();
    const row = await repository.findThrottle(key);
    const windowOpen = row && new Date(row.window_started_at).getTime() + limits.windowMs > now.getTime();
    const failures = windowOpen ? row.failures + 1 : 1;
    const lockedUntil = failures >= limits.maxFailures ? new Date(now.getTime() + limits.lockMs) : null;
    await repository.saveThrottle({ key, failures: lockedUntil ? 0 : failures, window_started_at: windowOpen ? new Date(row.window_started_at) : now, locked_until: lockedUntil });
    return lockedUntil !== null;
  }

  // ---- roles from an email domain ----

  /**
   * A verified address on an organisation's allowed domain gets that organisation's domain role, if
   * it has one; grants made this way for a domain the account no longer has are revoked. Each grant
   * and revocation is recorded in the audit log.
   */
  async function applyDomainGrants(user: UserAccount, trx: Parameters<Parameters<AccountsRepository['transaction']>[0]>[0]): Promise<void> {
    const now = clock.now();
    const domain = emailDomain(user.email);
    const grants = await repository.liveGrantsForUser(user.id, trx);
    for (const grant of grants.filter((g) => g.granted_because === 'email_domain')) {
      const organisation = grant.organization_id ? await repository.findOrganisation(grant.organization_id, trx) : undefined;
      if (organisation?.allowed_email_domain !== domain) {
        await repository.revokeGrant(grant.id, null, now, trx);
        await audit.record(null, { action: 'role.revoked', targetType: 'user', targetId: user.id, organizationId: grant.organization_id, summary: `Revoked ${grant.role} from ${user.email}: their address is no longer on the organisation’s domain` }, trx);
      }
    }
    if (!user.email_verified_at) return;
    const organisation = await repository.findOrganisationByDomain(domain, trx);
    if (!organisation?.domain_role) return;
    const grant = { user_id: user.id, role: organisation.domain_role, organization_id: organisation.id, team_id: null, council_area_code: null };
    if (await repository.hasLiveGrant(grant, trx)) return;
    const id = await repository.insertGrant({ ...grant, granted_by: null, granted_because: 'email_domain', now }, trx);
    await audit.record(null, {
      action: 'role.granted',
      targetType: 'user',
      targetId: user.id,
      organizationId: organisation.id,
      summary: `Granted ${organisation.domain_role} in ${organisation.name} to ${user.email}: a verified address on ${domain}`,
      details: { grantId: id, role: organisation.domain_role, because: 'email_domain' },
    }, trx);
  }

  async function sendLink(user: UserAccount, purpose: keyof typeof TOKEN_LIFETIMES, baseUrl: string, trx: Parameters<Parameters<AccountsRepository['transaction']>[0]>[0], newEmail?: string): Promise<void> {
    const now = clock.now();
    const { token, tokenHash } = newToken();
    await repository.createToken({ user_id: user.id, purpose, token_hash: tokenHash, new_email: newEmail ?? null, expires_at: new Date(now.getTime() + TOKEN_LIFETIMES[purpose]), now }, trx);
    const link = {
      verify_email: `${baseUrl}/verify-email?token=${token}`,
      reset_password: `${baseUrl}/reset-password?token=${token}`,
      change_email: `${baseUrl}/account/email/confirm?token=${token}`,
    }[purpose];
    const message = {
      verify_email: { subject: 'Confirm your email address for Frontdoor', text: `To finish setting up your Frontdoor account, open this link within 48 hours:\n\n${link}` },
      reset_password: { subject: 'Reset your Frontdoor password', text: `Someone asked to reset the password of your Frontdoor account. To choose a new password, open this link within 1 hour:\n\n${link}\n\nIf it was not you, your password has not changed.` },
      change_email: { subject: 'Confirm your new email address for Frontdoor', text: `To use this address for your Frontdoor account, open this link within 24 hours:\n\n${link}` },
    }[purpose];
    await mailer.queue({ to: newEmail ?? user.email, subject: message.subject, text: message.text + noPersonalData }, trx);
  }

  function toActorGrant(grant: GrantView): ActorGrant | undefined {
    if (!isRoleName(grant.role)) return undefined;
    return { role: grant.role, organizationId: grant.organization_id, teamId: grant.team_id, councilAreaCode: grant.council_area_code };
  }

  function requireCan(actor: Actor | null, action: keyof typeof ACTIONS, resource: { organizationId?: string | null } = {}): Actor {
    if (!actor) throw new HttpError(401, 'sign_in_required', 'You need to sign in to do that.');
    if (!can(actor, action, resource)) throw new ForbiddenError();
    return actor;
  }

  /** May this actor grant or revoke this role (in this organisation)? */
  function mayManageRole(actor: Actor | null, role: RoleName, organizationId: string | null): boolean {
    if (ROLES[role].grantedBy === 'organisation_admin') return organizationId !== null && can(actor, 'organisation.manage_members', { organizationId });
    if (ROLES[role].grantedBy === 'system_admin') return can(actor, 'role.grant_global');
    return false;
  }

  return {
    // ---- who is signed in ----

    /** The actor for a session: roles that need two factors are in force only in a two-factor session. */
    async loadActor(userId: string, twoFactor: boolean): Promise<Actor | null> {
      const user = await repository.findUserById(userId);
      if (!user || user.disabled_at) return null;
      const grants = (await repository.liveGrantsForUser(userId)).map(toActorGrant).filter((g): g is ActorGrant => g !== undefined);
      const everyone: ActorGrant = { role: 'public', organizationId: null, teamId: null, councilAreaCode: null };
      const inForce = grants.filter((grant) => twoFactor || !ROLES[grant.role].twoFactor);
      const suspended = grants.filter((grant) => !twoFactor && ROLES[grant.role].twoFactor);
      return { userId, email: user.email, displayName: user.display_name, twoFactor, grants: [everyone, ...inForce], suspendedGrants: suspended };
    },

    // ---- sign-up and verification ----

    async signUp(input: { email: string; displayName: string; password: string }, baseUrl: string): Promise<Outcome> {
      const email = normaliseEmail(input.email);
      const errors: FieldErrors = {};
      if (!validEmail(email)) errors.email = 'Enter an email address in the correct format, like name@example.org';
      if (input.displayName.trim() === '') errors.displayName = 'Enter your name';
      else if (input.displayName.length > 200) errors.displayName = 'Your name must be 200 characters or fewer';
      const problem = passwordProblem(input.password, email);
      if (problem) errors.password = problem;
      if (Object.keys(errors).length > 0) return { ok: false, errors };

      const existing = await repository.findUserByEmail(email);
      if (existing) {
        // Say the same as for a new address, so the form does not reveal who has an account.
        await mailer.queue({ to: email, subject: 'You already have a Frontdoor account', text: `Someone tried to create a Frontdoor account with this address, which already has one. To sign in, go to ${baseUrl}/sign-in — or reset your password at ${baseUrl}/forgot-password.${noPersonalData}` });
        return { ok: true };
      }
      const passwordHash = await hashPassword(input.password);
      await repository.transaction(async (trx) => {
        const user = await repository.createUser({ email, display_name: input.displayName.trim(), password_hash: passwordHash, now: clock.now() }, trx);
        await sendLink(user, 'verify_email', baseUrl, trx);
      });
      return { ok: true };
    },

    async verifyEmail(token: string): Promise<{ ok: boolean; userId?: string }> {
      const now = clock.now();
      const found = await repository.findLiveToken(sha256(token), 'verify_email', now);
      if (!found) return { ok: false };
      return repository.transaction(async (trx) => {
        if (!(await repository.useToken(found.id, now, trx))) return { ok: false };
        await repository.updateUser(found.user_id, { email_verified_at: now, updated_at: now }, trx);
        const user = (await repository.findUserById(found.user_id, trx))!;
        await applyDomainGrants(user, trx);
        return { ok: true, userId: user.id };
      });
    },

    // ---- sign-in ----

    async signIn(input: { email: string; password: string }, baseUrl: string): Promise<SignInResult> {
      const email = normaliseEmail(input.email);
      const key = `sign_in:${email}`;
      if (await isLocked(key)) return { status: 'locked' };
      const user = await repository.findUserByEmail(email);
      const good = await verifyPassword(user?.password_hash ?? null, input.password);
      if (!user || !good || user.disabled_at) {
        return (await recordFailure(key, SIGN_IN_LIMITS)) ? { status: 'locked' } : { status: 'invalid' };
      }
      await repository.clearThrottle(key);
      if (!user.email_verified_at) {
        await repository.transaction((trx) => sendLink(user, 'verify_email', baseUrl, trx));
        return { status: 'unverified' };
      }
      if (user.totp_enabled_at) return { status: 'two-factor-needed', userId: user.id };
      return { status: 'signed-in', userId: user.id, twoFactor: false };
    },

    /** The second step: an authenticator code or a recovery code. */
    async completeTwoFactor(userId: string, code: string): Promise<{ ok: true; usedRecoveryCode: boolean; recoveryCodesLeft: number } | { ok: false; locked: boolean }> {
      const key = `two_factor:${userId}`;
      if (await isLocked(key)) return { ok: false, locked: true };
      const user = await repository.findUserById(userId);
      if (!user?.totp_secret || !user.totp_enabled_at || user.disabled_at) return { ok: false, locked: false };
      const now = clock.now();
      const step = checkTotp(secrets.open(user.totp_secret), code, now, user.totp_last_step);
      if (step !== undefined) {
        await repository.updateUser(userId, { totp_last_step: step });
        await repository.clearThrottle(key);
        return { ok: true, usedRecoveryCode: false, recoveryCodesLeft: await repository.unusedRecoveryCodes(userId) };
      }
      if (looksLikeRecoveryCode(code) && (await repository.useRecoveryCode(userId, recoveryCodeHash(code), now))) {
        await repository.clearThrottle(key);
        const left = await repository.unusedRecoveryCodes(userId);
        await mailer.queue({ to: user.email, subject: 'A recovery code was used to sign in to Frontdoor', text: `A recovery code was just used to sign in to your Frontdoor account. You have ${left} left. If it was not you, reset your password and set up two-factor sign-in again.${noPersonalData}` });
        return { ok: true, usedRecoveryCode: true, recoveryCodesLeft: left };
      }
      return { ok: false, locked: await recordFailure(key, TWO_FACTOR_LIMITS) };
    },

    // ---- passwords ----

    /** Always looks the same from outside, whether or not the address has an account. */
    async requestPasswordReset(emailInput: string, baseUrl: string): Promise<Outcome> {
      const email = normaliseEmail(emailInput);
      if (!validEmail(email)) return { ok: false, errors: { email: 'Enter an email address in the correct format, like name@example.org' } };
      const key = `reset:${email}`;
      if (await isLocked(key)) return { ok: true };
      await recordFailure(key, RESET_LIMITS);
      const user = await repository.findUserByEmail(email);
      if (user && !user.disabled_at) await repository.transaction((trx) => sendLink(user, 'reset_password', baseUrl, trx));
      return { ok: true };
    },

    async checkResetToken(token: string): Promise<boolean> {
      return (await repository.findLiveToken(sha256(token), 'reset_password', clock.now())) !== undefined;
    },

    async resetPassword(token: string, password: string, confirm: string): Promise<Outcome | { ok: false; expired: true }> {
      const now = clock.now();
      const found = await repository.findLiveToken(sha256(token), 'reset_password', now);
      if (!found) return { ok: false, expired: true };
      const user = (await repository.findUserById(found.user_id))!;
      const problem = passwordProblem(password, user.email);
      if (problem) return { ok: false, errors: { password: problem } };
      if (password !== confirm) return { ok: false, errors: { confirm: 'The passwords do not match' } };
      const passwordHash = await hashPassword(password);
      await repository.transaction(async (trx) => {
        await repository.useToken(found.id, now, trx);
        // Following the link proves the address too.
        await repository.updateUser(user.id, { password_hash: passwordHash, email_verified_at: user.email_verified_at ?? now, updated_at: now }, trx);
        await mailer.queue({ to: user.email, subject: 'Your Frontdoor password was changed', text: `The password of your Frontdoor account was just reset. If it was not you, reset it again now at once and tell your organisation’s admin.${noPersonalData}` }, trx);
      });
      await repository.clearThrottle(`sign_in:${user.email}`);
      await repository.endSessionsOf(user.id);
      return { ok: true };
    },

    async changePassword(userId: string, input: { current: string; password: string; confirm: string }, keepSessionId: string): Promise<Outcome> {
      const user = await repository.findUserById(userId);
      if (!user) throw new NotFoundError('account');
      if (!(await verifyPassword(user.password_hash, input.current))) return { ok: false, errors: { current: 'Your current password is not right' } };
      const problem = passwordProblem(input.password, user.email);
      if (problem) return { ok: false, errors: { password: problem } };
      if (input.password !== input.confirm) return { ok: false, errors: { confirm: 'The passwords do not match' } };
      const passwordHash = await hashPassword(input.password);
      await repository.transaction(async (trx) => {
        await repository.updateUser(userId, { password_hash: passwordHash, updated_at: clock.now() }, trx);
        await mailer.queue({ to: user.email, subject: 'Your Frontdoor password was changed', text: `The password of your Frontdoor account was just changed. If it was not you, reset it now and tell your organisation’s admin.${noPersonalData}` }, trx);
      });
      await repository.endSessionsOf(userId, keepSessionId);
      return { ok: true };
    },

    // ---- change of email ----

    async requestEmailChange(userId: string, input: { email: string; password: string }, baseUrl: string): Promise<Outcome> {
      const user = await repository.findUserById(userId);
      if (!user) throw new NotFoundError('account');
      const email = normaliseEmail(input.email);
      if (!validEmail(email)) return { ok: false, errors: { email: 'Enter an email address in the correct format, like name@example.org' } };
      if (email === user.email) return { ok: false, errors: { email: 'This is already your email address' } };
      if (user.password_hash && !(await verifyPassword(user.password_hash, input.password))) return { ok: false, errors: { password: 'Your password is not right' } };
      if (await repository.findUserByEmail(email)) return { ok: true }; // the confirmation simply never comes
      await repository.transaction(async (trx) => {
        await sendLink(user, 'change_email', baseUrl, trx, email);
        await mailer.queue({ to: user.email, subject: 'Your Frontdoor email address is being changed', text: `Someone asked to move your Frontdoor account to a different email address. It will change only when the link sent to the new address is opened. If it was not you, change your password now.${noPersonalData}` }, trx);
      });
      return { ok: true };
    },

    async confirmEmailChange(token: string): Promise<{ ok: boolean }> {
      const now = clock.now();
      const found = await repository.findLiveToken(sha256(token), 'change_email', now);
      if (!found?.new_email) return { ok: false };
      if (await repository.findUserByEmail(found.new_email)) return { ok: false };
      return repository.transaction(async (trx) => {
        if (!(await repository.useToken(found.id, now, trx))) return { ok: false };
        await repository.updateUser(found.user_id, { email: found.new_email!, email_verified_at: now, updated_at: now }, trx);
        await applyDomainGrants((await repository.findUserById(found.user_id, trx))!, trx);
        return { ok: true };
      });
    },

    // ---- two-factor enrolment ----

    newTotpSecret,

    async totpSetup(userId: string, secret: string): Promise<{ qrSvg: string; secret: string }> {
      const user = await repository.findUserById(userId);
      if (!user) throw new NotFoundError('account');
      return { qrSvg: await totpQrSvg(secret, user.email), secret };
    },

    /** Turns two-factor sign-in on once the person proves their app has the secret; returns the recovery codes to show once. */
    async confirmTotp(userId: string, secret: string, code: string): Promise<Outcome<{ recoveryCodes: string[] }>> {
      const user = await repository.findUserById(userId);
      if (!user) throw new NotFoundError('account');
      const step = checkTotp(secret, code, clock.now(), null);
      if (step === undefined) return { ok: false, errors: { code: 'The code is not right. Enter the 6-digit code your authenticator app shows now' } };
      const recoveryCodes = newRecoveryCodes();
      await repository.transaction(async (trx) => {
        await repository.updateUser(userId, { totp_secret: secrets.seal(secret), totp_enabled_at: clock.now(), totp_last_step: step, updated_at: clock.now() }, trx);
        await repository.replaceRecoveryCodes(userId, recoveryCodes.map(recoveryCodeHash), trx);
        await mailer.queue({ to: user.email, subject: 'Two-factor sign-in is on for your Frontdoor account', text: `Two-factor sign-in was just turned on for your Frontdoor account. If it was not you, reset your password now and tell your organisation’s admin.${noPersonalData}` }, trx);
      });
      return { ok: true, recoveryCodes };
    },

    async newRecoveryCodes(userId: string): Promise<string[]> {
      const codes = newRecoveryCodes();
      await repository.replaceRecoveryCodes(userId, codes.map(recoveryCodeHash));
      return codes;
    },

    async accountOverview(actor: Actor) {
      const user = await repository.findUserById(actor.userId);
      if (!user) throw new NotFoundError('account');
      const grants = await repository.liveGrantsForUser(actor.userId);
      return {
        user,
        grants: grants.map((grant) => ({ ...grant, label: isRoleName(grant.role) ? ROLES[grant.role].label : grant.role, needsTwoFactor: isRoleName(grant.role) && ROLES[grant.role].twoFactor })),
        twoFactorEnabled: Boolean(user.totp_enabled_at),
        recoveryCodesLeft: user.totp_enabled_at ? await repository.unusedRecoveryCodes(user.id) : 0,
        needsTwoFactorSetup: actor.suspendedGrants.length > 0 && !user.totp_enabled_at,
        needsTwoFactorSignIn: actor.suspendedGrants.length > 0 && Boolean(user.totp_enabled_at),
        hasPassword: Boolean(user.password_hash),
      };
    },

    // ---- single sign-on ----

    /** Finds the organisation whose identity provider signs in this address, and the provider's URL to go to. */
    async startSso(emailInput: string, redirectUri: string): Promise<Outcome<{ url: string; pending: PendingSignIn }>> {
      const email = normaliseEmail(emailInput);
      if (!validEmail(email)) return { ok: false, errors: { email: 'Enter your work email address, like name@nhs.scot' } };
      const organisation = await repository.findOrganisationByDomain(emailDomain(email));
      if (!organisation?.oidc_issuer || !organisation.oidc_client_id || !organisation.oidc_client_secret) {
        return { ok: false, errors: { email: 'Your organisation does not sign in to Frontdoor with its own accounts. Sign in with your email address and password instead' } };
      }
      const started = await oidc.start({ issuer: organisation.oidc_issuer, clientId: organisation.oidc_client_id, clientSecret: secrets.open(organisation.oidc_client_secret) }, redirectUri);
      return { ok: true, url: started.url, pending: { ...started.pending, organizationId: organisation.id, startedAt: clock.now().toISOString() } };
    },

    /**
     * Checks the provider's answer and signs the person in: by their identity at that provider, or
     * by their address on the organisation's allowed domain (a new account is made if needed).
     */
    async finishSso(pending: PendingSignIn, redirectUri: string, callbackUrl: URL): Promise<{ ok: true; userId: string; twoFactor: boolean; needsTotp: boolean } | { ok: false; message: string }> {
      if (clock.now().getTime() - new Date(pending.startedAt).getTime() > 15 * MINUTE) return { ok: false, message: 'Signing in took too long. Start again.' };
      const organisation = await repository.findOrganisation(pending.organizationId);
      if (!organisation?.oidc_issuer || !organisation.oidc_client_id || !organisation.oidc_client_secret || !organisation.allowed_email_domain) {
        return { ok: false, message: 'Your organisation no longer signs in to Frontdoor with its own accounts.' };
      }
      let identity;
      try {
        identity = await oidc.finish({ issuer: organisation.oidc_issuer, clientId: organisation.oidc_client_id, clientSecret: secrets.open(organisation.oidc_client_secret) }, redirectUri, callbackUrl, pending);
      } catch {
        return { ok: false, message: 'Your organisation’s sign-in service did not confirm who you are. Try again.' };
      }
      if (!identity.email || identity.emailVerified === false || emailDomain(identity.email) !== organisation.allowed_email_domain) {
        return { ok: false, message: `Your organisation’s sign-in service gave an address that is not on ${organisation.allowed_email_domain}.` };
      }
      const now = clock.now();
      const linked = await repository.findSsoIdentity(identity.issuer, identity.subject);
      const user = await repository.transaction(async (trx) => {
        let account = linked ? await repository.findUserById(linked.user_id, trx) : await repository.findUserByEmail(identity.email!, trx);
        if (!account) {
          account = await repository.createUser({ email: identity.email!, display_name: identity.name ?? '', password_hash: null, email_verified_at: now, now }, trx);
        } else if (!account.email_verified_at) {
          await repository.updateUser(account.id, { email_verified_at: now }, trx);
          account = { ...account, email_verified_at: now };
        }
        if (!linked) await repository.linkSsoIdentity(account.id, identity.issuer, identity.subject, now, trx);
        await applyDomainGrants(account, trx);
        return account;
      });
      if (user.disabled_at) return { ok: false, message: 'This account has been disabled. Ask your organisation’s admin.' };
      return { ok: true, userId: user.id, twoFactor: identity.multiFactor, needsTotp: !identity.multiFactor && Boolean(user.totp_enabled_at) };
    },

    // ---- organisations: members, roles, teams, sign-in settings ----

    /** The organisations whose members this actor may see (for "Your organisations"). */
    async manageableOrganisations(actor: Actor) {
      if (can(actor, 'organisation.create')) return undefined; // a system admin uses the admin list instead
      return repository.findOrganisationsByIds(organisationsWhere(actor, 'organisation.view_members'));
    },

    async organisationPage(actor: Actor | null, organizationId: string) {
      requireCan(actor, 'organisation.view_members', { organizationId });
      const organisation = await repository.findOrganisation(organizationId);
      if (!organisation) throw new NotFoundError('organisation', organizationId);
      const [grants, teams] = await Promise.all([repository.liveGrantsForOrganisation(organizationId), repository.listTeams(organizationId)]);
      return {
        organisation,
        grants: grants.map((grant) => ({
          ...grant,
          label: isRoleName(grant.role) ? ROLES[grant.role].label : grant.role,
          mayRevoke: isRoleName(grant.role) && mayManageRole(actor, grant.role, organizationId),
        })),
        teams,
        grantableRoles: GRANTABLE_ROLES.filter((role) => ROLES[role].scope === 'organisation' && mayManageRole(actor, role, organizationId)),
        mayManageSettings: can(actor, 'organisation.manage_settings', { organizationId }),
        mayManageTeams: can(actor, 'organisation.manage_teams', { organizationId }),
        mayInvite: can(actor, 'organisation.invite', { organizationId }),
      };
    },

    async grantRole(actor: Actor | null, input: { email: string; role: string; organizationId?: string | null; teamId?: string | null; councilAreaCode?: string | null }): Promise<Outcome<{ grantId: string }>> {
      if (!actor) throw new HttpError(401, 'sign_in_required', 'You need to sign in to do that.');
      if (!isRoleName(input.role) || input.role === 'public') return { ok: false, errors: { role: 'Choose a role' } };
      const role = input.role;
      const scope = ROLES[role].scope;
      const organizationId = scope === 'organisation' ? input.organizationId ?? null : null;
      if (!mayManageRole(actor, role, organizationId)) throw new ForbiddenError('Your account may not grant this role here.');
      const email = normaliseEmail(input.email);
      const errors: FieldErrors = {};
      if (scope === 'organisation' && !organizationId) errors.organizationId = 'Choose an organisation';
      if (scope === 'council_area' && !input.councilAreaCode) errors.councilAreaCode = 'Choose a council area';
      const user = validEmail(email) ? await repository.findUserByEmail(email) : undefined;
      if (!user) errors.email = 'No account uses this email address. Ask the person to create an account first';
      else if (!user.email_verified_at) errors.email = 'This person has not confirmed their email address yet. Ask them to open the link we sent';
      let teamId: string | null = null;
      if (input.teamId && organizationId) {
        const team = await repository.findTeam(input.teamId);
        if (!team || team.organization_id !== organizationId) errors.teamId = 'Choose a team of this organisation';
        else teamId = team.id;
      }
      if (Object.keys(errors).length > 0 || !user) return { ok: false, errors };
      const organisation = organizationId ? await repository.findOrganisation(organizationId) : undefined;
      if (organizationId && !organisation) throw new NotFoundError('organisation', organizationId);
      const councilAreaCode = scope === 'council_area' ? input.councilAreaCode! : null;
      if (councilAreaCode && !(await repository.councilAreas()).some((area) => area.code === councilAreaCode)) return { ok: false, errors: { councilAreaCode: 'Choose a council area' } };
      const grant = { user_id: user.id, role, organization_id: organizationId, team_id: teamId, council_area_code: councilAreaCode };
      if (await repository.hasLiveGrant(grant)) return { ok: false, errors: { email: `This person already has this role${organisation ? ` in ${organisation.name}` : ''}` } };
      const grantId = await repository.transaction(async (trx) => {
        const id = await repository.insertGrant({ ...grant, granted_by: actor.userId, granted_because: 'admin', now: clock.now() }, trx);
        const where = organisation ? ` in ${organisation.name}` : councilAreaCode ? ` for council area ${councilAreaCode}` : '';
        await audit.record(actor, { action: 'role.granted', targetType: 'user', targetId: user.id, organizationId, summary: `Granted ${role}${where} to ${user.email}`, details: { grantId: id, role, teamId, councilAreaCode } }, trx);
        await mailer.queue({ to: user.email, subject: 'You have a new role on Frontdoor', text: `You have been given the role “${ROLES[role].label}”${where}. Sign in to Frontdoor to use it.${ROLES[role].twoFactor ? ' This role needs two-factor sign-in: you will be asked to set it up.' : ''}${noPersonalData}` }, trx);
        return id;
      });
      return { ok: true, grantId };
    },

    async revokeGrant(actor: Actor | null, grantId: string): Promise<{ organizationId: string | null; userId: string }> {
      if (!actor) throw new HttpError(401, 'sign_in_required', 'You need to sign in to do that.');
      const grant = await repository.findGrant(grantId);
      if (!grant || grant.revoked_at) throw new NotFoundError('role grant', grantId);
      if (!isRoleName(grant.role) || !mayManageRole(actor, grant.role, grant.organization_id)) throw new ForbiddenError('Your account may not revoke this role.');
      if (grant.role === 'system_admin' && (await repository.countLiveGrantsOfRole('system_admin')) <= 1) {
        throw new HttpError(409, 'last_system_admin', 'This is the last system admin: grant the role to someone else first.');
      }
      await repository.transaction(async (trx) => {
        await repository.revokeGrant(grantId, actor.userId, clock.now(), trx);
        const where = grant.organization_name ? ` in ${grant.organization_name}` : grant.council_area_code ? ` for council area ${grant.council_area_code}` : '';
        await audit.record(actor, { action: 'role.revoked', targetType: 'user', targetId: grant.user_id, organizationId: grant.organization_id, summary: `Revoked ${grant.role}${where} from ${grant.user_email}`, details: { grantId } }, trx);
      });
      return { organizationId: grant.organization_id, userId: grant.user_id };
    },

    async saveAccessSettings(
      actor: Actor | null,
      organizationId: string,
      input: { allowedEmailDomain: string; domainRole: string; oidcIssuer: string; oidcClientId: string; oidcClientSecret: string; kind?: string },
    ): Promise<Outcome> {
      const signedIn = requireCan(actor, 'organisation.manage_settings', { organizationId });
      const organisation = await repository.findOrganisation(organizationId);
      if (!organisation) throw new NotFoundError('organisation', organizationId);
      const errors: FieldErrors = {};
      const domain = input.allowedEmailDomain.trim().toLowerCase().replace(/^@/, '');
      if (domain && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) errors.allowedEmailDomain = 'Enter a domain like nhs.scot';
      if (domain) {
        const other = await repository.findOrganisationByDomain(domain);
        if (other && other.id !== organizationId) errors.allowedEmailDomain = `Another organisation (${other.name}) already uses ${domain}`;
      }
      const domainRole = input.domainRole === 'organisation_member' || input.domainRole === 'professional' ? input.domainRole : null;
      if (input.domainRole && !domainRole) errors.domainRole = 'Choose a role or none';
      if (domainRole && !domain) errors.domainRole = 'Enter the email domain first';
      const issuer = input.oidcIssuer.trim();
      if (issuer && !/^https?:\/\/[^\s]+$/.test(issuer)) errors.oidcIssuer = 'Enter the issuer URL your identity provider gives, like https://login.microsoftonline.com/…/v2.0';
      if (issuer && !domain) errors.oidcIssuer = 'Single sign-on needs the organisation’s email domain';
      if (issuer && !input.oidcClientId.trim()) errors.oidcClientId = 'Enter the client ID';
      const secret = input.oidcClientSecret.trim() ? secrets.seal(input.oidcClientSecret.trim()) : organisation.oidc_client_secret || '';
      if (issuer && !secret) errors.oidcClientSecret = 'Enter the client secret';
      const kind = input.kind && (ORGANIZATION_KINDS as readonly string[]).includes(input.kind) ? (input.kind as OrganizationKind) : undefined;
      if (kind && !can(actor, 'organisation.create')) throw new ForbiddenError('Only a system admin may change what kind of organisation this is.');
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      await repository.transaction(async (trx) => {
        await repository.saveAccess(organizationId, {
          ...(kind ? { kind } : {}),
          allowed_email_domain: domain || null,
          domain_role: domainRole,
          oidc_issuer: issuer || null,
          oidc_client_id: issuer ? input.oidcClientId.trim() : null,
          oidc_client_secret: issuer ? secret : null,
          now: clock.now(),
        }, trx);
        await audit.record(signedIn, {
          action: 'organisation.settings_changed',
          targetType: 'organization',
          targetId: organizationId,
          organizationId,
          summary: `Changed sign-in settings of ${organisation.name}: domain ${domain || 'none'}, domain role ${domainRole ?? 'none'}, single sign-on ${issuer ? 'on' : 'off'}`,
          details: { allowedEmailDomain: domain || null, domainRole, oidcIssuer: issuer || null, kind: kind ?? organisation.kind },
        }, trx);
      });
      return { ok: true };
    },

    async createTeam(actor: Actor | null, organizationId: string, nameInput: string): Promise<Outcome> {
      const signedIn = requireCan(actor, 'organisation.manage_teams', { organizationId });
      const name = nameInput.trim();
      if (!name) return { ok: false, errors: { teamName: 'Enter the team’s name' } };
      if (name.length > 200) return { ok: false, errors: { teamName: 'The name must be 200 characters or fewer' } };
      if ((await repository.listTeams(organizationId)).some((team) => team.name.toLowerCase() === name.toLowerCase())) return { ok: false, errors: { teamName: 'The organisation already has a team with this name' } };
      await repository.transaction(async (trx) => {
        const id = await repository.createTeam(organizationId, name, clock.now(), trx);
        await audit.record(signedIn, { action: 'team.created', targetType: 'team', targetId: id, organizationId, summary: `Created team ${name}` }, trx);
      });
      return { ok: true };
    },

    async createOrganisation(actor: Actor | null, input: { name: string; kind: string; listed: boolean }): Promise<Outcome<{ organizationId: string }>> {
      const signedIn = requireCan(actor, 'organisation.create');
      const name = input.name.trim();
      const errors: FieldErrors = {};
      if (!name) errors.name = 'Enter the organisation’s name';
      if (!(ORGANIZATION_KINDS as readonly string[]).includes(input.kind)) errors.kind = 'Choose what kind of organisation it is';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const organizationId = await repository.transaction(async (trx) => {
        const id = await repository.createOrganisation({ name, listed: input.listed, kind: input.kind as OrganizationKind, now: clock.now() }, trx);
        await audit.record(signedIn, { action: 'organisation.created', targetType: 'organization', targetId: id, organizationId: id, summary: `Created ${input.kind} ${name}${input.listed ? '' : ' (unlisted)'}` }, trx);
        return id;
      });
      return { ok: true, organizationId };
    },

    /** A system admin renames an organisation or changes whether it is listed in public search. */
    async updateOrganisationDetails(actor: Actor | null, organizationId: string, input: { name: string; listed: boolean }): Promise<Outcome> {
      const signedIn = requireCan(actor, 'organisation.create');
      const organisation = await repository.findOrganisation(organizationId);
      if (!organisation) throw new NotFoundError('organisation', organizationId);
      const name = input.name.trim();
      if (!name) return { ok: false, errors: { name: 'Enter the organisation’s name' } };
      await repository.transaction(async (trx) => {
        await repository.updateOrganisation(organizationId, { name, listed: input.listed, now: clock.now() }, trx);
        await audit.record(signedIn, {
          action: 'organisation.changed',
          targetType: 'organization',
          targetId: organizationId,
          organizationId,
          summary: `Changed ${organisation.name}: name ${name}, ${input.listed ? 'listed' : 'not listed'} in public search`,
          details: { before: { name: organisation.name, listed: organisation.listed } },
        }, trx);
      });
      return { ok: true };
    },

    async searchOrganisations(actor: Actor | null, search: { text?: string; page: number }) {
      requireCan(actor, 'organisation.create');
      return repository.searchOrganisations({ text: search.text, limit: 50, offset: (search.page - 1) * 50 });
    },

    // ---- users (system admin) ----

    async searchUsers(actor: Actor | null, search: { text?: string; page: number }) {
      requireCan(actor, 'user.manage');
      return repository.searchUsers({ text: search.text, limit: 50, offset: (search.page - 1) * 50 });
    },

    async userPage(actor: Actor | null, userId: string) {
      requireCan(actor, 'user.manage');
      const user = await repository.findUserById(userId);
      if (!user) throw new NotFoundError('account', userId);
      const grants = await repository.liveGrantsForUser(userId);
      return {
        user,
        grants: grants.map((grant) => ({ ...grant, label: isRoleName(grant.role) ? ROLES[grant.role].label : grant.role })),
        councilAreas: await repository.councilAreas(),
      };
    },

    async setDisabled(actor: Actor | null, userId: string, disabled: boolean): Promise<void> {
      const signedIn = requireCan(actor, 'user.manage');
      if (userId === signedIn.userId) throw new HttpError(409, 'own_account', 'You cannot disable your own account.');
      const user = await repository.findUserById(userId);
      if (!user) throw new NotFoundError('account', userId);
      await repository.transaction(async (trx) => {
        await repository.updateUser(userId, { disabled_at: disabled ? clock.now() : null, updated_at: clock.now() }, trx);
        await audit.record(signedIn, { action: disabled ? 'user.disabled' : 'user.enabled', targetType: 'user', targetId: userId, summary: `${disabled ? 'Disabled' : 'Enabled'} the account ${user.email}` }, trx);
      });
      if (disabled) await repository.endSessionsOf(userId);
    },

    /** For the command line: makes an existing, verified account a system admin (the first one, on a new installation). */
    async bootstrapSystemAdmin(emailInput: string): Promise<Outcome> {
      const user = await repository.findUserByEmail(normaliseEmail(emailInput));
      if (!user) return { ok: false, errors: { email: 'No account uses this email address: create it first on the sign-up page' } };
      const grant = { user_id: user.id, role: 'system_admin', organization_id: null, team_id: null, council_area_code: null };
      if (await repository.hasLiveGrant(grant)) return { ok: true };
      await repository.transaction(async (trx) => {
        if (!user.email_verified_at) await repository.updateUser(user.id, { email_verified_at: clock.now() }, trx);
        const id = await repository.insertGrant({ ...grant, granted_by: null, granted_because: 'bootstrap', now: clock.now() }, trx);
        await audit.record(null, { action: 'role.granted', targetType: 'user', targetId: user.id, summary: `Granted system_admin to ${user.email} from the command line`, details: { grantId: id, role: 'system_admin', because: 'bootstrap' } }, trx);
      });
      return { ok: true };
    },

    // ---- invitations to join an organisation ----

    /** The roles this actor may invite people to: those it could grant in the organisation itself. */
    invitableRoles(actor: Actor | null, organizationId: string): RoleName[] {
      return GRANTABLE_ROLES.filter((role) => ROLES[role].scope === 'organisation' && mayManageRole(actor, role, organizationId));
    },

    async invitationsPage(actor: Actor | null, organizationId: string) {
      requireCan(actor, 'organisation.invite', { organizationId });
      const organisation = await repository.findOrganisation(organizationId);
      if (!organisation) throw new NotFoundError('organisation', organizationId);
      const now = clock.now();
      const invitations = (await repository.listInvitations(organizationId)).map((invitation) => ({
        ...invitation,
        roleLabel: isRoleName(invitation.role) ? ROLES[invitation.role].label : invitation.role,
        state: invitation.accepted_at ? 'accepted' : invitation.revoked_at ? 'revoked' : invitation.expires_at.getTime() <= now.getTime() ? 'expired' : 'waiting',
      }));
      return { organisation, invitations, roles: this.invitableRoles(actor, organizationId).map((role) => ({ value: role, label: ROLES[role].label })) };
    },

    /** An admin invites a colleague by email with a role; the link in the email is the only copy of the token. */
    async inviteColleague(actor: Actor | null, organizationId: string, input: { email: string; role: string }, baseUrl: string): Promise<Outcome> {
      const signedIn = requireCan(actor, 'organisation.invite', { organizationId });
      const organisation = await repository.findOrganisation(organizationId);
      if (!organisation) throw new NotFoundError('organisation', organizationId);
      const email = normaliseEmail(input.email);
      const errors: FieldErrors = {};
      if (!validEmail(email)) errors.email = 'Enter an email address in the correct format, like name@example.org';
      const role = isRoleName(input.role) && this.invitableRoles(actor, organizationId).includes(input.role) ? input.role : undefined;
      if (!role) errors.role = 'Choose a role';
      if (Object.keys(errors).length > 0 || !role) return { ok: false, errors };
      const now = clock.now();
      const existing = await repository.findUserByEmail(email);
      if (existing && (await repository.hasLiveGrant({ user_id: existing.id, role, organization_id: organizationId, team_id: null, council_area_code: null }))) {
        return { ok: false, errors: { email: `This person already has this role in ${organisation.name}` } };
      }
      if (await repository.findOpenInvitation({ organizationId, email }, now)) return { ok: false, errors: { email: 'This person has already been invited. Revoke that invitation first to send a new one' } };
      const { token, tokenHash } = newToken();
      await repository.transaction(async (trx) => {
        const id = await repository.createInvitation({ organization_id: organizationId, email, role, token_hash: tokenHash, invited_by: signedIn.userId, invited_by_email: signedIn.email, created_at: now, expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS) }, trx);
        await mailer.queue({
          to: email,
          subject: `You are invited to join ${organisation.name} on Frontdoor`,
          text: `${signedIn.displayName || signedIn.email} invites you to join ${organisation.name} on Frontdoor as “${ROLES[role].label}”. To accept, open this link within 7 days and sign in, or create an account, with this email address:\n\n${baseUrl}/invitations/accept?token=${token}${noPersonalData}`,
        }, trx);
        await audit.record(signedIn, { action: 'invitation.sent', targetType: 'invitation', targetId: id, organizationId, summary: `Invited ${email} to ${organisation.name} as ${role}` }, trx);
      });
      return { ok: true };
    },

    async revokeInvitation(actor: Actor | null, invitationId: string): Promise<string> {
      const invitation = await repository.findInvitation(invitationId);
      if (!invitation) throw new NotFoundError('invitation', invitationId);
      const signedIn = requireCan(actor, 'organisation.invite', { organizationId: invitation.organization_id });
      await repository.transaction(async (trx) => {
        if (!(await repository.revokeInvitation(invitationId, signedIn.email, clock.now(), trx))) throw new HttpError(409, 'invitation_closed', 'This invitation has already been accepted or revoked.');
        await audit.record(signedIn, { action: 'invitation.revoked', targetType: 'invitation', targetId: invitationId, organizationId: invitation.organization_id, summary: `Revoked the invitation of ${invitation.email}` }, trx);
      });
      return invitation.organization_id;
    },

    /** What the link in an invitation shows, or undefined when it is unknown, used, revoked or expired. */
    async openInvitation(token: string) {
      if (!token) return undefined;
      const invitation = await repository.findOpenInvitation({ tokenHash: sha256(token) }, clock.now());
      if (!invitation) return undefined;
      return {
        email: invitation.email,
        organisationName: invitation.organization_name,
        roleLabel: isRoleName(invitation.role) ? ROLES[invitation.role].label : invitation.role,
        accountExists: (await repository.findUserByEmail(invitation.email)) !== undefined,
      };
    },

    /** The signed-in person accepts: only with the address the invitation was sent to; once only. */
    async acceptInvitation(actor: Actor | null, token: string): Promise<{ ok: true; organizationId: string; organisationName: string } | { ok: false; message: string }> {
      if (!actor) throw new HttpError(401, 'sign_in_required', 'You need to sign in to do that.');
      const now = clock.now();
      const invitation = await repository.findOpenInvitation({ tokenHash: sha256(token) }, now);
      if (!invitation) return { ok: false, message: 'This invitation has expired, been revoked or already been used. Ask your organisation’s admin for a new one.' };
      if (normaliseEmail(actor.email) !== invitation.email) return { ok: false, message: `This invitation is for ${invitation.email}. Sign out and sign in with that address to accept it.` };
      await repository.transaction(async (trx) => acceptInside(invitation, actor.userId, actor.email, now, trx));
      return { ok: true, organizationId: invitation.organization_id, organisationName: invitation.organization_name };
    },

    /** Someone without an account accepts by creating one: the link came to their address, so it is confirmed. */
    async acceptInvitationWithNewAccount(token: string, input: { displayName: string; password: string }): Promise<Outcome<{ userId: string; organisationName: string }> | { ok: false; expired: true }> {
      const now = clock.now();
      const invitation = await repository.findOpenInvitation({ tokenHash: sha256(token) }, now);
      if (!invitation) return { ok: false, expired: true };
      if (await repository.findUserByEmail(invitation.email)) return { ok: false, errors: { password: 'An account already uses this address: sign in to accept' } };
      const errors: FieldErrors = {};
      if (input.displayName.trim() === '') errors.displayName = 'Enter your name';
      else if (input.displayName.length > 200) errors.displayName = 'Your name must be 200 characters or fewer';
      const problem = passwordProblem(input.password, invitation.email);
      if (problem) errors.password = problem;
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const passwordHash = await hashPassword(input.password);
      const userId = await repository.transaction(async (trx) => {
        const user = await repository.createUser({ email: invitation.email, display_name: input.displayName.trim(), password_hash: passwordHash, email_verified_at: now, now }, trx);
        await acceptInside(invitation, user.id, user.email, now, trx);
        await applyDomainGrants(user, trx);
        return user.id;
      });
      return { ok: true, userId, organisationName: invitation.organization_name };
    },

    councilAreas: () => repository.councilAreas(),
  };

  async function acceptInside(
    invitation: { id: string; organization_id: string; organization_name: string; role: string; email: string; invited_by: string | null },
    userId: string,
    email: string,
    now: Date,
    trx: Parameters<Parameters<AccountsRepository['transaction']>[0]>[0],
  ): Promise<void> {
    if (!(await repository.acceptInvitation(invitation.id, userId, now, trx))) throw new HttpError(409, 'invitation_closed', 'This invitation has already been used.');
    // The audit log names who accepted (the account may not have any role yet).
    const accepter: Actor = { userId, email, displayName: '', twoFactor: false, grants: [], suspendedGrants: [] };
    const grant = { user_id: userId, role: invitation.role, organization_id: invitation.organization_id, team_id: null, council_area_code: null };
    if (!(await repository.hasLiveGrant(grant, trx))) {
      const grantId = await repository.insertGrant({ ...grant, granted_by: invitation.invited_by, granted_because: 'admin', now }, trx);
      await audit.record(accepter, { action: 'role.granted', targetType: 'user', targetId: userId, organizationId: invitation.organization_id, summary: `Granted ${invitation.role} in ${invitation.organization_name} to ${email}: accepted an invitation`, details: { grantId, role: invitation.role, invitationId: invitation.id } }, trx);
    }
    await audit.record(accepter, { action: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, organizationId: invitation.organization_id, summary: `${email} accepted the invitation to ${invitation.organization_name}` }, trx);
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>;
