import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { formErrors } from '../platform/views/forms.ts';
import type { Actor } from '../platform/auth/rules.ts';
import type { ImportsService, SourceInput } from './service.ts';

const V = 'imports/views';
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const csrf = { _csrf: Type.Optional(Type.String()) };
const SourceForm = Type.Object({
  ...csrf,
  name: Type.String({ default: '', maxLength: 2000 }),
  kind: Type.String({ default: '', maxLength: 20 }),
  location: Type.String({ default: '', maxLength: 2000 }),
  scheduleHours: Type.String({ default: '', maxLength: 20 }),
  defaultOrganisationId: Type.String({ default: '', maxLength: 100 }),
  needsModeration: Type.Optional(Type.String({ maxLength: 10 })),
  enabled: Type.Optional(Type.String({ maxLength: 10 })),
  taxonomyMapping: Type.String({ default: '', maxLength: 200_000 }),
});
type SourceFormBody = Static<typeof SourceForm>;

const toInput = (body: SourceFormBody): SourceInput => ({
  name: body.name,
  kind: body.kind,
  location: body.location,
  scheduleHours: body.scheduleHours,
  defaultOrganisationId: body.defaultOrganisationId,
  needsModeration: body.needsModeration === 'yes',
  enabled: body.enabled === 'yes',
  taxonomyMapping: body.taxonomyMapping,
});

/** Admin pages for import sources: register, edit, sync now, and each run's figures and rejected records. */
export const importRoutes: FastifyPluginAsyncTypebox<{ imports: ImportsService }> = async (app, { imports }) => {
  const page = (reply: FastifyReply, template: string, context: Record<string, unknown> = {}) => {
    const flash = reply.request.session.flash;
    if (flash) delete reply.request.session.flash;
    return reply.render(`${V}/${template}.njk`, { csrfToken: reply.generateCsrf(), flash, ...context });
  };

  const newPage = async (actor: Actor | null, reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    page(reply, 'source', { organisations: await imports.organisations(actor), values: { kind: 'api', enabled: 'yes' }, ...extra });

  app.get('/admin/imports', { config: { access: 'imports.manage' } }, async (request, reply) => page(reply, 'sources', await imports.sourcesPage(request.actor)));

  app.get('/admin/imports/new', { config: { access: 'imports.manage' } }, async (request, reply) => newPage(request.actor, reply));

  app.post('/admin/imports', { config: { access: 'imports.manage' }, schema: { body: SourceForm } }, async (request, reply) => {
    const outcome = await imports.createSource(request.actor, toInput(request.body));
    if (!outcome.ok) return newPage(request.actor, reply.code(400), { values: request.body, ...formErrors(outcome.errors) });
    request.session.flash = 'The source has been added. Sync it now, or wait for its schedule.';
    return reply.redirect(`/admin/imports/${outcome.id}`, 303);
  });

  const sourcePage = async (actor: Actor | null, id: string, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const view = await imports.sourcePage(actor, id);
    const { source } = view;
    const values = {
      name: source.name, kind: source.kind, location: source.location, scheduleHours: source.schedule_hours ?? '',
      defaultOrganisationId: source.default_organization_id ?? '', needsModeration: source.needs_moderation ? 'yes' : '',
      enabled: source.enabled ? 'yes' : '', taxonomyMapping: source.taxonomy_mapping,
    };
    return page(reply, 'source', { ...view, values, ...extra });
  };

  app.get('/admin/imports/:id', { config: { access: 'imports.manage' }, schema: { params: Id } }, async (request, reply) => sourcePage(request.actor, request.params.id, reply));

  app.post('/admin/imports/:id', { config: { access: 'imports.manage' }, schema: { params: Id, body: SourceForm } }, async (request, reply) => {
    const outcome = await imports.updateSource(request.actor, request.params.id, toInput(request.body));
    if (!outcome.ok) return sourcePage(request.actor, request.params.id, reply.code(400), { values: request.body, ...formErrors(outcome.errors) });
    request.session.flash = 'The source has been changed.';
    return reply.redirect(`/admin/imports/${request.params.id}`, 303);
  });

  app.post('/admin/imports/:id/sync', { config: { access: 'imports.manage' }, schema: { params: Id, body: Type.Object(csrf) } }, async (request, reply) => {
    await imports.requestSync(request.actor, request.params.id);
    request.session.flash = 'The sync will start shortly. Refresh this page to see its figures.';
    return reply.redirect(`/admin/imports/${request.params.id}`, 303);
  });

  app.get('/admin/imports/runs/:id', { config: { access: 'imports.manage' }, schema: { params: Id } }, async (request, reply) => page(reply, 'run', await imports.runPage(request.actor, request.params.id)));
};
