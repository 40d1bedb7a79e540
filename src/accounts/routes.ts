import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formErrors, localPath } from '../platform/views/forms.ts';
import { ROLES, can, canSomewhere } from '../platform/auth/rules.ts';
import { ORGANIZATION_KINDS } from '../platform/db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import type { AccountsService } from './service.ts';
import type { PendingSignIn } from './sso.ts';
import {
  AccessSettingsForm,
  AcceptInvitationForm,
  InvitationAccountForm,
  InvitationForm,
  ChangeEmailForm,
  ChangePasswordForm,
  CodeForm,
  EmailForm,
  EmptyForm,
  GrantForm,
  NextQuery,
  OrganisationDetailsForm,
  OrganisationParams,
  ResetPasswordForm,
  SignInForm,
  SignUpForm,
  SsoCallbackQuery,
  TeamForm,
  TokenQuery,
} from './schemas.ts';

declare module 'fastify' {
  interface Session {
    userId?: string;
    /** This session signed in with a second factor. */
    twoFactor?: boolean;
    /** The password (or provider) was right; the second factor is still to come. */
    pendingUserId?: string;
    pendingSince?: string;
    pendingNext?: string;
    /** A secret being set up in an authenticator app, until the person proves it works. */
    totpSecret?: string;
    oidc?: PendingSignIn;
    /** A one-off message for the next page ("Your password was changed"). */
    flash?: string;
  }
}

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  clock: Clock;
  /** PUBLIC_URL; when unset, links are made from the request's own address. */
  publicUrl: string | undefined;
  /** Requests per minute from one address to the sign-in, reset and code forms (per process; lockout is in the database). */
  formRateLimit: number;
}

const V = 'accounts/views';

/**
 * Sign-up, sign-in (password, second factor, single sign-on), password reset, the account's own
 * pages, and organisations' member management. Thin: each handler validates, calls the accounts
 * service, and renders or redirects.
 */
