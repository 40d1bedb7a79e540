/**
 * Who may do what, as data. Every authorisation decision in Frontdoor goes through `can()` below,
 * and every decision it makes comes from the ROLES, ACTIONS and RULES tables in this file: to change
 * what a role may do, change a row here (and the matrix test that pins the answers).
 */

/** Where a grant of a role applies. */
export type RoleScope = 'none' | 'organisation' | 'council_area' | 'everywhere';

export interface RoleDefinition {
  label: string;
  description: string;
  scope: RoleScope;
  /** Granted by an admin of the organisation (organisation-scoped roles) or only by a system admin. */
  grantedBy: 'organisation_admin' | 'system_admin' | 'nobody';
  /**
   * Two-factor sign-in is compulsory: true for every role that can see a person's data (a test
   * checks this against the rules) and for roles that can hand out such roles.
   */
  twoFactor: boolean;
}

export const ROLES = {
  public: {
    label: 'Public',
    description: 'Anyone with an account: manage their own account and use the public directory.',
    scope: 'none',
    grantedBy: 'nobody',
    twoFactor: false,
  },
  professional: {
    label: 'Professional',
    description: 'A health, care or third-sector worker: sees unlisted organisations and the people their organisation works with.',
    scope: 'organisation',
    grantedBy: 'organisation_admin',
    twoFactor: true,
  },
  organisation_member: {
    label: 'Organisation member',
    description: 'Edits the organisation’s listings and sees the people referred to it.',
    scope: 'organisation',
    grantedBy: 'organisation_admin',
    twoFactor: true,
  },
  organisation_admin: {
    label: 'Organisation admin',
    description: 'Everything a member may do, plus manages the organisation’s people, roles, teams and sign-in settings.',
    scope: 'organisation',
    grantedBy: 'organisation_admin',
    twoFactor: true,
  },
  moderator: {
    label: 'Moderator',
    description: 'Checks and edits listings in chosen council areas.',
    scope: 'council_area',
    grantedBy: 'system_admin',
    twoFactor: false,
  },
  partnership_lead: {
    label: 'Partnership lead',
    description: 'Leads a health and social care partnership: sees its organisation’s members.',
    scope: 'organisation',
    grantedBy: 'organisation_admin',
    twoFactor: false,
  },
  ig_lead: {
    label: 'Information-governance lead',
    description: 'Oversees how the organisation handles personal data: sees its members, its people’s records and its audit log.',
    scope: 'organisation',
    grantedBy: 'organisation_admin',
    twoFactor: true,
  },
  system_admin: {
    label: 'System admin',
    description: 'Runs the platform: users, organisations, roles, taxonomy, audit log and background jobs everywhere.',
    scope: 'everywhere',
    grantedBy: 'system_admin',
    twoFactor: true,
  },
} as const satisfies Record<string, RoleDefinition>;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];
/** Roles that can be granted to an account (public is what every account already is). */
export const GRANTABLE_ROLES = ROLE_NAMES.filter((role) => role !== 'public');
export const ORGANISATION_ROLES = ROLE_NAMES.filter((role) => ROLES[role].scope === 'organisation');

export function isRoleName(value: string): value is RoleName {
  return Object.hasOwn(ROLES, value);
}

export interface ActionDefinition {
  description: string;
  /** The action shows a person's data (people who use services): the actor must have signed in with two factors. */
  personalData: boolean;
}

export const ACTIONS = {
  'directory.view_unlisted': { description: 'See organisations that are not listed in public search', personalData: false },
  'listing.edit': { description: 'Edit an organisation’s listings', personalData: false },
  'listing.moderate': { description: 'Moderate listings', personalData: false },
  'person.view': { description: 'See the people an organisation works with', personalData: true },
  'organisation.view_members': { description: 'See an organisation’s members and their roles', personalData: false },
  'organisation.manage_members': { description: 'Grant and revoke an organisation’s roles', personalData: false },
  'organisation.invite': { description: 'Invite colleagues by email to join an organisation with a role', personalData: false },
  'organisation.manage_settings': { description: 'Change an organisation’s email domain and single sign-on', personalData: false },
  'organisation.manage_teams': { description: 'Create and rename an organisation’s teams', personalData: false },
  'organisation.create': { description: 'Create organisations (NHS boards, councils, partnerships)', personalData: false },
  'organisation.propose': { description: 'Propose an organisation that is not in the directory (a moderator checks it before it is listed)', personalData: false },
  'role.grant_global': { description: 'Grant moderator and system admin', personalData: false },
  'user.manage': { description: 'Find any account, disable and enable it', personalData: false },
  'taxonomy.manage': { description: 'Manage categories, client groups and accessibility features', personalData: false },
  'audit.view': { description: 'Search and export the audit log', personalData: false },
  'jobs.view': { description: 'See background jobs and their failures, and retry them', personalData: false },
  'imports.manage': { description: 'Register the directories listings are imported from, and sync them', personalData: false },
} as const satisfies Record<string, ActionDefinition>;

export type Action = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as Action[];

/**
 * Where a rule holds: anywhere; only for a resource of the organisation the grant is in; only for a
 * resource in the council area the grant is for.
 */
export type RuleCondition = 'anywhere' | 'own_organisation' | 'own_council_area';

export interface Rule {
  role: RoleName;
  action: Action;
  when: RuleCondition;
}

