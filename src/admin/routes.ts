import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { formErrors } from '../platform/views/forms.ts';
import { ROLES, can, describeRules, ACTIONS, type Actor } from '../platform/auth/rules.ts';
import { ORGANIZATION_KINDS } from '../platform/db/schema.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { AdminService } from './service.ts';

const V = 'admin/views';
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const field = () => Type.String({ default: '', maxLength: 2000 });
const csrf = { _csrf: Type.Optional(Type.String()) };
const SearchQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }) });
const AuditQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' })),
  to: Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' })),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
});

/** Administration: users, organisations, taxonomy terms, the audit log and background jobs. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ admin: AdminService; accounts: AccountsService }> = async (app, { admin, accounts }) => {
  const page = (reply: FastifyReply, template: string, context: Record<string, unknown> = {}) => {
    const flash = reply.request.session.flash;
    if (flash) delete reply.request.session.flash;
    return reply.render(`${V}/${template}.njk`, { csrfToken: reply.generateCsrf(), flash, ...context });
  };

  app.get('/admin', { config: { access: 'user.manage' } }, async (_request, reply) =>
    page(reply, 'home', { rules: describeRules(), actions: ACTIONS }),
  );

  // ---- users ----

  app.get('/admin/users', { config: { access: 'user.manage' }, schema: { querystring: SearchQuery } }, async (request, reply) => {
    const result = await accounts.searchUsers(request.actor, { text: request.query.q, page: request.query.page });
    return page(reply, 'users', { ...result, q: request.query.q ?? '', page: request.query.page });
  });

  const userPage = async (request: { actor: Actor | null; params: { id: string } }, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const view = await accounts.userPage(request.actor, request.params.id);
    return page(reply, 'user', { ...view, roles: ROLES, values: {}, ...extra });
  };

  app.get('/admin/users/:id', { config: { access: 'user.manage' }, schema: { params: Id } }, async (request, reply) => userPage(request, reply));

  app.post('/admin/users/:id/disable', { config: { access: 'user.manage' }, schema: { params: Id, body: Type.Object(csrf) } }, async (request, reply) => {
    await accounts.setDisabled(request.actor, request.params.id, true);
    request.session.flash = 'The account has been disabled and signed out.';
    return reply.redirect(`/admin/users/${request.params.id}`, 303);
  });

  app.post('/admin/users/:id/enable', { config: { access: 'user.manage' }, schema: { params: Id, body: Type.Object(csrf) } }, async (request, reply) => {
    await accounts.setDisabled(request.actor, request.params.id, false);
    request.session.flash = 'The account has been enabled.';
    return reply.redirect(`/admin/users/${request.params.id}`, 303);
  });

  app.post('/admin/users/:id/grants', {
    config: { access: 'role.grant_global' },
    schema: { params: Id, body: Type.Object({ ...csrf, role: field(), councilAreaCode: field() }) },
  }, async (request, reply) => {
    const view = await accounts.userPage(request.actor, request.params.id);
    const outcome = await accounts.grantRole(request.actor, { email: view.user.email, role: request.body.role, councilAreaCode: request.body.councilAreaCode || null });
    if (!outcome.ok) return userPage(request, reply.code(400), { values: request.body, ...formErrors(outcome.errors) });
    request.session.flash = 'The role has been granted.';
    return reply.redirect(`/admin/users/${request.params.id}`, 303);
  });

  // ---- organisations ----

  app.get('/admin/organisations', { config: { access: 'organisation.create' }, schema: { querystring: SearchQuery } }, async (request, reply) => {
    const result = await accounts.searchOrganisations(request.actor, { text: request.query.q, page: request.query.page });
    return page(reply, 'organisations', { ...result, q: request.query.q ?? '', page: request.query.page, kinds: ORGANIZATION_KINDS, values: {} });
  });

  app.post('/admin/organisations', {
    config: { access: 'organisation.create' },
    schema: { body: Type.Object({ ...csrf, name: field(), kind: field(), listed: Type.Optional(Type.String()) }) },
  }, async (request, reply) => {
    const outcome = await accounts.createOrganisation(request.actor, { name: request.body.name, kind: request.body.kind, listed: request.body.listed === 'yes' });
    if (!outcome.ok) {
      const result = await accounts.searchOrganisations(request.actor, { page: 1 });
      return page(reply.code(400), 'organisations', { ...result, q: '', page: 1, kinds: ORGANIZATION_KINDS, values: request.body, ...formErrors(outcome.errors) });
    }
    request.session.flash = 'The organisation has been created. Set up how its people sign in below.';
    return reply.redirect(`/manage/organisations/${outcome.organizationId}`, 303);
  });

  // ---- taxonomy terms ----

  const taxonomyPage = async (request: { actor: Actor | null }, reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    page(reply, 'taxonomy', { taxonomies: await admin.taxonomyPage(request.actor), values: {}, ...extra });

  app.get('/admin/taxonomy', { config: { access: 'taxonomy.manage' } }, async (request, reply) => taxonomyPage(request, reply));

  app.post('/admin/taxonomy/terms', {
    config: { access: 'taxonomy.manage' },
    schema: { body: Type.Object({ ...csrf, taxonomyId: field(), code: field(), name: field(), description: field() }) },
  }, async (request, reply) => {
    const outcome = await admin.addTerm(request.actor, request.body);
    if (!outcome.ok) return taxonomyPage(request, reply.code(400), { values: request.body, ...formErrors(outcome.errors) });
    request.session.flash = 'The term has been added.';
    return reply.redirect('/admin/taxonomy', 303);
  });

  app.post('/admin/taxonomy/terms/:id', {
    config: { access: 'taxonomy.manage' },
    schema: { params: Id, body: Type.Object({ ...csrf, name: field(), description: field() }) },
  }, async (request, reply) => {
    const outcome = await admin.editTerm(request.actor, request.params.id, request.body);
    if (!outcome.ok) return taxonomyPage(request, reply.code(400), formErrors(outcome.errors));
    request.session.flash = 'The term has been changed.';
    return reply.redirect('/admin/taxonomy', 303);
  });

  app.post('/admin/taxonomy/terms/:id/delete', { config: { access: 'taxonomy.manage' }, schema: { params: Id, body: Type.Object(csrf) } }, async (request, reply) => {
    const outcome = await admin.deleteTerm(request.actor, request.params.id);
    if (!outcome.ok) return taxonomyPage(request, reply.code(409), formErrors(outcome.errors));
    request.session.flash = 'The term has been deleted.';
    return reply.redirect('/admin/taxonomy', 303);
  });

  // ---- audit log ----

  const auditSearch = (query: { q?: string; action?: string; from?: string; to?: string }) => ({
    text: query.q || undefined,
    action: query.action || undefined,
    from: query.from || undefined,
    to: query.to || undefined,
  });

  app.get('/admin/audit', { config: { access: 'audit.view' }, schema: { querystring: AuditQuery } }, async (request, reply) => {
    const perPage = 50;
    const result = await admin.searchAudit(request.actor, { ...auditSearch(request.query), limit: perPage, offset: (request.query.page - 1) * perPage });
    const exportQuery = new URLSearchParams(Object.entries(auditSearch(request.query)).filter(([, v]) => v) as Array<[string, string]>);
    if (request.query.q) exportQuery.set('q', request.query.q);
    exportQuery.delete('text');
    return page(reply, 'audit', { ...result, query: request.query, page: request.query.page, pages: Math.max(1, Math.ceil(result.total / perPage)), exportQuery: exportQuery.toString(), everything: can(request.actor, 'audit.view') });
  });

  app.get('/admin/audit/export.csv', { config: { access: 'audit.view' }, schema: { querystring: AuditQuery } }, async (request, reply) => {
    const rows = await admin.exportAudit(request.actor, auditSearch(request.query));
    return reply
      .header('content-disposition', 'attachment; filename="frontdoor-audit-log.csv"')
      .header('cache-control', 'no-store')
      .type('text/csv; charset=utf-8')
      .send(Readable.from(rows));
  });

  // ---- background jobs ----

  app.get('/admin/jobs', { config: { access: 'jobs.view' } }, async (request, reply) => page(reply, 'jobs', await admin.jobsPage(request.actor)));

  app.post('/admin/jobs/:id/retry', { config: { access: 'jobs.view' }, schema: { params: Id, body: Type.Object(csrf) } }, async (request, reply) => {
    const retried = await admin.retryJob(request.actor, request.params.id);
    request.session.flash = retried ? 'The job will run again shortly.' : 'That job is not failed, so there is nothing to retry.';
    return reply.redirect('/admin/jobs', 303);
  });
};
