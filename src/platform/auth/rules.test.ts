import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTION_NAMES, ACTIONS, can, canSomewhere, ROLE_NAMES, ROLES, RULES, type Action, type Actor, type RoleName } from './rules.ts';

const OWN_ORG = '00000000-0000-4000-8000-00000000000a';
const OTHER_ORG = '00000000-0000-4000-8000-00000000000b';
const OWN_AREA = 'S12000008';
const OTHER_AREA = 'S12000036';

function actorWith(role: RoleName, twoFactor = true): Actor {
  const scope = ROLES[role].scope;
  return {
    userId: 'u',
    email: 'u@example.org',
    displayName: 'U',
    twoFactor,
    grants: [
      { role: 'public', organizationId: null, teamId: null, councilAreaCode: null },
      ...(role === 'public' ? [] : [{ role, organizationId: scope === 'organisation' ? OWN_ORG : null, teamId: null, councilAreaCode: scope === 'council_area' ? OWN_AREA : null }]),
    ],
    suspendedGrants: [],
  };
}

const own = { organizationId: OWN_ORG, councilAreaCodes: [OWN_AREA] };
const other = { organizationId: OTHER_ORG, councilAreaCodes: [OTHER_AREA] };

/**
 * The answers, pinned: for each role (granted in "own" organisation or council area), the actions it
 * may do to a resource of its own organisation/area, and to one of another. Change this table only
 * together with RULES, on purpose.
 */
const EXPECTED: Record<RoleName, { own: Action[]; other: Action[] }> = {
  public: { own: ['organisation.propose'], other: ['organisation.propose'] },
  professional: {
    own: ['organisation.propose', 'directory.view_unlisted', 'person.view'],
    other: ['organisation.propose', 'directory.view_unlisted'],
  },
  organisation_member: {
    own: ['organisation.propose', 'directory.view_unlisted', 'listing.edit', 'person.view'],
    other: ['organisation.propose', 'directory.view_unlisted'],
  },
  organisation_admin: {
    own: ['organisation.propose', 'directory.view_unlisted', 'listing.edit', 'person.view', 'organisation.view_members', 'organisation.manage_members', 'organisation.invite', 'organisation.manage_settings', 'organisation.manage_teams'],
    other: ['organisation.propose', 'directory.view_unlisted'],
  },
  moderator: {
    own: ['organisation.propose', 'directory.view_unlisted', 'listing.edit', 'listing.moderate'],
    other: ['organisation.propose', 'directory.view_unlisted'],
  },
  partnership_lead: {
    own: ['organisation.propose', 'directory.view_unlisted', 'organisation.view_members'],
    other: ['organisation.propose', 'directory.view_unlisted'],
  },
  ig_lead: {
    own: ['organisation.propose', 'directory.view_unlisted', 'person.view', 'organisation.view_members', 'audit.view'],
    other: ['organisation.propose', 'directory.view_unlisted'],
  },
  system_admin: {
    own: ['organisation.propose', 'directory.view_unlisted', 'listing.edit', 'listing.moderate', 'organisation.view_members', 'organisation.manage_members', 'organisation.invite', 'organisation.manage_settings', 'organisation.manage_teams', 'organisation.create', 'role.grant_global', 'user.manage', 'taxonomy.manage', 'audit.view', 'jobs.view', 'imports.manage'],
    other: ['organisation.propose', 'directory.view_unlisted', 'listing.edit', 'listing.moderate', 'organisation.view_members', 'organisation.manage_members', 'organisation.invite', 'organisation.manage_settings', 'organisation.manage_teams', 'organisation.create', 'role.grant_global', 'user.manage', 'taxonomy.manage', 'audit.view', 'jobs.view', 'imports.manage'],
  },
};

test('the role × action × own/other organisation matrix gives exactly the pinned answers', () => {
  const differences: string[] = [];
  for (const role of ROLE_NAMES) {
    const actor = actorWith(role);
    for (const action of ACTION_NAMES) {
      for (const [where, resource] of [['own', own], ['other', other]] as const) {
        const expected = EXPECTED[role][where].includes(action);
        const actual = can(actor, action, resource);
        if (expected !== actual) differences.push(`${role} ${action} on ${where}: expected ${expected}, got ${actual}`);
      }
    }
  }
  assert.deepEqual(differences, []);
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...ROLE_NAMES].sort(), 'every role is pinned');
});

test('nobody may do anything anonymously', () => {
  for (const action of ACTION_NAMES) assert.equal(can(null, action, own), false);
});

test('an action on a person’s data needs a two-factor session, and every role that may do one requires two factors', () => {
  for (const action of ACTION_NAMES.filter((name) => ACTIONS[name].personalData)) {
    for (const rule of RULES.filter((r) => r.action === action)) {
      assert.equal(ROLES[rule.role].twoFactor, true, `${rule.role} may ${action}, so it must require two-factor sign-in`);
      assert.equal(can(actorWith(rule.role, false), action, own), false);
      assert.equal(canSomewhere(actorWith(rule.role, false), action), false);
    }
  }
  assert.equal(ROLES.system_admin.twoFactor, true);
  assert.equal(ROLES.organisation_admin.twoFactor, true, 'it grants roles that see personal data');
});

test('a team grant is still a grant in its organisation', () => {
  const actor = actorWith('organisation_member');
  actor.grants[1]!.teamId = '00000000-0000-4000-8000-0000000000cc';
  assert.equal(can(actor, 'listing.edit', own), true);
  assert.equal(can(actor, 'listing.edit', other), false);
});

test('canSomewhere is the coarse check routes make: some rule for some role the actor holds', () => {
  assert.equal(canSomewhere(actorWith('organisation_admin'), 'organisation.manage_members'), true);
  assert.equal(canSomewhere(actorWith('organisation_member'), 'organisation.manage_members'), false);
  assert.equal(canSomewhere(actorWith('public'), 'directory.view_unlisted'), false);
});
