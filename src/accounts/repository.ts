import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { AccountTokenPurpose, Database, OrganizationAccessTable, OrganizationKind, RoleGrant, UserAccount, UserAccountTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface GrantView extends RoleGrant {
  organization_name: string | null;
  team_name: string | null;
  council_area_name: string | null;
  user_email: string;
  user_display_name: string;
  granted_by_email: string | null;
}

export interface OrganisationView {
  id: string;
  name: string;
  listed: boolean;
  kind: OrganizationKind;
  allowed_email_domain: string | null;
  domain_role: 'organisation_member' | 'professional' | null;
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret: string | null;
}

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The accounts capability's SQL: accounts, their tokens and codes, grants, organisations' access settings, teams. */
export function createAccountsRepository(db: Kysely<Database>) {
  const grantsQuery = (executor: Executor) =>
    executor
      .selectFrom('role_grant as g')
      .innerJoin('user_account as u', 'u.id', 'g.user_id')
      .leftJoin('organization as o', 'o.id', 'g.organization_id')
      .leftJoin('team as t', 't.id', 'g.team_id')
      .leftJoin('council_area as c', 'c.code', 'g.council_area_code')
      .leftJoin('user_account as by', 'by.id', 'g.granted_by')
      .selectAll('g')
      .select([
        'o.name as organization_name',
        't.name as team_name',
        'c.name as council_area_name',
        'u.email as user_email',
        'u.display_name as user_display_name',
        'by.email as granted_by_email',
      ]);

  const organisationQuery = (executor: Executor) =>
    executor
      .selectFrom('organization as o')
      .leftJoin('organization_access as a', 'a.organization_id', 'o.id')
      .select([
        'o.id',
        'o.name',
        'o.listed',
        sql<OrganizationKind>`coalesce(a.kind, 'charity')`.as('kind'),
        'a.allowed_email_domain',
        'a.domain_role',
        'a.oidc_issuer',
        'a.oidc_client_id',
        'a.oidc_client_secret',
      ]);

  return {
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work);
    },

    // ---- accounts ----
    findUserByEmail(email: string, executor: Executor = db): Promise<UserAccount | undefined> {
      return executor.selectFrom('user_account').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },
    findUserById(id: string, executor: Executor = db): Promise<UserAccount | undefined> {
      return executor.selectFrom('user_account').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async createUser(values: { email: string; display_name: string; password_hash: string | null; email_verified_at?: Date | null; now: Date }, executor: Executor = db): Promise<UserAccount> {
      return executor
        .insertInto('user_account')
        .values({
          email: values.email.toLowerCase(),
          display_name: values.display_name,
          password_hash: values.password_hash,
          email_verified_at: values.email_verified_at ?? null,
          created_at: values.now,
          updated_at: values.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    async updateUser(id: string, patch: Updateable<UserAccountTable>, executor: Executor = db): Promise<void> {
      await executor.updateTable('user_account').set(patch).where('id', '=', id).execute();
    },
    async searchUsers(search: { text?: string; limit: number; offset: number }) {
      let query = db.selectFrom('user_account');
      if (search.text) query = query.where((eb) => eb.or([eb('email', 'ilike', escapeLike(search.text!)), eb('display_name', 'ilike', escapeLike(search.text!))]));
      const [users, total] = await Promise.all([
        query.selectAll().orderBy('email').limit(search.limit).offset(search.offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { users, total: Number(total.count) };
    },

    /** Ends every session of an account (after a password reset, or when it is disabled), but the one given. */
    async endSessionsOf(userId: string, exceptSessionId?: string): Promise<void> {
      let query = db.deleteFrom('http_session').where(sql<boolean>`data->>'userId' = ${userId}`);
      if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
      await query.execute();
    },

    // ---- emailed links ----
    async createToken(values: { user_id: string; purpose: AccountTokenPurpose; token_hash: string; new_email?: string | null; expires_at: Date; now: Date }, executor: Executor = db): Promise<void> {
      // A new link replaces any earlier one for the same purpose.
      await executor.updateTable('account_token').set({ used_at: values.now }).where('user_id', '=', values.user_id).where('purpose', '=', values.purpose).where('used_at', 'is', null).execute();
      await executor
        .insertInto('account_token')
        .values({ user_id: values.user_id, purpose: values.purpose, token_hash: values.token_hash, new_email: values.new_email ?? null, expires_at: values.expires_at, created_at: values.now })
        .execute();
    },
    findLiveToken(tokenHash: string, purpose: AccountTokenPurpose, now: Date, executor: Executor = db) {
      return executor
        .selectFrom('account_token')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
    },
    async useToken(id: string, now: Date, executor: Executor = db): Promise<boolean> {
      const result = await executor.updateTable('account_token').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    // ---- recovery codes ----
    async replaceRecoveryCodes(userId: string, hashes: string[], executor: Executor = db): Promise<void> {
      await executor.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
      if (hashes.length > 0) await executor.insertInto('recovery_code').values(hashes.map((code_hash) => ({ user_id: userId, code_hash }))).execute();
    },
    async useRecoveryCode(userId: string, hash: string, now: Date): Promise<boolean> {
      const result = await db.updateTable('recovery_code').set({ used_at: now }).where('user_id', '=', userId).where('code_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async unusedRecoveryCodes(userId: string): Promise<number> {
      const row = await db.selectFrom('recovery_code').select((eb) => eb.fn.countAll<number>().as('count')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    // ---- throttling ----
    findThrottle(key: string) {
      return db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    },
    async saveThrottle(values: { key: string; failures: number; window_started_at: Date; locked_until: Date | null }): Promise<void> {
      await db
        .insertInto('sign_in_throttle')
        .values(values)
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ failures: values.failures, window_started_at: values.window_started_at, locked_until: values.locked_until }))
        .execute();
    },
    async clearThrottle(key: string): Promise<void> {
      await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
    },

    // ---- grants ----
    liveGrantsForUser(userId: string, executor: Executor = db): Promise<GrantView[]> {
      return grantsQuery(executor).where('g.user_id', '=', userId).where('g.revoked_at', 'is', null).orderBy('g.granted_at').execute();
    },
    liveGrantsForOrganisation(organizationId: string): Promise<GrantView[]> {
      return grantsQuery(db).where('g.organization_id', '=', organizationId).where('g.revoked_at', 'is', null).orderBy('u.email').orderBy('g.role').execute();
    },
    findGrant(id: string, executor: Executor = db): Promise<GrantView | undefined> {
      return grantsQuery(executor).where('g.id', '=', id).executeTakeFirst();
    },
    async insertGrant(
      values: { user_id: string; role: string; organization_id: string | null; team_id: string | null; council_area_code: string | null; granted_by: string | null; granted_because: 'admin' | 'email_domain' | 'bootstrap'; now: Date },
      executor: Executor = db,
    ): Promise<string> {
      const { now, ...rest } = values;
      const row = await executor.insertInto('role_grant').values({ ...rest, granted_at: now }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },
    async revokeGrant(id: string, by: string | null, now: Date, executor: Executor = db): Promise<boolean> {
      const result = await executor.updateTable('role_grant').set({ revoked_at: now, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async hasLiveGrant(values: { user_id: string; role: string; organization_id: string | null; team_id: string | null; council_area_code: string | null }, executor: Executor = db): Promise<boolean> {
      const row = await executor
        .selectFrom('role_grant')
        .select('id')
        .where('user_id', '=', values.user_id)
        .where('role', '=', values.role)
        .where('revoked_at', 'is', null)
        .where(sql<boolean>`organization_id is not distinct from ${values.organization_id}`)
        .where(sql<boolean>`team_id is not distinct from ${values.team_id}`)
        .where(sql<boolean>`council_area_code is not distinct from ${values.council_area_code}`)
        .executeTakeFirst();
      return row !== undefined;
    },
    async countLiveGrantsOfRole(role: string): Promise<number> {
      const row = await db.selectFrom('role_grant').select((eb) => eb.fn.countAll<number>().as('count')).where('role', '=', role).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    // ---- organisations, access settings and teams ----
    findOrganisation(id: string, executor: Executor = db): Promise<OrganisationView | undefined> {
      return organisationQuery(executor).where('o.id', '=', id).executeTakeFirst();
    },
    findOrganisationsByIds(ids: string[]): Promise<OrganisationView[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return organisationQuery(db).where('o.id', 'in', ids).orderBy('o.name').execute();
    },
    async searchOrganisations(search: { text?: string; limit: number; offset: number; kind?: OrganizationKind }) {
      let query = organisationQuery(db);
      if (search.text) query = query.where('o.name', 'ilike', escapeLike(search.text));
      if (search.kind) query = query.where(sql<boolean>`coalesce(a.kind, 'charity') = ${search.kind}`);
      const [organisations, total] = await Promise.all([
        query.orderBy('o.name').limit(search.limit).offset(search.offset).execute(),
        query.clearSelect().select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { organisations, total: Number(total.count) };
    },
    findOrganisationByDomain(domain: string, executor: Executor = db): Promise<OrganisationView | undefined> {
      return organisationQuery(executor).where('a.allowed_email_domain', '=', domain.toLowerCase()).executeTakeFirst();
    },
    async createOrganisation(values: { name: string; listed: boolean; kind: OrganizationKind; now: Date }, executor: Executor = db): Promise<string> {
      const row = await executor
        .insertInto('organization')
        .values({ name: values.name, listed: values.listed, created_at: values.now, updated_at: values.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await executor.insertInto('organization_access').values({ organization_id: row.id, kind: values.kind, allowed_email_domain: null, domain_role: null, oidc_issuer: null, oidc_client_id: null, oidc_client_secret: null, updated_at: values.now }).execute();
      return row.id;
    },
    async updateOrganisation(id: string, values: { name: string; listed: boolean; now: Date }, executor: Executor = db): Promise<void> {
      await executor.updateTable('organization').set({ name: values.name, listed: values.listed, updated_at: values.now }).where('id', '=', id).execute();
    },
    async saveAccess(organizationId: string, values: Omit<OrganizationAccessTable, 'organization_id' | 'updated_at' | 'kind'> & { kind?: OrganizationKind; now: Date }, executor: Executor = db): Promise<void> {
      const { now, ...rest } = values;
      await executor
        .insertInto('organization_access')
        .values({ organization_id: organizationId, ...rest, updated_at: now })
        .onConflict((conflict) => conflict.column('organization_id').doUpdateSet({ ...rest, updated_at: now }))
        .execute();
    },
    listTeams(organizationId: string) {
      return db.selectFrom('team').selectAll().where('organization_id', '=', organizationId).orderBy('name').execute();
    },
    findTeam(id: string, executor: Executor = db) {
      return executor.selectFrom('team').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async createTeam(organizationId: string, name: string, now: Date, executor: Executor = db): Promise<string> {
      const row = await executor.insertInto('team').values({ organization_id: organizationId, name, created_at: now }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },
    councilAreas() {
      return db.selectFrom('council_area').select(['code', 'name']).orderBy('name').execute();
    },

    // ---- single sign-on ----
    findSsoIdentity(issuer: string, subject: string) {
      return db.selectFrom('sso_identity').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
    },
    async linkSsoIdentity(userId: string, issuer: string, subject: string, now: Date, executor: Executor = db): Promise<void> {
      await executor.insertInto('sso_identity').values({ user_id: userId, issuer, subject, created_at: now }).onConflict((conflict) => conflict.columns(['issuer', 'subject']).doNothing()).execute();
    },

    // ---- invitations to join an organisation ----
    async createInvitation(values: { organization_id: string; email: string; role: string; token_hash: string; invited_by: string; invited_by_email: string; created_at: Date; expires_at: Date }, executor: Executor = db): Promise<string> {
      const row = await executor.insertInto('organization_invitation').values(values).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },
    listInvitations(organizationId: string) {
      return db.selectFrom('organization_invitation as i').leftJoin('user_account as u', 'u.id', 'i.accepted_by')
        .select(['i.id', 'i.email', 'i.role', 'i.invited_by_email', 'i.created_at', 'i.expires_at', 'i.accepted_at', 'i.revoked_at', 'u.email as accepted_by_email'])
        .where('i.organization_id', '=', organizationId).orderBy('i.created_at', 'desc').limit(200).execute();
    },
    findInvitation(id: string) {
      return db.selectFrom('organization_invitation').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** An invitation that can still be accepted: not accepted, not revoked, not expired. */
    findOpenInvitation(where: { tokenHash: string } | { organizationId: string; email: string }, now: Date, executor: Executor = db) {
      let query = executor.selectFrom('organization_invitation as i').innerJoin('organization as o', 'o.id', 'i.organization_id')
        .selectAll('i').select('o.name as organization_name')
        .where('i.accepted_at', 'is', null).where('i.revoked_at', 'is', null).where('i.expires_at', '>', now);
      query = 'tokenHash' in where ? query.where('i.token_hash', '=', where.tokenHash) : query.where('i.organization_id', '=', where.organizationId).where('i.email', '=', where.email);
      return query.executeTakeFirst();
    },
    /** Marks an open invitation accepted; false when it was used, revoked or expired meanwhile (single use). */
    async acceptInvitation(id: string, userId: string, now: Date, executor: Executor = db): Promise<boolean> {
      const result = await executor.updateTable('organization_invitation').set({ accepted_at: now, accepted_by: userId })
        .where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async revokeInvitation(id: string, byEmail: string, now: Date, executor: Executor = db): Promise<boolean> {
      const result = await executor.updateTable('organization_invitation').set({ revoked_at: now, revoked_by_email: byEmail })
        .where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
