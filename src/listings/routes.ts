import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../platform/http/errors.ts';
import { PROBLEM_KINDS } from '../platform/db/schema.ts';
import { Type } from 'typebox';
import { formErrors } from '../platform/views/forms.ts';
import type { ListingsService } from './service.ts';
import { idsOf, type FieldValues, type RecordKind } from './records.ts';

const field = () => Type.String({ default: '', maxLength: 5000 });
const csrf = { _csrf: Type.Optional(Type.String()) };
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** The question pages' form for one kind of record: its fields, and the version the person started from. */
/** Ticked checkboxes: one value, several, or (the form's hidden empty one) none; left out, the field keeps its value. */
const ticked = () => Type.Optional(Type.Union([Type.String({ maxLength: 40_000 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 500 })]));
const recordForm = (kind: RecordKind) =>
  Type.Object({
    ...csrf,
    baseVersion: Type.Integer({ default: 0, minimum: 0 }),
    ...(Object.fromEntries(kind.fields.map((f) => [f, kind.checkboxes?.[f] ? ticked() : field()])) as Record<string, ReturnType<typeof field>>),
  });
const EmptyForm = Type.Object({ ...csrf });
const RestoreForm = Type.Object({ ...csrf, version: Type.Integer({ minimum: 1 }) });
const DecisionForm = Type.Object({ ...csrf, decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]), reason: Type.String({ default: '', maxLength: 1000 }) });

const ReportForm = Type.Object({
  kind: Type.String({ default: '', maxLength: 50 }),
  details: Type.String({ default: '', maxLength: 5000 }),
  replyEmail: Type.String({ default: '', maxLength: 320 }),
  /** The honeypot: hidden from people, filled in by form-filling robots. */
  website: Type.String({ default: '', maxLength: 500 }),
});
const AnswerForm = Type.Object({ ...csrf, answer: Type.String({ default: '', maxLength: 2000 }) });

export const PROBLEM_KIND_LABELS: Record<(typeof PROBLEM_KINDS)[number], string> = {
  wrong_details: 'Some details are wrong',
  closed: 'The service has closed',
  moved: 'The service has moved',
  other: 'Something else',
};

const ClaimForm = Type.Object({ ...csrf, statedRole: Type.String({ default: '', maxLength: 1000 }) });
const ClaimDecisionForm = Type.Object({ ...csrf, decision: Type.Union([Type.Literal('approve'), Type.Literal('deny'), Type.Literal('revoke')]), reason: Type.String({ default: '', maxLength: 1000 }) });

const V = 'listings/views';