export const accountsRoutes: FastifyPluginAsyncTypebox<AccountsRoutesOptions> = async (app, options) => {
  const { accounts } = options;
  const baseUrl = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;
  const ssoRedirectUri = (request: FastifyRequest) => `${baseUrl(request)}/sign-in/sso/callback`;
  const limited = { rateLimit: { max: options.formRateLimit, timeWindow: 60_000 } };

  const page = (reply: FastifyReply, template: string, context: Record<string, unknown> = {}) => {
    const flash = reply.request.session.flash;
    if (flash) delete reply.request.session.flash;
    return reply.render(`${V}/${template}.njk`, { csrfToken: reply.generateCsrf(), flash, ...context });
  };

  async function signIn(request: FastifyRequest, userId: string, twoFactor: boolean): Promise<void> {
    // A new session id at every change of privilege, so a planted session cannot be taken over.
    await request.session.regenerate();
    request.session.userId = userId;
    request.session.twoFactor = twoFactor;
  }

  /** Where to go once signed in: set up two factors first if a role needs them. */
  async function afterSignIn(request: FastifyRequest, reply: FastifyReply, userId: string, twoFactor: boolean, next: string | undefined) {
    await signIn(request, userId, twoFactor);
    const actor = await accounts.loadActor(userId, twoFactor);
    if (actor && actor.suspendedGrants.length > 0) {
      request.session.flash = 'Your roles need two-factor sign-in. Set it up to use them.';
      return reply.redirect('/account/two-factor', 303);
    }
    return reply.redirect(localPath(next, '/account'), 303);
  }

  // ---- sign-up and email verification ----

  app.get('/sign-up', { config: { access: 'public' } }, async (_request, reply) => page(reply, 'sign-up', { values: {} }));

  app.post('/sign-up', { config: { access: 'public', ...limited }, schema: { body: SignUpForm } }, async (request, reply) => {
    const outcome = await accounts.signUp(request.body, baseUrl(request));
    if (!outcome.ok) return page(reply.code(400), 'sign-up', { values: { ...request.body, password: '' }, ...formErrors(outcome.errors) });
    return page(reply, 'check-email', { pageTitle: 'Check your email', email: request.body.email.trim() });
  });

  app.get('/verify-email', { config: { access: 'public' }, schema: { querystring: TokenQuery } }, async (request, reply) => {
    const result = await accounts.verifyEmail(request.query.token);
    return page(reply.code(result.ok ? 200 : 400), 'verified', { ok: result.ok });
  });

  // ---- sign-in and out ----

  app.get('/sign-in', { config: { access: 'public' }, schema: { querystring: NextQuery } }, async (request, reply) =>
    page(reply, 'sign-in', { values: {}, next: localPath(request.query.next, '') }),
  );

  app.post('/sign-in', { config: { access: 'public', ...limited }, schema: { body: SignInForm } }, async (request, reply) => {
    const { email, password } = request.body;
    const next = localPath(request.body.next, '');
    const result = await accounts.signIn({ email, password }, baseUrl(request));
    const again = (code: number, message: string) =>
      page(reply.code(code), 'sign-in', { values: { email }, next, ...formErrors({ email: message }) });
    switch (result.status) {
      case 'locked':
        return again(429, 'There have been too many attempts to sign in to this account. Wait 15 minutes and try again, or reset your password.');
      case 'invalid':
        return again(400, 'Enter a correct email address and password');
      case 'unverified':
        return page(reply, 'check-email', { pageTitle: 'Confirm your email address first', email, unverified: true });
      case 'two-factor-needed':
        await request.session.regenerate();
        request.session.pendingUserId = result.userId;
        request.session.pendingSince = options.clock.now().toISOString();
        request.session.pendingNext = next;
        return reply.redirect('/sign-in/two-factor', 303);
      case 'signed-in':
        return afterSignIn(request, reply, result.userId, result.twoFactor, next);
    }
  });

  app.get('/sign-in/two-factor', { config: { access: 'public' } }, async (request, reply) => {
    if (!request.session.pendingUserId) return reply.redirect('/sign-in', 303);
    return page(reply, 'two-factor', {});
  });

  app.post('/sign-in/two-factor', { config: { access: 'public', ...limited }, schema: { body: CodeForm } }, async (request, reply) => {
    const userId = request.session.pendingUserId;
    const since = request.session.pendingSince ? new Date(request.session.pendingSince).getTime() : 0;
    if (!userId || options.clock.now().getTime() - since > 10 * 60_000) {
      delete request.session.pendingUserId;
      return reply.redirect('/sign-in', 303);
    }
    const result = await accounts.completeTwoFactor(userId, request.body.code);
    if (!result.ok) {
      const message = result.locked
        ? 'There have been too many wrong codes. Wait 15 minutes and try again.'
        : 'The code is not right. Enter the 6-digit code from your authenticator app, or one of your recovery codes';
      return page(reply.code(result.locked ? 429 : 400), 'two-factor', formErrors({ code: message }));
    }
    const next = request.session.pendingNext;
    await signIn(request, userId, true);
    if (result.usedRecoveryCode) {
      request.session.flash = `You signed in with a recovery code. You have ${result.recoveryCodesLeft} left.`;
      return reply.redirect('/account', 303);
    }
    return reply.redirect(localPath(next, '/account'), 303);
  });

  app.post('/sign-out', { config: { access: 'public' }, schema: { body: EmptyForm } }, async (request, reply) => {
    await request.session.destroy();
    return reply.redirect('/sign-in?signed-out=1', 303);
  });

  // ---- single sign-on ----

  app.get('/sign-in/sso', { config: { access: 'public' } }, async (_request, reply) => page(reply, 'sso', { values: {} }));

  app.post('/sign-in/sso', { config: { access: 'public', ...limited }, schema: { body: EmailForm } }, async (request, reply) => {
    let outcome;
    try {
      outcome = await accounts.startSso(request.body.email, ssoRedirectUri(request));
    } catch {
      outcome = { ok: false as const, errors: { email: 'Your organisation’s sign-in service is not answering. Try again later, or sign in with your password' } };
    }
    if (!outcome.ok) return page(reply.code(400), 'sso', { values: request.body, ...formErrors(outcome.errors) });
    request.session.oidc = outcome.pending;
    return reply.redirect(outcome.url, 303);
  });

  app.get('/sign-in/sso/callback', { config: { access: 'public' }, schema: { querystring: SsoCallbackQuery } }, async (request, reply) => {
    const pending = request.session.oidc;
    delete request.session.oidc;
    if (!pending || request.query.error) {
      return page(reply.code(400), 'sso', { values: {}, ...formErrors({ email: 'Signing in with your organisation did not finish. Try again.' }) });
    }
    const result = await accounts.finishSso(pending, ssoRedirectUri(request), new URL(request.url, 'http://callback.invalid'));
    if (!result.ok) return page(reply.code(400), 'sso', { values: {}, ...formErrors({ email: result.message }) });
    if (result.needsTotp) {
      await request.session.regenerate();
      request.session.pendingUserId = result.userId;
      request.session.pendingSince = options.clock.now().toISOString();
      return reply.redirect('/sign-in/two-factor', 303);
    }
    return afterSignIn(request, reply, result.userId, result.twoFactor, undefined);
  });

  // ---- forgotten passwords ----

  app.get('/forgot-password', { config: { access: 'public' } }, async (_request, reply) => page(reply, 'forgot-password', { values: {} }));

  app.post('/forgot-password', { config: { access: 'public', ...limited }, schema: { body: EmailForm } }, async (request, reply) => {
    const outcome = await accounts.requestPasswordReset(request.body.email, baseUrl(request));
    if (!outcome.ok) return page(reply.code(400), 'forgot-password', { values: request.body, ...formErrors(outcome.errors) });
    return page(reply, 'check-email', { pageTitle: 'Check your email', email: request.body.email.trim(), reset: true });
  });

  app.get('/reset-password', { config: { access: 'public' }, schema: { querystring: TokenQuery } }, async (request, reply) => {
    const valid = await accounts.checkResetToken(request.query.token);
    return page(reply.code(valid ? 200 : 400), 'reset-password', { token: request.query.token, expired: !valid });
  });

  app.post('/reset-password', { config: { access: 'public', ...limited }, schema: { body: ResetPasswordForm } }, async (request, reply) => {
    const outcome = await accounts.resetPassword(request.body.token, request.body.password, request.body.confirm);
    if (!outcome.ok) {
      if ('expired' in outcome) return page(reply.code(400), 'reset-password', { expired: true });
      return page(reply.code(400), 'reset-password', { token: request.body.token, ...formErrors(outcome.errors) });
    }
    request.session.flash = 'Your password has been changed. Sign in with your new password.';
    return reply.redirect('/sign-in', 303);
  });

  // ---- the account's own pages ----

  app.get('/account', { config: { access: 'signed-in' } }, async (request, reply) => {
    const overview = await accounts.accountOverview(request.actor!);
    const organisations = await accounts.manageableOrganisations(request.actor!);
    return page(reply, 'account', { overview, organisations, isSystemAdmin: can(request.actor, 'user.manage'), mayViewAudit: canSomewhere(request.actor, 'audit.view'), twoFactorSession: request.actor!.twoFactor });
  });

  app.get('/account/password', { config: { access: 'signed-in' } }, async (_request, reply) => page(reply, 'change-password', {}));

  app.post('/account/password', { config: { access: 'signed-in', ...limited }, schema: { body: ChangePasswordForm } }, async (request, reply) => {
    const outcome = await accounts.changePassword(request.actor!.userId, request.body, request.session.sessionId);
    if (!outcome.ok) return page(reply.code(400), 'change-password', formErrors(outcome.errors));
    request.session.flash = 'Your password has been changed.';
    return reply.redirect('/account', 303);
  });

  app.get('/account/email', { config: { access: 'signed-in' } }, async (_request, reply) => page(reply, 'change-email', { values: {} }));

  app.post('/account/email', { config: { access: 'signed-in', ...limited }, schema: { body: ChangeEmailForm } }, async (request, reply) => {
    const outcome = await accounts.requestEmailChange(request.actor!.userId, request.body, baseUrl(request));
    if (!outcome.ok) return page(reply.code(400), 'change-email', { values: { email: request.body.email }, ...formErrors(outcome.errors) });
    return page(reply, 'check-email', { pageTitle: 'Check your new email address', email: request.body.email.trim(), changeEmail: true });
  });

  // Public: the link may be opened in another browser; the token alone proves the new address.
  app.get('/account/email/confirm', { config: { access: 'public' }, schema: { querystring: TokenQuery } }, async (request, reply) => {
    const result = await accounts.confirmEmailChange(request.query.token);
    return page(reply.code(result.ok ? 200 : 400), 'verified', { ok: result.ok, changedEmail: true });
  });

  app.get('/account/two-factor', { config: { access: 'signed-in' } }, async (request, reply) => {
    request.session.totpSecret ??= accounts.newTotpSecret();
    const setup = await accounts.totpSetup(request.actor!.userId, request.session.totpSecret);
    const overview = await accounts.accountOverview(request.actor!);
    return page(reply, 'two-factor-setup', { setup, alreadyOn: overview.twoFactorEnabled });
  });

  app.post('/account/two-factor', { config: { access: 'signed-in', ...limited }, schema: { body: CodeForm } }, async (request, reply) => {
    const secret = request.session.totpSecret;
    if (!secret) return reply.redirect('/account/two-factor', 303);
    const outcome = await accounts.confirmTotp(request.actor!.userId, secret, request.body.code);
    if (!outcome.ok) {
      const setup = await accounts.totpSetup(request.actor!.userId, secret);
      return page(reply.code(400), 'two-factor-setup', { setup, ...formErrors(outcome.errors) });
    }
    delete request.session.totpSecret;
    // Proving the code is a second factor: this session's roles that need one come into force now.
    await signIn(request, request.actor!.userId, true);
    return page(reply, 'recovery-codes', { codes: outcome.recoveryCodes, justEnrolled: true });
  });

  app.post('/account/two-factor/recovery-codes', { config: { access: 'signed-in' }, schema: { body: EmptyForm } }, async (request, reply) => {
    if (!request.actor!.twoFactor) {
      request.session.flash = 'Sign in with your authenticator app to make new recovery codes.';
      return reply.redirect('/account', 303);
    }
    const codes = await accounts.newRecoveryCodes(request.actor!.userId);
    return page(reply, 'recovery-codes', { codes });
  });

  // ---- organisations' members, roles, teams and sign-in settings ----

  app.get('/manage/organisations/:id', { config: { access: 'organisation.view_members' }, schema: { params: OrganisationParams } }, async (request, reply) => {
    const view = await accounts.organisationPage(request.actor, request.params.id);
    return page(reply, 'organisation', { ...view, roles: ROLES, kinds: ORGANIZATION_KINDS, isSystemAdmin: can(request.actor, 'organisation.create'), values: {} });
  });

  const renderOrganisationWithErrors = async (request: { actor: FastifyRequest['actor']; params: { id: string } }, reply: FastifyReply, errors: Record<string, string>, values: Record<string, unknown>) => {
    const view = await accounts.organisationPage(request.actor, request.params.id);
    return page(reply.code(400), 'organisation', { ...view, roles: ROLES, kinds: ORGANIZATION_KINDS, isSystemAdmin: can(request.actor, 'organisation.create'), values, ...formErrors(errors) });
  };

  app.post('/manage/organisations/:id/grants', { config: { access: 'organisation.manage_members' }, schema: { params: OrganisationParams, body: GrantForm } }, async (request, reply) => {
    const outcome = await accounts.grantRole(request.actor, { email: request.body.email, role: request.body.role, organizationId: request.params.id, teamId: request.body.teamId || null });
    if (!outcome.ok) return renderOrganisationWithErrors(request, reply, outcome.errors, request.body);
    request.session.flash = 'The role has been granted.';
    return reply.redirect(`/manage/organisations/${request.params.id}`, 303);
  });

  app.post('/manage/grants/:id/revoke', { config: { access: 'signed-in' }, schema: { params: OrganisationParams, body: EmptyForm } }, async (request, reply) => {
    const revoked = await accounts.revokeGrant(request.actor, request.params.id);
    request.session.flash = 'The role has been revoked.';
    const back = revoked.organizationId && can(request.actor, 'organisation.view_members', { organizationId: revoked.organizationId })
      ? `/manage/organisations/${revoked.organizationId}`
      : `/admin/users/${revoked.userId}`;
    return reply.redirect(back, 303);
  });

  app.post('/manage/organisations/:id/settings', { config: { access: 'organisation.manage_settings' }, schema: { params: OrganisationParams, body: AccessSettingsForm } }, async (request, reply) => {
    const outcome = await accounts.saveAccessSettings(request.actor, request.params.id, request.body);
    if (!outcome.ok) return renderOrganisationWithErrors(request, reply, outcome.errors, request.body);
    request.session.flash = 'The sign-in settings have been saved.';
    return reply.redirect(`/manage/organisations/${request.params.id}`, 303);
  });

  app.post('/manage/organisations/:id/details', { config: { access: 'organisation.create' }, schema: { params: OrganisationParams, body: OrganisationDetailsForm } }, async (request, reply) => {
    const outcome = await accounts.updateOrganisationDetails(request.actor, request.params.id, { name: request.body.name, listed: request.body.listed === 'yes' });
    if (!outcome.ok) return renderOrganisationWithErrors(request, reply, outcome.errors, request.body);
    request.session.flash = 'The organisation has been changed.';
    return reply.redirect(`/manage/organisations/${request.params.id}`, 303);
  });

  // ---- invitations: an admin invites a colleague by email; the colleague accepts with that address ----

  app.get('/manage/organisations/:id/invitations', { config: { access: 'organisation.invite' }, schema: { params: OrganisationParams } }, async (request, reply) => {
    return page(reply, 'invitations', { ...(await accounts.invitationsPage(request.actor, request.params.id)), values: {} });
  });

  app.post('/manage/organisations/:id/invitations', { config: { access: 'organisation.invite', ...limited }, schema: { params: OrganisationParams, body: InvitationForm } }, async (request, reply) => {
    const outcome = await accounts.inviteColleague(request.actor, request.params.id, request.body, baseUrl(request));
    if (!outcome.ok) return page(reply.code(400), 'invitations', { ...(await accounts.invitationsPage(request.actor, request.params.id)), values: request.body, ...formErrors(outcome.errors) });
    request.session.flash = `An invitation has been sent to ${request.body.email.trim().toLowerCase()}.`;
    return reply.redirect(`/manage/organisations/${request.params.id}/invitations`, 303);
  });

  app.post('/manage/invitations/:id/revoke', { config: { access: 'organisation.invite' }, schema: { params: OrganisationParams, body: EmptyForm } }, async (request, reply) => {
    const organizationId = await accounts.revokeInvitation(request.actor, request.params.id);
    request.session.flash = 'The invitation has been revoked: its link no longer works.';
    return reply.redirect(`/manage/organisations/${organizationId}/invitations`, 303);
  });

  // Public: the link is opened before signing in. Opening it uses nothing up; accepting does.
  app.get('/invitations/accept', { config: { access: 'public' }, schema: { querystring: TokenQuery } }, async (request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const invitation = await accounts.openInvitation(request.query.token);
    if (!invitation) return page(reply.code(400), 'invitation', { expired: true });
    const here = `/invitations/accept?token=${encodeURIComponent(request.query.token)}`;
    return page(reply, 'invitation', { invitation, token: request.query.token, signInHref: `/sign-in?next=${encodeURIComponent(here)}`, signedInAs: request.actor?.email, values: {} });
  });

  app.post('/invitations/accept', { config: { access: 'signed-in' }, schema: { body: AcceptInvitationForm } }, async (request, reply) => {
    const outcome = await accounts.acceptInvitation(request.actor, request.body.token);
    if (!outcome.ok) return page(reply.code(400), 'invitation', { refused: outcome.message });
    request.session.flash = `You have joined ${outcome.organisationName}.`;
    const actor = await accounts.loadActor(request.actor!.userId, request.actor!.twoFactor);
    // The new role may need two-factor sign-in before it is in force: the account page says what to do.
    return reply.redirect(actor && actor.suspendedGrants.length === 0 && can(actor, 'listing.edit', { organizationId: outcome.organizationId }) ? '/manage/listings' : '/account', 303);
  });

  app.post('/invitations/accept/new-account', { config: { access: 'public', ...limited }, schema: { body: InvitationAccountForm } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const outcome = await accounts.acceptInvitationWithNewAccount(request.body.token, request.body);
    if (!outcome.ok) {
      if ('expired' in outcome) return page(reply.code(400), 'invitation', { expired: true });
      const invitation = await accounts.openInvitation(request.body.token);
      if (!invitation) return page(reply.code(400), 'invitation', { expired: true });
      return page(reply.code(400), 'invitation', { invitation, token: request.body.token, signInHref: `/sign-in?next=${encodeURIComponent(`/invitations/accept?token=${encodeURIComponent(request.body.token)}`)}`, values: { displayName: request.body.displayName }, ...formErrors(outcome.errors) });
    }
    request.session.flash = `You have joined ${outcome.organisationName}.`;
    return afterSignIn(request, reply, outcome.userId, false, '/manage/listings');
  });

  app.post('/manage/organisations/:id/teams', { config: { access: 'organisation.manage_teams' }, schema: { params: OrganisationParams, body: TeamForm } }, async (request, reply) => {
    const outcome = await accounts.createTeam(request.actor, request.params.id, request.body.teamName);
    if (!outcome.ok) return renderOrganisationWithErrors(request, reply, outcome.errors, request.body);
    request.session.flash = 'The team has been created.';
    return reply.redirect(`/manage/organisations/${request.params.id}`, 303);
  });
};