const rule = (role: RoleName, when: RuleCondition, actions: Action[]): Rule[] => actions.map((action) => ({ role, action, when }));

/** Every permission in Frontdoor. Nothing is allowed that is not in this list. */
export const RULES: readonly Rule[] = [
  // Every account: a proposal publishes nothing until a moderator approves it.
  ...rule('public', 'anywhere', ['organisation.propose']),

  ...rule('professional', 'anywhere', ['directory.view_unlisted']),
  ...rule('professional', 'own_organisation', ['person.view']),

  ...rule('organisation_member', 'anywhere', ['directory.view_unlisted']),
  ...rule('organisation_member', 'own_organisation', ['listing.edit', 'person.view']),

  ...rule('organisation_admin', 'anywhere', ['directory.view_unlisted']),
  ...rule('organisation_admin', 'own_organisation', [
    'listing.edit',
    'person.view',
    'organisation.view_members',
    'organisation.manage_members',
    'organisation.invite',
    'organisation.manage_settings',
    'organisation.manage_teams',
  ]),

  ...rule('moderator', 'anywhere', ['directory.view_unlisted']),
  ...rule('moderator', 'own_council_area', ['listing.edit', 'listing.moderate']),

  ...rule('partnership_lead', 'anywhere', ['directory.view_unlisted']),
  ...rule('partnership_lead', 'own_organisation', ['organisation.view_members']),

  ...rule('ig_lead', 'anywhere', ['directory.view_unlisted']),
  ...rule('ig_lead', 'own_organisation', ['person.view', 'organisation.view_members', 'audit.view']),

  ...rule('system_admin', 'anywhere', [
    'directory.view_unlisted',
    'listing.edit',
    'listing.moderate',
    'organisation.view_members',
    'organisation.manage_members',
    'organisation.invite',
    'organisation.manage_settings',
    'organisation.manage_teams',
    'organisation.create',
    'role.grant_global',
    'user.manage',
    'taxonomy.manage',
    'audit.view',
    'jobs.view',
    'imports.manage',
  ]),
];

/** One role held by an actor, where it applies. */
export interface ActorGrant {
  role: RoleName;
  organizationId: string | null;
  teamId: string | null;
  councilAreaCode: string | null;
}

/** A signed-in person as the rules see them. Anonymous visitors are `null`. */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  /** Signed in with a second factor (an authenticator code, a recovery code, or an identity provider's MFA). */
  twoFactor: boolean;
  /** Grants in force. A role that needs two factors is in force only in a two-factor session. */
  grants: ActorGrant[];
  /** Grants held but not in force until the account signs in with two factors. */
  suspendedGrants: ActorGrant[];
}

/** What an action is done to. Leave a field out when the action is not about such a thing. */
export interface Resource {
  organizationId?: string | null;
  councilAreaCodes?: readonly string[];
}

function holds(grant: ActorGrant, condition: RuleCondition, resource: Resource): boolean {
  switch (condition) {
    case 'anywhere':
      return true;
    case 'own_organisation':
      return grant.organizationId !== null && resource.organizationId === grant.organizationId;
    case 'own_council_area':
      return grant.councilAreaCode !== null && (resource.councilAreaCodes ?? []).includes(grant.councilAreaCode);
  }
}

/** The one decision point: may this actor do this action to this resource? */
export function can(actor: Actor | null, action: Action, resource: Resource = {}): boolean {
  if (!actor) return false;
  if (ACTIONS[action].personalData && !actor.twoFactor) return false;
  return actor.grants.some((grant) =>
    RULES.some((candidate) => candidate.role === grant.role && candidate.action === action && holds(grant, candidate.when, resource)),
  );
}

/**
 * Whether the actor could do the action to something: the coarse check made at the route, before
 * the service makes the exact one with the resource.
 */
export function canSomewhere(actor: Actor | null, action: Action): boolean {
  if (!actor) return false;
  if (ACTIONS[action].personalData && !actor.twoFactor) return false;
  return actor.grants.some((grant) => RULES.some((candidate) => candidate.role === grant.role && candidate.action === action));
}

/** The organisations in which the actor may do the action (for "your organisations" lists). */
export function organisationsWhere(actor: Actor | null, action: Action): string[] {
  if (!actor) return [];
  return [
    ...new Set(
      actor.grants
        .filter((grant) => grant.organizationId && RULES.some((r) => r.role === grant.role && r.action === action && r.when === 'own_organisation'))
        .map((grant) => grant.organizationId!),
    ),
  ];
}

/** What each role may do, for the README and the admin pages: derived from RULES, never written twice. */
export function describeRules(): Array<{ role: RoleName; label: string; twoFactor: boolean; may: Array<{ action: Action; when: RuleCondition }> }> {
  return ROLE_NAMES.map((role) => ({
    role,
    label: ROLES[role].label,
    twoFactor: ROLES[role].twoFactor,
    may: RULES.filter((r) => r.role === role).map((r) => ({ action: r.action, when: r.when })),
  }));
}

/** How a route is guarded: open to all, to any signed-in account, or to actors who may do an action somewhere. */
export type RouteAccess = 'public' | 'signed-in' | Action;

export function isRouteAccess(value: unknown): value is RouteAccess {
  return value === 'public' || value === 'signed-in' || (typeof value === 'string' && Object.hasOwn(ACTIONS, value));
}
