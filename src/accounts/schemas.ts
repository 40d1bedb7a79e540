import { Type } from 'typebox';

// HTML forms: every field is an optional string, so that a missing or empty field reaches the
// service, which answers with a sentence for the GOV.UK error summary rather than a 400.
const field = () => Type.String({ default: '', maxLength: 2000 });
const csrf = { _csrf: Type.Optional(Type.String()) };

export const SignUpForm = Type.Object({ ...csrf, email: field(), displayName: field(), password: field() });
export const SignInForm = Type.Object({ ...csrf, email: field(), password: field(), next: Type.Optional(Type.String({ maxLength: 500 })) });
export const CodeForm = Type.Object({ ...csrf, code: field() });
export const EmailForm = Type.Object({ ...csrf, email: field() });
export const ResetPasswordForm = Type.Object({ ...csrf, token: field(), password: field(), confirm: field() });
export const ChangePasswordForm = Type.Object({ ...csrf, current: field(), password: field(), confirm: field() });
export const ChangeEmailForm = Type.Object({ ...csrf, email: field(), password: field() });
export const GrantForm = Type.Object({ ...csrf, email: field(), role: field(), teamId: field(), councilAreaCode: field(), organizationId: field() });
export const AccessSettingsForm = Type.Object({
  ...csrf,
  allowedEmailDomain: field(),
  domainRole: field(),
  oidcIssuer: field(),
  oidcClientId: field(),
  oidcClientSecret: field(),
  kind: field(),
});
export const OrganisationDetailsForm = Type.Object({ ...csrf, name: field(), listed: Type.Optional(Type.String()) });
export const InvitationForm = Type.Object({ ...csrf, email: field(), role: field() });
export const AcceptInvitationForm = Type.Object({ ...csrf, token: field() });
export const InvitationAccountForm = Type.Object({ ...csrf, token: field(), displayName: field(), password: field() });
export const TeamForm = Type.Object({ ...csrf, teamName: field() });
export const EmptyForm = Type.Object({ ...csrf });

export const TokenQuery = Type.Object({ token: Type.String({ default: '', maxLength: 200 }) });
export const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) });
export const SsoCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4000 })),
  state: Type.Optional(Type.String({ maxLength: 500 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  iss: Type.Optional(Type.String({ maxLength: 500 })),
});
export const OrganisationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