/** Editing a service through question pages with "check your answers", its history, its review, and the moderator desk. */
export const listingsRoutes: FastifyPluginAsyncTypebox<{ listings: ListingsService; reportRateLimit: number; publicUrl: string | undefined }> = async (app, { listings, reportRateLimit, publicUrl }) => {
  // Public pages carry no CSRF token (no session); a report must come from this site's own page.
  const sameOrigin = (request: FastifyRequest): boolean => {
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string') return site === 'same-origin' || site === 'none';
    const origin = request.headers.origin;
    if (typeof origin === 'string') return origin === `${request.protocol}://${request.host}` || origin === publicUrl;
    return true;
  };
  const page = (reply: FastifyReply, template: string, context: Record<string, unknown> = {}) => {
    const flash = reply.request.session.flash;
    if (flash) delete reply.request.session.flash;
    return reply.render(`${V}/${template}.njk`, { csrfToken: reply.generateCsrf(), flash, labels: listings.labels, ...context });
  };
  /** The answers sent; `keep` fills a checkbox field the form did not send at all (see saveRecord). */
  const valuesFrom = (kind: RecordKind, body: Record<string, unknown>, keep?: FieldValues) => {
    const values: FieldValues = {};
    for (const f of kind.fields) {
      const sent = body[f];
      if (kind.checkboxes?.[f]) {
        if (sent === undefined) {
          if (keep) values[f] = keep[f] ?? '';
        } else values[f] = idsOf((Array.isArray(sent) ? sent : [sent]).map(String).join(',')).join(',');
      } else values[f] = String(sent ?? '').trim();
    }
    return values;
  };
  /** Each checkbox field's items, ticked as the values say. */
  const boxes = (kind: RecordKind, values: FieldValues, choices: Record<string, Array<{ value: string; text: string }>>) =>
    Object.fromEntries(Object.keys(kind.checkboxes ?? {}).map((f) => [f, (choices[f] ?? []).map((c) => ({ ...c, checked: idsOf(values[f]).includes(c.value) }))]));
  /** What check your answers shows for a checkbox field: the names of what is ticked. */
  const displayed = (kind: RecordKind, values: FieldValues, choices: Record<string, Array<{ value: string; text: string }>>) =>
    Object.fromEntries(Object.keys(kind.checkboxes ?? {}).map((f) => [f, (choices[f] ?? []).filter((c) => idsOf(values[f]).includes(c.value)).map((c) => c.text).join(', ')]));

  // Any signed-in person: someone who has only proposed an organisation sees it waiting here.
  app.get('/manage/listings', { config: { access: 'signed-in' } }, async (request, reply) => {
    return page(reply, 'listings', await listings.yourListings(request.actor));
  });

  // An organisation that is not listed yet: the organisation's question pages, plus where it works. It always waits for a moderator.
  // Any signed-in account may propose one (the service asks can(…, 'organisation.propose'), which every account may), like a claim.
  {
    const kind = listings.proposedOrganisation;
    const Form = recordForm(kind);
    const base = '/manage/organisations/new';
    const actions = { checkAction: `${base}/check`, saveAction: base, changeAction: `${base}/change`, startAgain: base };
    const newPage = (reply: FastifyReply, request: FastifyRequest, context: Record<string, unknown> = {}) =>
      page(reply, 'edit', { ...listings.newOrganisationForm(request.actor), labels: kind.labels, isNew: true, pending: [], reports: [], ...actions, ...context });

    app.get(base, { config: { access: 'signed-in' } }, async (request, reply) => newPage(reply, request));

    app.post(`${base}/check`, { config: { access: 'signed-in' }, schema: { body: Form } }, async (request, reply) => {
      const view = listings.newOrganisationForm(request.actor);
      const values = valuesFrom(kind, request.body);
      const errors = await listings.validateProposedOrganisation(values);
      if (Object.keys(errors).length > 0) return newPage(reply.code(400), request, { values, ...formErrors(errors) });
      return page(reply, 'check', { kind, labels: kind.labels, caption: view.organisation.name, values, baseVersion: 0, publishesAtOnce: false, isNew: true, ...actions });
    });

    app.post(`${base}/change`, { config: { access: 'signed-in' }, schema: { body: Form } }, async (request, reply) => {
      return newPage(reply, request, { values: valuesFrom(kind, request.body) });
    });

    app.post(base, { config: { access: 'signed-in' }, schema: { body: Form } }, async (request, reply) => {
      const values = valuesFrom(kind, request.body);
      const outcome = await listings.proposeOrganisation(request.actor, values);
      if (!outcome.ok) return newPage(reply.code(400), request, { values, ...formErrors(outcome.errors) });
      request.session.flash = 'The organisation is saved. A moderator will check it before it is listed, and email you.';
      return reply.redirect('/manage/listings', 303);
    });
  }

  // The same question pages, check your answers, history and restore for every kind of record.
  for (const kind of Object.values(listings.kinds)) {
    const base = `/manage/${kind.path}/:id`;
    const Form = recordForm(kind);
    const actions = (id: string) => ({ checkAction: `/manage/${kind.path}/${id}/check`, saveAction: `/manage/${kind.path}/${id}/save`, changeAction: `/manage/${kind.path}/${id}/change`, startAgain: `/manage/${kind.path}/${id}/edit` });
    const editPage = (reply: FastifyReply, view: Awaited<ReturnType<ListingsService['recordForEdit']>>, context: Record<string, unknown>) =>
      page(reply, 'edit', { ...view, labels: kind.labels, ...actions(view.record.id), ...context, boxes: boxes(kind, (context.values as FieldValues | undefined) ?? view.values, view.choices) });

    app.get(`${base}/edit`, { config: { access: 'listing.edit' }, schema: { params: Params } }, async (request, reply) => {
      const view = await listings.recordForEdit(request.actor, kind.kind, request.params.id);
      return editPage(reply, view, { baseVersion: view.version });
    });

    app.post(`${base}/check`, { config: { access: 'listing.edit' }, schema: { params: Params, body: Form } }, async (request, reply) => {
      const view = await listings.recordForEdit(request.actor, kind.kind, request.params.id);
      const values = valuesFrom(kind, request.body, view.values);
      const errors = { ...(await listings.validate(kind.kind, values)), ...(await listings.checkInOrganisation(kind.kind, view.record.organizationId, values, view.values)) };
      if (Object.keys(errors).length > 0) return editPage(reply.code(400), view, { values, baseVersion: request.body.baseVersion, ...formErrors(errors) });
      return page(reply, 'check', { kind, labels: kind.labels, caption: view.record.name, values, display: displayed(kind, values, view.choices), baseVersion: request.body.baseVersion, publishesAtOnce: view.publishesAtOnce, ...actions(view.record.id) });
    });

    app.post(`${base}/change`, { config: { access: 'listing.edit' }, schema: { params: Params, body: Form } }, async (request, reply) => {
      const view = await listings.recordForEdit(request.actor, kind.kind, request.params.id);
      return editPage(reply, view, { values: valuesFrom(kind, request.body, view.values), baseVersion: request.body.baseVersion });
    });

    app.post(`${base}/save`, { config: { access: 'listing.edit' }, schema: { params: Params, body: Form } }, async (request, reply) => {
      const values = valuesFrom(kind, request.body);
      const outcome = await listings.saveRecord(request.actor, kind.kind, request.params.id, request.body.baseVersion, values);
      if (outcome.ok) {
        request.session.flash = outcome.status === 'published' ? 'Your changes are published.' : 'Your changes are saved and will be published once a moderator has checked them.';
        return reply.redirect(`/manage/${kind.path}/${request.params.id}/edit`, 303);
      }
      const view = await listings.recordForEdit(request.actor, kind.kind, request.params.id);
      if ('conflict' in outcome) {
        // Show the current values, with what changed since this person started, and their own answers to copy from.
        return editPage(reply.code(409), view, { baseVersion: view.version, conflict: outcome.conflict, yourValues: { ...values, ...displayed(kind, values, view.choices) } });
      }
      return editPage(reply.code(400), view, { values, baseVersion: request.body.baseVersion, ...formErrors(outcome.errors) });
    });

    app.get(`${base}/history`, { config: { access: 'listing.edit' }, schema: { params: Params } }, async (request, reply) => {
      return page(reply, 'history', { ...(await listings.history(request.actor, kind.kind, request.params.id)), labels: kind.labels });
    });

    app.post(`${base}/restore`, { config: { access: 'listing.edit' }, schema: { params: Params, body: RestoreForm } }, async (request, reply) => {
      const version = await listings.restore(request.actor, kind.kind, request.params.id, request.body.version);
      request.session.flash = `Version ${request.body.version} is restored as version ${version}.`;
      return reply.redirect(`/manage/${kind.path}/${request.params.id}/history`, 303);
    });

    if (!kind.create) continue;
    // A new service or place of an organisation: the same question pages, without a version to start from.
    const newBase = `/manage/organisations/:id/${kind.path}/new`;
    const newActions = (organisationId: string) => ({ checkAction: `/manage/organisations/${organisationId}/${kind.path}/new/check`, saveAction: `/manage/organisations/${organisationId}/${kind.path}/new`, changeAction: `/manage/organisations/${organisationId}/${kind.path}/new/change`, startAgain: `/manage/organisations/${organisationId}/${kind.path}/new` });
    const newPage = (reply: FastifyReply, view: Awaited<ReturnType<ListingsService['newRecordForm']>>, context: Record<string, unknown> = {}) =>
      page(reply, 'edit', { ...view, labels: kind.labels, isNew: true, pending: [], reports: [], ...newActions(view.organisation.id), ...context, boxes: boxes(kind, (context.values as FieldValues | undefined) ?? view.values, view.choices) });

    app.get(newBase, { config: { access: 'listing.edit' }, schema: { params: Params } }, async (request, reply) => {
      return newPage(reply, await listings.newRecordForm(request.actor, kind.kind, request.params.id));
    });

    app.post(`${newBase}/check`, { config: { access: 'listing.edit' }, schema: { params: Params, body: Form } }, async (request, reply) => {
      const view = await listings.newRecordForm(request.actor, kind.kind, request.params.id);
      const values = valuesFrom(kind, request.body, view.values);
      const errors = { ...(await listings.validate(kind.kind, values)), ...(await listings.checkInOrganisation(kind.kind, view.organisation.id, values, undefined)) };
      if (Object.keys(errors).length > 0) return newPage(reply.code(400), view, { values, ...formErrors(errors) });
      return page(reply, 'check', { kind, labels: kind.labels, caption: view.organisation.name, values, display: displayed(kind, values, view.choices), baseVersion: 0, publishesAtOnce: view.publishesAtOnce, isNew: true, ...newActions(view.organisation.id) });
    });

    app.post(`${newBase}/change`, { config: { access: 'listing.edit' }, schema: { params: Params, body: Form } }, async (request, reply) => {
      return newPage(reply, await listings.newRecordForm(request.actor, kind.kind, request.params.id), { values: valuesFrom(kind, request.body) });
    });

    app.post(newBase, { config: { access: 'listing.edit' }, schema: { params: Params, body: Form } }, async (request, reply) => {
      const values = valuesFrom(kind, request.body);
      const outcome = await listings.createRecord(request.actor, kind.kind, request.params.id, values);
      if (!outcome.ok) return newPage(reply.code(400), await listings.newRecordForm(request.actor, kind.kind, request.params.id), { values, ...formErrors(outcome.errors) });
      if (outcome.status === 'published') {
        request.session.flash = `The ${kind.noun} is added and published.`;
        return reply.redirect(`/manage/${kind.path}/${outcome.id}/edit`, 303);
      }
      request.session.flash = `The ${kind.noun} is saved and will be published once a moderator has checked it.`;
      return reply.redirect('/manage/listings', 303);
    });
  }

  app.post('/manage/services/:id/still-correct', { config: { access: 'listing.edit' }, schema: { params: Params, body: EmptyForm } }, async (request, reply) => {
    await listings.confirmStillCorrect(request.actor, request.params.id);
    request.session.flash = 'Thank you: the listing is marked as checked today.';
    return reply.redirect(`/manage/services/${request.params.id}/edit`, 303);
  });

  app.get('/services/:id/report', { config: { access: 'public' }, schema: { params: Params } }, async (request, reply) => {
    const view = await listings.serviceForReport(request.params.id);
    return reply.header('cache-control', 'no-store').render(`${V}/report.njk`, { service: view, kinds: PROBLEM_KIND_LABELS, values: {}, errors: {} });
  });

  app.post('/services/:id/report', {
    config: {
      access: 'public',
      csrf: false,
      // Per address, per process: with the honeypot, this holds back form-filling robots without any third-party service.
      rateLimit: { max: reportRateLimit, timeWindow: 60_000, errorResponseBuilder: () => new HttpError(429, 'too_many_reports', 'Too many reports have come from your connection in the last minute. Wait a minute, then send your report again.') },
    },
    schema: { params: Params, body: ReportForm },
    preHandler: (request, _reply, done) => {
      if (sameOrigin(request)) return done();
      done(new HttpError(403, 'csrf_failed', 'This form did not come from this site. Go back, reload the page and try again.'));
    },
  }, async (request, reply) => {
    const service = await listings.serviceForReport(request.params.id);
    const body = request.body;
    const kindErrors: Record<string, string> = (PROBLEM_KINDS as readonly string[]).includes(body.kind) ? {} : { kind: 'Select what is wrong' };
    const outcome = Object.keys(kindErrors).length > 0
      ? { ok: false as const, errors: kindErrors }
      : await listings.reportProblem(request.params.id, { kind: body.kind as (typeof PROBLEM_KINDS)[number], details: body.details, replyEmail: body.replyEmail, honeypot: body.website });
    if (!outcome.ok) return reply.code(400).header('cache-control', 'no-store').render(`${V}/report.njk`, { service, kinds: PROBLEM_KIND_LABELS, values: body, ...formErrors(outcome.errors) });
    return reply.header('cache-control', 'no-store').render(`${V}/report-sent.njk`, { service });
  });

  app.post('/manage/reports/:id/answer', { config: { access: 'listing.edit' }, schema: { params: Params, body: AnswerForm } }, async (request, reply) => {
    const serviceId = await listings.answerReport(request.actor, request.params.id, request.body.answer.trim());
    request.session.flash = 'The report is marked as answered.';
    return reply.redirect(`/manage/services/${serviceId}/edit`, 303);
  });

  app.get('/organisations/:id/claim', { config: { access: 'signed-in' }, schema: { params: Params } }, async (request, reply) => {
    return page(reply, 'claim', { organisation: await listings.organisationForClaim(request.params.id), values: {} });
  });

  app.post('/organisations/:id/claim', { config: { access: 'signed-in' }, schema: { params: Params, body: ClaimForm } }, async (request, reply) => {
    const outcome = await listings.claim(request.actor, request.params.id, request.body.statedRole);
    if (!outcome.ok) return page(reply.code(400), 'claim', { organisation: await listings.organisationForClaim(request.params.id), values: request.body, ...formErrors(outcome.errors) });
    request.session.flash = 'Your claim has been sent. A moderator will check it and email you.';
    return reply.redirect('/account', 303);
  });

  app.post('/moderate/claims/:id', { config: { access: 'listing.moderate' }, schema: { params: Params, body: ClaimDecisionForm } }, async (request, reply) => {
    await listings.decideClaim(request.actor, request.params.id, request.body.decision, request.body.reason.trim());
    request.session.flash = { approve: 'The claim is approved.', deny: 'The claim is denied.', revoke: 'The claim is revoked.' }[request.body.decision];
    return reply.redirect('/moderate', 303);
  });

  app.get('/moderate', { config: { access: 'listing.moderate' } }, async (request, reply) => {
    return page(reply, 'desk', await listings.desk(request.actor));
  });

  app.post('/moderate/edits/:id', { config: { access: 'listing.moderate' }, schema: { params: Params, body: DecisionForm } }, async (request, reply) => {
    const outcome = await listings.decide(request.actor, request.params.id, request.body.decision, request.body.reason.trim());
    request.session.flash = outcome.message;
    return reply.redirect('/moderate', 303);
  });
};
