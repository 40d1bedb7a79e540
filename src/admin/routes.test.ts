import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { FormClient } from '../platform/testing/http.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { createAccount, createOrganisation, signIn } from '../accounts/testing/helpers.ts';

describeOnEachEngine('organisations, roles and administration over HTTP', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let built: App;
  let ownOrg: string;
  let otherOrg: string;
  let orgAdmin: FormClient;
  let sysAdmin: FormClient;
  before(async () => {
    built = await buildTestApp(database(), { clock, mailTransport: memoryTransport() });
    const db = database().db;
    ownOrg = await createOrganisation(db, 'Kilmarnock Foodbank');
    otherOrg = await createOrganisation(db, 'Dundee Carers Centre');
    orgAdmin = new FormClient(built.app);
    await signIn(orgAdmin, await createAccount(db, 'boss@foodbank.example', { totp: true, roles: [{ role: 'organisation_admin', organizationId: ownOrg }] }), clock);
    sysAdmin = new FormClient(built.app);
    await signIn(sysAdmin, await createAccount(db, 'root@frontdoor.example', { totp: true, roles: [{ role: 'system_admin' }] }), clock);
  });
  after(async () => built.app.close());

  const auditActions = async () => (await database().db.selectFrom('audit_event').select(['action', 'summary', 'actor_email']).orderBy('at').execute());

  test('an organisation admin grants and revokes roles in their own organisation, and each is audited', async () => {
    const volunteer = await createAccount(database().db, 'volunteer@example.org');
    const page = await orgAdmin.get(`/manage/organisations/${ownOrg}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Kilmarnock Foodbank/);

    const unknown = await orgAdmin.post(`/manage/organisations/${ownOrg}/grants`, { email: 'nobody@example.org', role: 'organisation_member' });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /No account uses this email address/);

    const granted = await orgAdmin.post(`/manage/organisations/${ownOrg}/grants`, { email: volunteer.email, role: 'organisation_member' });
    assert.equal(granted.statusCode, 303);
    const grant = await database().db.selectFrom('role_grant').selectAll().where('user_id', '=', volunteer.id).executeTakeFirstOrThrow();
    assert.equal(grant.role, 'organisation_member');
    assert.equal(grant.organization_id, ownOrg);
    assert.equal(grant.granted_because, 'admin');

    const listed = await orgAdmin.get(`/manage/organisations/${ownOrg}`);
    assert.match(listed.body, /volunteer@example.org/);
    const revoked = await orgAdmin.post(`/manage/grants/${grant.id}/revoke`);
    assert.equal(revoked.statusCode, 303);
    const after = await database().db.selectFrom('role_grant').select('revoked_at').where('id', '=', grant.id).executeTakeFirstOrThrow();
    assert.ok(after.revoked_at, 'revoked, not deleted: the grant stays on record');

    const log = await auditActions();
    assert.ok(log.some((e) => e.action === 'role.granted' && e.actor_email === 'boss@foodbank.example' && /organisation_member in Kilmarnock Foodbank to volunteer@example.org/.test(e.summary)));
    assert.ok(log.some((e) => e.action === 'role.revoked' && e.actor_email === 'boss@foodbank.example'));
  });

  test('an organisation admin may not touch another organisation, nor grant moderator or system admin', async () => {
    const someone = await createAccount(database().db, 'someone@example.org');
    assert.equal((await orgAdmin.get(`/manage/organisations/${otherOrg}`)).statusCode, 403);
    await orgAdmin.get(`/manage/organisations/${ownOrg}`);
    assert.equal((await orgAdmin.post(`/manage/organisations/${otherOrg}/grants`, { email: someone.email, role: 'organisation_member' })).statusCode, 403);
    assert.equal((await orgAdmin.post(`/manage/organisations/${ownOrg}/grants`, { email: someone.email, role: 'system_admin' })).statusCode, 403);
    assert.equal((await orgAdmin.get('/admin/users')).statusCode, 403);
    assert.equal((await orgAdmin.get('/admin/audit')).statusCode, 403);
  });

  test('a system admin creates an unlisted NHS board, sets its domain and single sign-on, adds a team and grants a team role', async () => {
    await sysAdmin.get('/admin/organisations');
    const created = await sysAdmin.post('/admin/organisations', { name: 'NHS Ayrshire and Arran', kind: 'nhs_board' });
    assert.equal(created.statusCode, 303);
    const id = String(created.headers.location).split('/').pop()!;
    const organisation = await database().db.selectFrom('organization').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(organisation.listed, false, 'not in public search unless asked');

    await sysAdmin.get(`/manage/organisations/${id}`);
    const bad = await sysAdmin.post(`/manage/organisations/${id}/settings`, { allowedEmailDomain: 'not a domain', domainRole: '', oidcIssuer: '', oidcClientId: '', oidcClientSecret: '', kind: 'nhs_board' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter a domain like nhs.scot/);
    const saved = await sysAdmin.post(`/manage/organisations/${id}/settings`, {
      allowedEmailDomain: 'aapct.scot.nhs.uk',
      domainRole: 'professional',
      oidcIssuer: 'https://login.microsoftonline.com/tenant/v2.0',
      oidcClientId: 'frontdoor',
      oidcClientSecret: 's3cret',
      kind: 'nhs_board',
    });
    assert.equal(saved.statusCode, 303);
    const access = await database().db.selectFrom('organization_access').selectAll().where('organization_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(access.allowed_email_domain, 'aapct.scot.nhs.uk');
    assert.match(access.oidc_client_secret!, /^fd1\./, 'stored encrypted');
    assert.doesNotMatch(access.oidc_client_secret!, /s3cret/);

    await sysAdmin.get(`/manage/organisations/${id}`);
    assert.equal((await sysAdmin.post(`/manage/organisations/${id}/teams`, { teamName: 'District Nursing' })).statusCode, 303);
    const team = await database().db.selectFrom('team').selectAll().where('organization_id', '=', id).executeTakeFirstOrThrow();
    const nurse = await createAccount(database().db, 'nurse@aapct.scot.nhs.uk');
    await sysAdmin.get(`/manage/organisations/${id}`);
    assert.equal((await sysAdmin.post(`/manage/organisations/${id}/grants`, { email: nurse.email, role: 'professional', teamId: team.id })).statusCode, 303);
    const grant = await database().db.selectFrom('role_grant').selectAll().where('user_id', '=', nurse.id).executeTakeFirstOrThrow();
    assert.equal(grant.team_id, team.id);

    await sysAdmin.get(`/manage/organisations/${id}`);
    assert.equal((await sysAdmin.post(`/manage/organisations/${id}/details`, { name: 'NHS Ayrshire & Arran', listed: 'yes' })).statusCode, 303);
    const changed = await database().db.selectFrom('organization').select(['name', 'listed']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(changed, { name: 'NHS Ayrshire & Arran', listed: true });
    await orgAdmin.get(`/manage/organisations/${ownOrg}`);
    assert.equal((await orgAdmin.post(`/manage/organisations/${ownOrg}/details`, { name: 'Renamed' })).statusCode, 403, 'only a system admin renames or lists');

    const log = await auditActions();
    for (const action of ['organisation.created', 'organisation.changed', 'organisation.settings_changed', 'team.created', 'role.granted']) {
      assert.ok(log.some((e) => e.action === action && e.actor_email === 'root@frontdoor.example'), action);
    }
    assert.ok(!log.some((e) => e.summary.includes('s3cret')), 'secrets stay out of the log');
  });

  test('a system admin grants moderator for a council area and disables an account, which ends its sessions', async () => {
    const moderator = await createAccount(database().db, 'moderator@example.org');
    await sysAdmin.get(`/admin/users/${moderator.id}`);
    const noArea = await sysAdmin.post(`/admin/users/${moderator.id}/grants`, { role: 'moderator', councilAreaCode: '' });
    assert.equal(noArea.statusCode, 400);
    const area = await database().db.selectFrom('council_area').select('code').orderBy('code').executeTakeFirstOrThrow();
    assert.equal((await sysAdmin.post(`/admin/users/${moderator.id}/grants`, { role: 'moderator', councilAreaCode: area.code })).statusCode, 303);
    const grant = await database().db.selectFrom('role_grant').selectAll().where('user_id', '=', moderator.id).executeTakeFirstOrThrow();
    assert.equal(grant.council_area_code, area.code);

    const victim = await createAccount(database().db, 'leaver@example.org');
    const leaver = new FormClient(built.app);
    await signIn(leaver, victim, clock);
    assert.equal((await leaver.get('/account')).statusCode, 200);
    await sysAdmin.get(`/admin/users/${victim.id}`);
    assert.equal((await sysAdmin.post(`/admin/users/${victim.id}/disable`)).statusCode, 303);
    assert.equal((await leaver.get('/account')).statusCode, 303, 'signed out');
    const again = new FormClient(built.app);
    assert.equal((await signIn(again, victim, clock)).statusCode, 400, 'and cannot sign in');

    const users = await sysAdmin.get('/admin/users?q=leaver');
    assert.match(users.body, /leaver@example.org/);
    assert.doesNotMatch(users.body, /moderator@example.org/);
  });

  test('taxonomy terms are added, renamed and deleted in the app, each audited', async () => {
    const page = await sysAdmin.get('/admin/taxonomy');
    assert.equal(page.statusCode, 200);
    const taxonomy = await database().db.selectFrom('taxonomy').select(['id', 'name']).orderBy('name').executeTakeFirstOrThrow();
    const bad = await sysAdmin.post('/admin/taxonomy/terms', { taxonomyId: taxonomy.id, code: 'Not A Code', name: 'X', description: '' });
    assert.equal(bad.statusCode, 400);
    assert.equal((await sysAdmin.post('/admin/taxonomy/terms', { taxonomyId: taxonomy.id, code: 'peer-support', name: 'Peer support', description: '' })).statusCode, 303);
    const term = await database().db.selectFrom('taxonomy_term').selectAll().where('code', '=', 'peer-support').executeTakeFirstOrThrow();
    await sysAdmin.get('/admin/taxonomy');
    assert.equal((await sysAdmin.post(`/admin/taxonomy/terms/${term.id}`, { name: 'Peer support groups', description: '' })).statusCode, 303);
    assert.equal((await database().db.selectFrom('taxonomy_term').select('name').where('id', '=', term.id).executeTakeFirstOrThrow()).name, 'Peer support groups');
    await sysAdmin.get('/admin/taxonomy');
    assert.equal((await sysAdmin.post(`/admin/taxonomy/terms/${term.id}/delete`)).statusCode, 303);
    const log = await auditActions();
    for (const action of ['taxonomy.term_added', 'taxonomy.term_changed', 'taxonomy.term_deleted']) assert.ok(log.some((e) => e.action === action), action);
  });

  test('the audit log is searchable and exports as CSV; an information-governance lead sees only their organisation’s entries', async () => {
    const search = await sysAdmin.get('/admin/audit?q=Kilmarnock');
    assert.equal(search.statusCode, 200);
    assert.match(search.body, /organisation_member in Kilmarnock Foodbank/);
    assert.doesNotMatch(search.body, /Peer support/);
    const byAction = await sysAdmin.get('/admin/audit?action=taxonomy.term_added');
    assert.match(byAction.body, /Peer support/);
    assert.doesNotMatch(byAction.body, /Kilmarnock/);

    const csv = await sysAdmin.get('/admin/audit/export.csv?q=Kilmarnock');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment/);
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines[0], 'at,actor_email,action,target_type,target_id,organization_id,summary');
    assert.ok(lines.length >= 3);
    assert.ok(lines.slice(1).every((line) => line.includes('Kilmarnock')));
    assert.ok((await auditActions()).some((e) => e.action === 'audit.exported'), 'exporting is itself audited');

    const ig = new FormClient(built.app);
    await signIn(ig, await createAccount(database().db, 'ig@foodbank.example', { totp: true, roles: [{ role: 'ig_lead', organizationId: ownOrg }] }), clock);
    const own = await ig.get('/admin/audit');
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Kilmarnock Foodbank/);
    assert.doesNotMatch(own.body, /NHS Ayrshire and Arran|Peer support/);
  });

  test('failed background jobs are shown to system admins, who can retry them', async () => {
    const jobs = built.services.jobs;
    jobs.register('test.always-fails', async () => {
      throw new Error('the far end is down');
    });
    const id = await jobs.enqueue('test.always-fails', {}, { maxAttempts: 1 });
    await jobs.runDue();
    const page = await sysAdmin.get('/admin/jobs');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /the far end is down/);
    assert.equal((await sysAdmin.post(`/admin/jobs/${id}/retry`)).statusCode, 303);
    assert.equal((await jobs.list()).find((job) => job.id === id)!.status, 'pending');
    assert.equal((await orgAdmin.get('/admin/jobs')).statusCode, 403);
  });
});
