import { randomUUID } from 'node:crypto';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database, ListingVersionStatus, ProblemKind, RecordKindName } from '../platform/db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { can, organisationsWhere, type Actor, type Resource } from '../platform/auth/rules.ts';
import type { AuditLog } from '../platform/audit/log.ts';
import type { Mailer } from '../platform/mail/mailer.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { NotFoundError } from '../platform/http/errors.ts';
import { ForbiddenError } from '../platform/auth/plugin.ts';
import type { ResolveResult } from '../geography/service.ts';
import { allLabels, councilAreasOfService as areasOfService, idsOf, organisationAreas, proposedOrganisationKind, recordKinds, SERVICE_FIELDS, serviceKind, type Choice, type Derived, type Executor, type FieldValues, type LiveRecord, type RecordKind } from './records.ts';

export { SERVICE_FIELDS };
export type FieldDiff = Record<string, { from: unknown; to: unknown }>;

export interface ListingsSettings {
  reviewIntervalMonths: number;
  reviewGraceDays: number;
  reportAnswerDays: number;
  /** Links in emails are made from this. */
  publicUrl: string;
}

export const REVIEW_JOB = 'listings.review-cycle';
const DAY = 86_400_000;
/** Reminders at the due date, two and four weeks later; moderators are told six weeks after. */
export const REMINDER_OFFSETS_DAYS = [0, 14, 28] as const;
export const MODERATORS_TOLD_AFTER_DAYS = 42;

export function diffValues(before: Record<string, unknown>, after: Record<string, unknown>): FieldDiff {
  const diff: FieldDiff = {};
  for (const key of Object.keys(after)) {
    const from = before[key] ?? '';
    const to = after[key] ?? '';
    if (from !== to) diff[key] = { from, to };
  }
  return diff;
}

export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1 + months, day)).toISOString().slice(0, 10);
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export type SaveOutcome =
  | { ok: true; status: ListingVersionStatus; version: number }
  | { ok: false; errors: Record<string, string> }
  | { ok: false; conflict: { currentVersion: number; changedSince: FieldDiff; by: string | null; at: Date } };

export type CreateOutcome = { ok: true; status: ListingVersionStatus; id: string } | { ok: false; errors: Record<string, string> };

/** The note on a version that creates its record (no live row exists until it is published). */
const CREATED_NOTE = 'Created here';

export function createListingsService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  mailer: Mailer;
  jobs: JobQueue;
  settings: ListingsSettings;
  /** Looks up a place's postcode (for its point and council area). */
  places: { resolve(input: string): Promise<ResolveResult> };
  /** Makes a change searchable at once in this process. */
  refreshSearch: (serviceIds: string[]) => Promise<void>;
}) {
  const { db, clock, audit, mailer, settings } = deps;
  const kinds = recordKinds(deps.places);
  const proposal = proposedOrganisationKind(deps.places);
  const labels = allLabels(kinds);
  const today = () => clock.now().toISOString().slice(0, 10);
  const link = (path: string) => `${settings.publicUrl.replace(/\/$/, '')}${path}`;
  const councilAreasOfService = (serviceId: string, executor: Executor = db) => areasOfService(executor, serviceId);
  const mayEdit = (actor: Actor | null, resource: Resource) => can(actor, 'listing.edit', resource) || can(actor, 'listing.moderate', resource);

  async function loadService(serviceId: string, executor: Executor = db) {
    const service = await executor
      .selectFrom('service')
      .innerJoin('organization', 'organization.id', 'service.organization_id')
      .select(['service.id', 'service.organization_id', 'organization.name as organization_name', 'service.status', 'service.last_reviewed_at', 'service.created_at', ...SERVICE_FIELDS.map((f) => `service.${f}` as const)])
      .where('service.id', '=', serviceId)
      .executeTakeFirst();
    if (!service) throw new NotFoundError('service');
    const resource: Resource = { organizationId: service.organization_id, councilAreaCodes: await councilAreasOfService(serviceId, executor) };
    return { service, resource };
  }

  async function loadRecord(kind: RecordKind, id: string, executor: Executor = db): Promise<LiveRecord> {
    const record = await kind.load(executor, id);
    if (!record) throw new NotFoundError(kind.noun);
    return record;
  }

  async function latestPublished(kind: RecordKindName, recordId: string, executor: Executor = db) {
    return executor
      .selectFrom('listing_version')
      .selectAll()
      .where('record_kind', '=', kind)
      .where('record_id', '=', recordId)
      .where('status', '=', 'published')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async function nextVersion(kind: RecordKindName, recordId: string, executor: Executor): Promise<number> {
    const row = await executor
      .selectFrom('listing_version')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('record_kind', '=', kind)
      .where('record_id', '=', recordId)
      .executeTakeFirst();
    return Number(row?.max ?? 0) + 1;
  }

  /** The first change to a record also keeps what it was before (version 1), so that it can be restored. */
  async function ensureBaseline(kind: RecordKind, record: LiveRecord, executor: Executor): Promise<void> {
    if (await latestPublished(kind.kind, record.id, executor)) return;
    await executor
      .insertInto('listing_version')
      .values({
        record_kind: kind.kind,
        record_id: record.id,
        organization_id: record.organizationId,
        version: 1,
        base_version: 0,
        status: 'published',
        snapshot: JSON.stringify(record.values),
        diff: '{}',
        note: 'The listing as it was before its first edit here',
        author_id: null,
        author_email: null,
        created_at: clock.now(),
      })
      .execute();
  }

  async function approvedOrganisation(organizationId: string, executor: Executor = db): Promise<boolean> {
    const row = await executor.selectFrom('organization_listing').select('approved_at').where('organization_id', '=', organizationId).executeTakeFirst();
    return Boolean(row?.approved_at);
  }

  /** Where a record not yet created is moderated: as its kind says, from its organisation (and, for a place, its postcode). */
  async function resourceForNew(kind: RecordKind, organizationId: string, derived: Derived, executor: Executor): Promise<Resource> {
    return { organizationId, councilAreaCodes: await kind.areasForNew(executor, organizationId, derived) };
  }

  async function refreshShowing(kind: RecordKind, id: string): Promise<void> {
    const ids = await kind.servicesShowing(db, id);
    if (ids.length > 0) await deps.refreshSearch(ids);
  }

  async function choicesOf(kind: RecordKind, organizationId: string): Promise<Record<string, Choice[]>> {
    const choices: Record<string, Choice[]> = {};
    for (const [field, boxes] of Object.entries(kind.checkboxes ?? {})) choices[field] = await boxes.choices(db, organizationId);
    return choices;
  }

  /** A checkbox field's ids as the names of what was ticked (places), for people reading a history or the desk. */
  async function readable(kind: RecordKind, diff: FieldDiff): Promise<FieldDiff> {
    const fields = Object.keys(kind.checkboxes ?? {}).filter((field) => field in diff);
    if (fields.length === 0) return diff;
    const shown: FieldDiff = { ...diff };
    for (const field of fields) {
      const change = diff[field]!;
      const names = await kind.checkboxes![field]!.names(db, [...idsOf(String(change.from)), ...idsOf(String(change.to))]);
      const show = (value: unknown) => idsOf(String(value)).map((id) => names.get(id) ?? 'a place no longer listed').sort().join(', ') || 'None';
      shown[field] = { from: show(change.from), to: show(change.to) };
    }
    return shown;
  }

  const valuesOf = (kind: RecordKind, source: Record<string, unknown>): FieldValues =>
    Object.fromEntries(kind.fields.map((field) => [field, typeof source[field] === 'string' ? (source[field] as string) : ''])) as FieldValues;
  /** What publishing a pending version writes: its answers, and the fields it carries beside them. */
  const versionValues = (kind: RecordKind, live: FieldValues, snapshot: Record<string, unknown>): FieldValues => ({
    ...live,
    ...valuesOf(kind, { ...live, ...snapshot }),
    ...Object.fromEntries((kind.carried ?? []).flatMap((field) => (typeof snapshot[field] === 'string' ? [[field, snapshot[field] as string]] : []))),
  });

  /** Services whose places (or, for a service with none, its organisation's places) are in the areas: as councilAreasOfService decides. */
  function serviceInAreas(eb: ExpressionBuilder<any, any>, serviceId: Expression<string> | string, codes: string[]): Expression<SqlBool> {
    const ref = typeof serviceId === 'string' ? eb.ref(serviceId) : serviceId;
    return eb.or([
      eb.exists(
        eb.selectFrom('service_at_location as sal').innerJoin('location as sal_location', 'sal_location.id', 'sal.location_id')
          .select(sql`1`.as('one')).where('sal.service_id', '=', ref).where('sal_location.council_area_code', 'in', codes),
      ),
      eb.and([
        eb.not(eb.exists(eb.selectFrom('service_at_location as sal_any').select(sql`1`.as('one')).where('sal_any.service_id', '=', ref))),
        eb.exists(
          eb.selectFrom('service as area_service').innerJoin('location as org_location', 'org_location.organization_id', 'area_service.organization_id')
            .select(sql`1`.as('one')).where('area_service.id', '=', ref).where('org_location.council_area_code', 'in', codes),
        ),
      ]),
    ]);
  }

  return {
    councilAreasOfService,
    approvedOrganisation,
    kinds,
    labels,
    /** The question pages for proposing an organisation (the organisation's fields and where it works). */
    proposedOrganisation: proposal,

    kind(name: RecordKindName): RecordKind {
      return kinds[name];
    },

    validate(kind: RecordKindName, values: FieldValues) {
      return kinds[kind].validate(values);
    },

    /** The checks that need the organisation (a service's places must be its own), for check your answers; saving makes them again. */
    async checkInOrganisation(kindName: RecordKindName, organizationId: string, values: FieldValues, current: FieldValues | undefined) {
      const kind = kinds[kindName];
      return kind.checkInOrganisation ? kind.checkInOrganisation(db, organizationId, values, current) : {};
    },

    /** The organisations the actor edits, with their places and services and when each service is due for review. */
    async yourListings(actor: Actor | null) {
      const organisationIds = organisationsWhere(actor, 'listing.edit');
      const proposed = actor
        ? (await db.selectFrom('listing_version').select('snapshot').where('record_kind', '=', 'organization').where('note', '=', CREATED_NOTE).where('status', '=', 'pending').where('author_id', '=', actor.userId).orderBy('created_at').execute())
          .map((row) => String((row.snapshot as Record<string, unknown>).name ?? ''))
        : [];
      if (organisationIds.length === 0) return { services: [], organisations: [], proposed };
      const organisations = await db.selectFrom('organization').leftJoin('organization_listing', 'organization_listing.organization_id', 'organization.id')
        .select(['organization.id', 'organization.name', 'organization_listing.approved_at'])
        .where('organization.id', 'in', organisationIds).orderBy('organization.name').execute();
      const locations = await db.selectFrom('location').select(['id', 'name', 'organization_id']).where('organization_id', 'in', organisationIds).orderBy('name').limit(500).execute();
      const rows = await db.selectFrom('service').innerJoin('organization', 'organization.id', 'service.organization_id')
        .select(['service.id', 'service.name', 'service.status', 'service.last_reviewed_at', 'service.created_at', 'service.organization_id', 'organization.name as organization_name'])
        .where('service.organization_id', 'in', organisationIds).orderBy('organization.name').orderBy('service.name').limit(500).execute();
      const pending = await db.selectFrom('listing_version').select(['organization_id', 'record_kind', 'snapshot']).where('status', '=', 'pending').where('note', '=', CREATED_NOTE).where('organization_id', 'in', organisationIds).execute();
      const now = today();
      const services = rows.map((row) => ({ ...row, dueOn: this.dueOn(row), overdue: this.dueOn(row) < now }));
      return {
        services,
        proposed,
        organisations: organisations.map((organisation) => ({
          ...organisation,
          locations: locations.filter((location) => location.organization_id === organisation.id),
          services: services.filter((service) => service.organization_id === organisation.id),
          waitingToBeAdded: pending.filter((p) => p.organization_id === organisation.id).map((p) => ({ kind: kinds[p.record_kind].noun, name: String((p.snapshot as Record<string, unknown>).name ?? '') })),
          mayInvite: can(actor, 'organisation.invite', { organizationId: organisation.id }),
        })),
      };
    },

    /** What the edit pages show: the live (published) values and the version they are. */
    async recordForEdit(actor: Actor | null, kindName: RecordKindName, id: string) {
      const kind = kinds[kindName];
      const record = await loadRecord(kind, id);
      if (!mayEdit(actor, record.resource)) throw new ForbiddenError(`You may not edit this ${kind.noun}.`);
      const published = await latestPublished(kind.kind, id);
      const pending = await db.selectFrom('listing_version').select(['version', 'author_email', 'created_at']).where('record_kind', '=', kind.kind).where('record_id', '=', id).where('status', '=', 'pending').orderBy('version').execute();
      const canModerate = can(actor, 'listing.moderate', record.resource);
      const publishesAtOnce = canModerate || (await approvedOrganisation(record.organizationId));
      const extras = kind.kind === 'service' ? { review: await this.reviewState(id), reports: await this.openReports(id) } : { review: null, reports: [] };
      return { kind, record, values: record.values, version: published?.version ?? 0, pending, canModerate, publishesAtOnce, choices: await choicesOf(kind, record.organizationId), ...extras };
    },

    /** What the page for a new record of an organisation needs: whether the actor may, and whether it publishes at once. */
    async newRecordForm(actor: Actor | null, kindName: RecordKindName, organizationId: string) {
      const kind = kinds[kindName];
      if (!kind.create) throw new NotFoundError(kind.noun);
      const organisation = await db.selectFrom('organization').select(['id', 'name']).where('id', '=', organizationId).executeTakeFirst();
      if (!organisation) throw new NotFoundError('organisation', organizationId);
      const resource = { organizationId, councilAreaCodes: await organisationAreas(db, organizationId) };
      if (!mayEdit(actor, resource)) throw new ForbiddenError(`You may not add a ${kind.noun} to this organisation.`);
      const publishesAtOnce = can(actor, 'listing.moderate', resource) || (await approvedOrganisation(organizationId));
      return { kind, organisation, publishesAtOnce, choices: await choicesOf(kind, organizationId), values: Object.fromEntries(kind.fields.map((f) => [f, ''])) as FieldValues };
    },

    /**
     * Saves an edit made from version `baseVersion`. Refused, with what changed, when the record has
     * been published again since. Publishes at once for moderators and approved organisations;
     * otherwise the edit waits for a moderator.
     */
    async saveRecord(actor: Actor | null, kindName: RecordKindName, id: string, baseVersion: number, input: FieldValues): Promise<SaveOutcome> {
      const kind = kinds[kindName];
      const values = valuesOf(kind, input);
      // A field the form did not send at all (a form from before it was asked) keeps its live value.
      const absent = kind.fields.filter((field) => typeof input[field] !== 'string');
      const errors = await kind.validate(values);
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const derived = await kind.derive(values);
      const outcome = await db.transaction().execute(async (trx): Promise<SaveOutcome & { refresh?: boolean }> => {
        const record = await loadRecord(kind, id, trx);
        for (const field of absent) values[field] = record.values[field] ?? '';
        const placed = kind.checkInOrganisation ? await kind.checkInOrganisation(trx, record.organizationId, values, record.values) : {};
        if (Object.keys(placed).length > 0) return { ok: false, errors: placed };
        const moderator = can(actor, 'listing.moderate', record.resource);
        if (!can(actor, 'listing.edit', record.resource) && !moderator) throw new ForbiddenError(`You may not edit this ${kind.noun}.`);
        const current = await latestPublished(kind.kind, id, trx);
        const currentVersion = current?.version ?? 0;
        // A record with no versions yet is version 0; its first edit keeps it as version 1.
        const effectiveBase = baseVersion === 0 && currentVersion === 1 && current?.author_email === null ? 1 : baseVersion;
        if (effectiveBase !== currentVersion) {
          const startedFrom = await trx
            .selectFrom('listing_version')
            .select('snapshot')
            .where('record_kind', '=', kind.kind)
            .where('record_id', '=', id)
            .where('version', '=', Math.max(baseVersion, 1))
            .executeTakeFirst();
          const before = (startedFrom?.snapshot as Record<string, unknown> | undefined) ?? {};
          return { ok: false, conflict: { currentVersion, changedSince: diffValues(before, record.values), by: current?.author_email ?? null, at: current?.created_at ?? clock.now() } };
        }
        await ensureBaseline(kind, record, trx);
        const diff = diffValues(record.values, values);
        const publish = moderator || (await approvedOrganisation(record.organizationId, trx));
        const version = await nextVersion(kind.kind, id, trx);
        await trx
          .insertInto('listing_version')
          .values({
            record_kind: kind.kind,
            record_id: id,
            organization_id: record.organizationId,
            version,
            base_version: Math.max(currentVersion, 1),
            status: publish ? 'published' : 'pending',
            snapshot: JSON.stringify(values),
            diff: JSON.stringify(diff),
            author_id: actor?.userId ?? null,
            author_email: actor?.email ?? null,
            created_at: clock.now(),
            ...(publish ? { decided_at: clock.now(), decided_by_email: actor?.email ?? null } : {}),
          })
          .execute();
        if (publish) await kind.write(trx, id, values, derived, clock.now());
        await audit.record(actor, { action: publish ? 'listing.published' : 'listing.submitted', targetType: kind.kind, targetId: id, organizationId: record.organizationId, summary: `${publish ? 'Published' : 'Submitted'} version ${version} of ${values.name} (${Object.keys(diff).join(', ') || 'no changes'})` }, trx);
        return { ok: true, status: publish ? 'published' : 'pending', version, refresh: publish };
      });
      if (outcome.ok && outcome.refresh) await refreshShowing(kind, id);
      // Outside the transaction: PGlite has one connection.
      if (!outcome.ok && 'conflict' in outcome) outcome.conflict.changedSince = await readable(kind, outcome.conflict.changedSince);
      if (outcome.ok) return { ok: true, status: outcome.status, version: outcome.version };
      return outcome;
    },

    /** A new service or place of an organisation: the same rule as an edit (at once when approved, otherwise a moderator first). */
    async createRecord(actor: Actor | null, kindName: RecordKindName, organizationId: string, input: FieldValues): Promise<CreateOutcome> {
      const kind = kinds[kindName];
      if (!kind.create) throw new NotFoundError(kind.noun);
      const values = valuesOf(kind, input);
      const errors = await kind.validate(values);
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const derived = await kind.derive(values);
      const id = randomUUID();
      const outcome = await db.transaction().execute(async (trx) => {
        const organisation = await trx.selectFrom('organization').select(['id', 'name']).where('id', '=', organizationId).executeTakeFirst();
        if (!organisation) throw new NotFoundError('organisation', organizationId);
        const resource = await resourceForNew(kind, organizationId, derived, trx);
        const moderator = can(actor, 'listing.moderate', resource);
        if (!can(actor, 'listing.edit', resource) && !moderator) throw new ForbiddenError(`You may not add a ${kind.noun} to this organisation.`);
        const placed = kind.checkInOrganisation ? await kind.checkInOrganisation(trx, organizationId, values, undefined) : {};
        if (Object.keys(placed).length > 0) return { ok: false as const, errors: placed };
        const publish = moderator || (await approvedOrganisation(organizationId, trx));
        await trx
          .insertInto('listing_version')
          .values({
            record_kind: kind.kind, record_id: id, organization_id: organizationId, version: 1, base_version: 0,
            status: publish ? 'published' : 'pending', snapshot: JSON.stringify(values), diff: JSON.stringify(diffValues({}, values)), note: CREATED_NOTE,
            council_area_code: derived.point?.councilAreaCode ?? null,
            author_id: actor?.userId ?? null, author_email: actor?.email ?? null, created_at: clock.now(),
            ...(publish ? { decided_at: clock.now(), decided_by_email: actor?.email ?? null } : {}),
          })
          .execute();
        if (publish) await kind.create!(trx, id, organizationId, values, derived, clock.now());
        await audit.record(actor, { action: publish ? 'listing.published' : 'listing.submitted', targetType: kind.kind, targetId: id, organizationId, summary: `${publish ? 'Added' : 'Proposed'} the ${kind.noun} ${values.name} to ${organisation.name}` }, trx);
        return { ok: true as const, status: (publish ? 'published' : 'pending') as ListingVersionStatus, id };
      });
      if (outcome.ok && outcome.status === 'published') await refreshShowing(kind, id);
      return outcome;
    },

    /** The question pages for an organisation that is not in the directory yet. */
    newOrganisationForm(actor: Actor | null) {
      if (!can(actor, 'organisation.propose')) throw new ForbiddenError('Sign in to propose an organisation.');
      return { kind: proposal, organisation: { id: '', name: 'An organisation not yet listed' }, publishesAtOnce: false, values: Object.fromEntries(proposal.fields.map((f) => [f, ''])) as FieldValues };
    },

    validateProposedOrganisation(values: FieldValues) {
      return proposal.validate(values);
    },

    /**
     * A signed-in person proposes an organisation. It is new, so it always waits for a moderator of
     * the council area it gives: its row is made unlisted (its version needs something to point at)
     * and nothing of it is public until a moderator publishes it (see `decide`).
     */
    async proposeOrganisation(actor: Actor | null, input: FieldValues): Promise<CreateOutcome> {
      if (!actor || !can(actor, 'organisation.propose')) throw new ForbiddenError('Sign in to propose an organisation.');
      const answers = Object.fromEntries(proposal.fields.map((f) => [f, typeof input[f] === 'string' ? input[f]! : ''])) as FieldValues;
      const errors = await proposal.validate(answers);
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const councilAreaCode = await proposal.councilArea(answers.area!);
      const values = valuesOf(kinds.organization, answers);
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        await trx.insertInto('organization').values({ id, name: values.name!, description: values.description ?? '', email: values.email || null, website: values.website || null, listed: false, created_at: now, updated_at: now }).execute();
        await trx
          .insertInto('listing_version')
          .values({
            record_kind: 'organization', record_id: id, organization_id: id, version: 1, base_version: 0,
            status: 'pending', snapshot: JSON.stringify(values), diff: JSON.stringify(diffValues({}, values)), note: CREATED_NOTE,
            council_area_code: councilAreaCode, author_id: actor.userId, author_email: actor.email, created_at: now,
          })
          .execute();
        await audit.record(actor, { action: 'listing.submitted', targetType: 'organization', targetId: id, organizationId: id, summary: `Proposed the organisation ${values.name}` }, trx);
      });
      return { ok: true, status: 'pending', id };
    },

    async history(actor: Actor | null, kindName: RecordKindName, id: string) {
      const kind = kinds[kindName];
      const record = await loadRecord(kind, id);
      if (!mayEdit(actor, record.resource)) throw new ForbiddenError(`You may not see this ${kind.noun}’s history.`);
      const versions = await Promise.all(
        (await db.selectFrom('listing_version').selectAll().where('record_kind', '=', kind.kind).where('record_id', '=', id).orderBy('version', 'desc').execute())
          .map(async (version) => ({ ...version, diff: await readable(kind, version.diff as FieldDiff) })),
      );
      const current = versions.find((v) => v.status === 'published')?.version ?? 0;
      return { kind, record, versions, current };
    },

    /** Restores an earlier version's values as a new published version. */
    async restore(actor: Actor | null, kindName: RecordKindName, id: string, version: number): Promise<number> {
      const kind = kinds[kindName];
      const old = await db.selectFrom('listing_version').selectAll().where('record_kind', '=', kind.kind).where('record_id', '=', id).where('version', '=', version).executeTakeFirst();
      if (!old || old.status === 'pending') throw new NotFoundError('version');
      const restoring = old.snapshot as FieldValues;
      const derived = await kind.derive(restoring);
      const result = await db.transaction().execute(async (trx) => {
        const record = await loadRecord(kind, id, trx);
        if (!can(actor, 'listing.moderate', record.resource) && !(can(actor, 'listing.edit', record.resource) && (await approvedOrganisation(record.organizationId, trx)))) {
          throw new ForbiddenError(`You may not restore versions of this ${kind.noun}.`);
        }
        // A restore brings back the answers only: a status an import once carried stays as it is now.
        const values = { ...record.values, ...valuesOf(kind, { ...record.values, ...restoring }) };
        const current = await latestPublished(kind.kind, id, trx);
        const next = await nextVersion(kind.kind, id, trx);
        await trx
          .insertInto('listing_version')
          .values({
            record_kind: kind.kind, record_id: id, organization_id: record.organizationId, version: next, base_version: current?.version ?? 0,
            status: 'published', snapshot: JSON.stringify(values), diff: JSON.stringify(diffValues(record.values, values)), note: `Restored version ${version}`,
            author_id: actor?.userId ?? null, author_email: actor?.email ?? null, created_at: clock.now(), decided_at: clock.now(), decided_by_email: actor?.email ?? null,
          })
          .execute();
        await kind.write(trx, id, values, derived, clock.now());
        await audit.record(actor, { action: 'listing.restored', targetType: kind.kind, targetId: id, organizationId: record.organizationId, summary: `Restored version ${version} of ${values.name} as version ${next}` }, trx);
        return next;
      });
      await refreshShowing(kind, id);
      return result;
    },

    /** A moderator publishes or rejects a pending edit (or a new record); one made from an older version is refused as a conflict. */
    async decide(actor: Actor | null, versionId: string, decision: 'approve' | 'reject', reason: string): Promise<{ ok: boolean; message: string; recordId: string; kind: RecordKindName }> {
      const waiting = await db.selectFrom('listing_version').select(['record_kind', 'snapshot']).where('id', '=', versionId).where('status', '=', 'pending').executeTakeFirst();
      if (!waiting) throw new NotFoundError('pending edit');
      const kind = kinds[waiting.record_kind];
      const derived = await kind.derive(waiting.snapshot as FieldValues);
      const result = await db.transaction().execute(async (trx) => {
        const pending = await trx.selectFrom('listing_version').selectAll().where('id', '=', versionId).executeTakeFirst();
        if (!pending || pending.status !== 'pending') throw new NotFoundError('pending edit');
        const loaded = await kind.load(trx, pending.record_id);
        // A proposed organisation has an unlisted row from the start (its versions point at it): it is still being created.
        const creating = pending.note === CREATED_NOTE && (!loaded || kind.kind === 'organization');
        const record = creating ? undefined : loaded;
        if (!record && !creating) throw new NotFoundError(kind.noun);
        const snapshot = pending.snapshot as FieldValues;
        const resource = record ? record.resource : await resourceForNew(kind, pending.organization_id, derived, trx);
        if (!record && pending.council_area_code) resource.councilAreaCodes = [...new Set([pending.council_area_code, ...(resource.councilAreaCodes ?? [])])];
        if (!can(actor, 'listing.moderate', resource)) throw new ForbiddenError('You may not moderate this listing.');
        const current = await latestPublished(kind.kind, pending.record_id, trx);
        const stale = (current?.version ?? 0) !== pending.base_version;
        const reject = decision === 'reject' || stale;
        const why = stale ? 'The listing changed after this edit was made; it was not published.' : reason;
        const name = record?.name ?? snapshot.name ?? '';
        if (reject) {
          await trx.updateTable('listing_version').set({ status: 'rejected', decided_at: clock.now(), decided_by_email: actor?.email ?? null, reason: why || null }).where('id', '=', versionId).execute();
        } else {
          // Published edits move to the top of the history: the version number stays, the order of publication is by number.
          await trx.updateTable('listing_version').set({ status: 'published', decided_at: clock.now(), decided_by_email: actor?.email ?? null, reason: reason || null }).where('id', '=', versionId).execute();
          if (record) await kind.write(trx, pending.record_id, versionValues(kind, record.values, snapshot), derived, clock.now());
          else await kind.create!(trx, pending.record_id, pending.organization_id, valuesOf(kind, snapshot), derived, clock.now());
          // The person who proposed an organisation looks after it, as if their claim to it were approved.
          if (creating && kind.kind === 'organization' && pending.author_id) await adoptOrganisation(trx, actor, pending.author_id, pending.record_id);
        }
        if (pending.author_email) {
          const where = !reject || record ? `See the ${kind.noun}'s history: ${link(`/manage/${kind.path}/${pending.record_id}/history`)}` : `Your listings: ${link('/manage/listings')}`;
          const proposed = creating && kind.kind === 'organization';
          await mailer.queue({
            to: pending.author_email,
            subject: proposed
              ? (reject ? `The organisation you proposed (${name}) was not added` : `The organisation you proposed (${name}) is added`)
              : (reject ? 'Your change to a listing was not published' : 'Your change to a listing is published'),
            text: `${reject ? 'Your change was not published.' : 'Your change is now published.'}${why && reject ? `\n\nReason: ${why}` : ''}\n\n${where}\n`,
          }, trx);
        }
        await audit.record(actor, { action: reject ? 'listing.rejected' : 'listing.approved', targetType: kind.kind, targetId: pending.record_id, organizationId: pending.organization_id, summary: `${reject ? 'Rejected' : 'Published'} version ${pending.version} of ${name}${why ? `: ${why}` : ''}` }, trx);
        return { ok: !reject, message: reject ? (stale ? why : 'The edit was rejected.') : 'The edit is published.', recordId: pending.record_id, refresh: !reject };
      });
      if (result.refresh) await refreshShowing(kind, result.recordId);
      return { ok: result.ok, message: result.message, recordId: result.recordId, kind: kind.kind };
    },

    /** An organisation's own edits publish at once from now on. */
    async approveOrganisation(actor: Actor | null, organizationId: string, executor: Executor = db): Promise<void> {
      await markApproved(executor, actor, organizationId);
    },

    // ---- Review cycle ----

    dueOn(service: { last_reviewed_at: string | null; created_at: Date }): string {
      return addMonths(service.last_reviewed_at ?? service.created_at.toISOString().slice(0, 10), settings.reviewIntervalMonths);
    },

    async reviewState(serviceId: string) {
      const service = await db.selectFrom('service').select(['last_reviewed_at', 'created_at', 'status']).where('id', '=', serviceId).executeTakeFirst();
      if (!service) return null;
      const dueOn = this.dueOn(service);
      const row = await db.selectFrom('listing_review').selectAll().where('service_id', '=', serviceId).executeTakeFirst();
      return { dueOn, overdue: dueOn < today(), inactive: Boolean(row?.inactivated_at), lastReviewedAt: service.last_reviewed_at, inactivateOn: addDays(dueOn, settings.reviewGraceDays) };
    },

    /** "Still correct": marks the service reviewed today; an inactive service is revived. */
    async confirmStillCorrect(actor: Actor | null, serviceId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const { service, resource } = await loadService(serviceId, trx);
        if (!can(actor, 'listing.edit', resource) && !can(actor, 'listing.moderate', resource)) throw new ForbiddenError('You may not review this service.');
        const review = await trx.selectFrom('listing_review').selectAll().where('service_id', '=', serviceId).executeTakeFirst();
        const revive = Boolean(review?.inactivated_at) && service.status === 'inactive';
        await trx.updateTable('service').set({ last_reviewed_at: today(), updated_at: clock.now(), ...(revive ? { status: 'active' as const } : {}) }).where('id', '=', serviceId).execute();
        await trx.deleteFrom('listing_review').where('service_id', '=', serviceId).execute();
        await audit.record(actor, { action: revive ? 'listing.revived' : 'listing.reviewed', targetType: 'service', targetId: serviceId, organizationId: service.organization_id, summary: `${revive ? 'Revived' : 'Confirmed'} ${service.name} as still correct` }, trx);
      });
      await deps.refreshSearch([serviceId]);
    },

    /**
     * The daily review cycle: reminders to the organisation at the due date, two and four weeks
     * later; moderators told after six weeks; inactive (hidden) after the grace period. Each step is
     * done once, whenever the cycle runs, so a missed day catches up.
     */
    async runReviewCycle(): Promise<{ reminded: number; moderatorsTold: number; inactivated: number }> {
      const now = today();
      const oldestReviewed = addMonths(now, -settings.reviewIntervalMonths);
      const dueServices = await db
        .selectFrom('service')
        .innerJoin('organization', 'organization.id', 'service.organization_id')
        .select(['service.id', 'service.name', 'service.organization_id', 'service.last_reviewed_at', 'service.created_at', 'organization.email as organization_email'])
        .where('service.status', 'in', ['active', 'temporarily closed'])
        .where((eb) => eb.or([eb('service.last_reviewed_at', '<=', oldestReviewed), eb.and([eb('service.last_reviewed_at', 'is', null), eb('service.created_at', '<=', new Date(`${oldestReviewed}T23:59:59Z`))])]))
        .execute();
      const counts = { reminded: 0, moderatorsTold: 0, inactivated: 0 };
      const refresh: string[] = [];
      for (const service of dueServices) {
        const dueOn = this.dueOn(service);
        if (dueOn > now) continue;
        const daysOver = Math.floor((Date.parse(`${now}T00:00:00Z`) - Date.parse(`${dueOn}T00:00:00Z`)) / DAY);
        // Short transactions, one service at a time: PGlite has one connection.
        await db.transaction().execute(async (trx) => {
          let state = await trx.selectFrom('listing_review').selectAll().where('service_id', '=', service.id).executeTakeFirst();
          if (!state || state.due_on !== dueOn) {
            await trx.deleteFrom('listing_review').where('service_id', '=', service.id).execute();
            await trx.insertInto('listing_review').values({ service_id: service.id, due_on: dueOn }).execute();
            state = { service_id: service.id, due_on: dueOn, reminders_sent: 0, moderators_told_at: null, inactivated_at: null };
          }
          if (daysOver >= settings.reviewGraceDays && !state.inactivated_at) {
            await trx.updateTable('service').set({ status: 'inactive', updated_at: clock.now() }).where('id', '=', service.id).execute();
            await trx.updateTable('listing_review').set({ inactivated_at: clock.now() }).where('service_id', '=', service.id).execute();
            await audit.record(null, { action: 'listing.inactivated', targetType: 'service', targetId: service.id, organizationId: service.organization_id, summary: `${service.name} was not reviewed within ${settings.reviewGraceDays} days of falling due and is now hidden` }, trx);
            refresh.push(service.id);
            counts.inactivated++;
            return;
          }
          const remindersDue = REMINDER_OFFSETS_DAYS.filter((offset) => daysOver >= offset).length;
          if (remindersDue > state.reminders_sent) {
            for (const to of await organisationAddresses(trx, service.organization_id, service.organization_email)) {
              await mailer.queue({ to, subject: 'Please check a listing is still correct', text: `A listing of your organisation is due for review. Check it and say it is still correct, or change it:\n\n${link(`/manage/services/${service.id}/edit`)}\n\nListings not checked within ${settings.reviewGraceDays} days of falling due are hidden from search until they are.\n` }, trx);
            }
            await trx.updateTable('listing_review').set({ reminders_sent: remindersDue }).where('service_id', '=', service.id).execute();
            counts.reminded++;
          }
          if (daysOver >= MODERATORS_TOLD_AFTER_DAYS && !state.moderators_told_at) {
            const areas = await councilAreasOfService(service.id, trx);
            const moderators = areas.length === 0 ? [] : await trx
              .selectFrom('role_grant').innerJoin('user_account', 'user_account.id', 'role_grant.user_id')
              .select('user_account.email').distinct()
              .where('role_grant.role', '=', 'moderator').where('role_grant.revoked_at', 'is', null).where('user_account.disabled_at', 'is', null)
              .where('role_grant.council_area_code', 'in', areas).execute();
            for (const moderator of moderators) {
              await mailer.queue({ to: moderator.email, subject: 'A listing in your area is overdue for review', text: `A listing has not been checked since it fell due and its organisation has been reminded three times:\n\n${link(`/moderate`)}\n` }, trx);
            }
            await trx.updateTable('listing_review').set({ moderators_told_at: clock.now() }).where('service_id', '=', service.id).execute();
            counts.moderatorsTold++;
          }
        });
      }
      if (refresh.length > 0) await deps.refreshSearch(refresh);
      await this.escalateReports();
      return counts;
    },

    /** Queues the daily review job unless one is already waiting (called at start when jobs run). */
    async ensureReviewCycleQueued(): Promise<void> {
      const waiting = await db.selectFrom('job').select('id').where('queue', '=', REVIEW_JOB).where('status', 'in', ['pending', 'running']).executeTakeFirst();
      if (!waiting) await deps.jobs.enqueue(REVIEW_JOB, {}, { maxAttempts: 3 });
    },

    // ---- Claims ----

    async organisationForClaim(organizationId: string) {
      const organisation = await db.selectFrom('organization').select(['id', 'name', 'website', 'email']).where('id', '=', organizationId).where('listed', '=', true).executeTakeFirst();
      if (!organisation) throw new NotFoundError('organisation', organizationId);
      return organisation;
    },

    /** A signed-in member of staff claims an organisation; a moderator decides. */
    async claim(actor: Actor | null, organizationId: string, statedRole: string): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
      if (!actor) throw new ForbiddenError();
      const role = statedRole.trim();
      if (!role) return { ok: false, errors: { statedRole: 'Enter your role in the organisation' } };
      if (role.length > 200) return { ok: false, errors: { statedRole: 'Your role must be 200 characters or fewer' } };
      const organisation = await this.organisationForClaim(organizationId);
      const open = await db.selectFrom('organization_claim').select('id').where('organization_id', '=', organizationId).where('user_id', '=', actor.userId).where('status', 'in', ['pending', 'approved']).executeTakeFirst();
      if (open) return { ok: false, errors: { statedRole: 'You have already claimed this organisation' } };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('organization_claim').values({ organization_id: organizationId, user_id: actor.userId, stated_role: role, created_at: clock.now(), grant_id: null, decided_at: null, decided_by_email: null, reason: null }).execute();
        await audit.record(actor, { action: 'listing.claimed', targetType: 'organization', targetId: organizationId, organizationId, summary: `${actor.email} claimed ${organisation.name} as ${role}` }, trx);
      });
      return { ok: true };
    },

    /** Approve (the claimant becomes an admin and the organisation's edits publish at once), deny, or later revoke. */
    async decideClaim(actor: Actor | null, claimId: string, decision: 'approve' | 'deny' | 'revoke', reason: string): Promise<string> {
      return db.transaction().execute(async (trx) => {
        const claim = await trx.selectFrom('organization_claim').innerJoin('user_account', 'user_account.id', 'organization_claim.user_id').innerJoin('organization', 'organization.id', 'organization_claim.organization_id')
          .select(['organization_claim.id', 'organization_claim.organization_id', 'organization_claim.user_id', 'organization_claim.status', 'organization_claim.grant_id', 'user_account.email', 'organization.name'])
          .where('organization_claim.id', '=', claimId).executeTakeFirst();
        if (!claim) throw new NotFoundError('claim', claimId);
        const areas = await organisationAreas(trx, claim.organization_id);
        if (!can(actor, 'listing.moderate', { organizationId: claim.organization_id, councilAreaCodes: areas })) throw new ForbiddenError('You may not decide claims for this organisation.');
        const allowed = decision === 'revoke' ? claim.status === 'approved' : claim.status === 'pending';
        if (!allowed) throw new NotFoundError('claim', claimId);
        let grantId = claim.grant_id;
        if (decision === 'approve') {
          const grant = await trx.insertInto('role_grant').values({ user_id: claim.user_id, role: 'organisation_admin', organization_id: claim.organization_id, team_id: null, council_area_code: null, granted_by: actor?.userId ?? null, granted_because: 'admin' }).returning('id').executeTakeFirstOrThrow();
          grantId = grant.id;
          await this.approveOrganisation(actor, claim.organization_id, trx);
        }
        if (decision === 'revoke' && claim.grant_id) {
          await trx.updateTable('role_grant').set({ revoked_at: clock.now(), revoked_by: actor?.userId ?? null }).where('id', '=', claim.grant_id).execute();
        }
        const status = decision === 'approve' ? 'approved' : decision === 'deny' ? 'denied' : 'revoked';
        await trx.updateTable('organization_claim').set({ status, grant_id: grantId, decided_at: clock.now(), decided_by_email: actor?.email ?? null, reason: reason || null }).where('id', '=', claimId).execute();
        const subject = { approve: 'Your claim to an organisation is approved', deny: 'Your claim to an organisation was not approved', revoke: 'Your access to an organisation has been withdrawn' }[decision];
        await mailer.queue({ to: claim.email, subject, text: `${subject} (${claim.name}).${reason ? `\n\nReason: ${reason}` : ''}\n\n${link(decision === 'approve' ? `/manage/organisations/${claim.organization_id}` : '/account')}\n` }, trx);
        await audit.record(actor, { action: `listing.claim_${status}`, targetType: 'organization', targetId: claim.organization_id, organizationId: claim.organization_id, summary: `Claim by ${claim.email} to ${claim.name} ${status}${reason ? `: ${reason}` : ''}` }, trx);
        return claim.organization_id;
      });
    },

    // ---- Problem reports from the public ----

    /** A report from the public page. A filled honeypot is held back (kept, never sent on). */
    async reportProblem(serviceId: string, report: { kind: ProblemKind; details: string; replyEmail: string; honeypot: string }): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
      const errors: Record<string, string> = {};
      const replyEmail = report.replyEmail.trim().toLowerCase();
      if (replyEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(replyEmail)) errors.replyEmail = 'Enter an email address in the correct format, like name@example.org, or leave it empty';
      if (report.details.length > 2000) errors.details = 'Tell us in 2,000 characters or fewer';
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const held = report.honeypot.trim() !== '';
      await db.transaction().execute(async (trx) => {
        const service = await trx.selectFrom('service').innerJoin('organization', 'organization.id', 'service.organization_id').select(['service.id', 'service.organization_id', 'organization.email']).where('service.id', '=', serviceId).executeTakeFirst();
        if (!service) throw new NotFoundError('service', serviceId);
        await trx.insertInto('problem_report').values({ service_id: serviceId, kind: report.kind, details: report.details.trim(), reply_email: replyEmail || null, status: held ? 'held' : 'open', created_at: clock.now(), escalated_at: null, answered_at: null, answered_by_email: null, answer: null }).execute();
        if (held) return;
        for (const to of await organisationAddresses(trx, service.organization_id, service.email)) {
          await mailer.queue({ to, subject: 'Someone reported a problem with a listing', text: `A member of the public reported a problem with one of your organisation's listings. See it and answer within ${settings.reportAnswerDays} days:\n\n${link(`/manage/services/${serviceId}/edit#reports`)}\n` }, trx);
        }
      });
      return { ok: true };
    },

    async serviceForReport(serviceId: string) {
      const service = await db.selectFrom('service').innerJoin('organization', 'organization.id', 'service.organization_id').select(['service.id', 'service.name', 'organization.name as organization_name']).where('service.id', '=', serviceId).where('organization.listed', '=', true).where('service.status', 'in', ['active', 'temporarily closed']).executeTakeFirst();
      if (!service) throw new NotFoundError('service', serviceId);
      return service;
    },

    async openReports(serviceId: string) {
      return db.selectFrom('problem_report').select(['id', 'kind', 'details', 'reply_email', 'created_at', 'escalated_at']).where('service_id', '=', serviceId).where('status', '=', 'open').orderBy('created_at').execute();
    },

    /** The organisation (or a moderator) answers a report; the reporter gets the answer if they gave an address. */
    async answerReport(actor: Actor | null, reportId: string, answer: string): Promise<string> {
      return db.transaction().execute(async (trx) => {
        const report = await trx.selectFrom('problem_report').selectAll().where('id', '=', reportId).executeTakeFirst();
        if (!report || report.status !== 'open') throw new NotFoundError('problem report');
        const { service, resource } = await loadService(report.service_id, trx);
        if (!can(actor, 'listing.edit', resource) && !can(actor, 'listing.moderate', resource)) throw new ForbiddenError('You may not answer this report.');
        await trx.updateTable('problem_report').set({ status: 'answered', answered_at: clock.now(), answered_by_email: actor?.email ?? null, answer: answer || null }).where('id', '=', reportId).execute();
        if (report.reply_email) {
          await mailer.queue({ to: report.reply_email, subject: 'About the problem you reported', text: `Thank you for telling us about a problem with the listing "${service.name}".\n\n${answer || 'The organisation has looked at it.'}\n\n${link(`/services/${service.id}`)}\n` }, trx);
        }
        await audit.record(actor, { action: 'listing.report_answered', targetType: 'service', targetId: service.id, organizationId: service.organization_id, summary: `Answered a problem report about ${service.name}` }, trx);
        return service.id;
      });
    },

    /** Reports the organisation has not answered in time go to the moderators of the service's areas. */
    async escalateReports(): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - settings.reportAnswerDays * DAY);
      const due = await db.selectFrom('problem_report').select(['id', 'service_id']).where('status', '=', 'open').where('escalated_at', 'is', null).where('created_at', '<=', cutoff).execute();
      for (const report of due) {
        await db.transaction().execute(async (trx) => {
          for (const to of await moderatorAddresses(trx, await councilAreasOfService(report.service_id, trx))) {
            await mailer.queue({ to, subject: 'A problem report was not answered', text: `A problem reported with a listing in your area has not been answered by its organisation in ${settings.reportAnswerDays} days:\n\n${link('/moderate#reports')}\n` }, trx);
          }
          await trx.updateTable('problem_report').set({ escalated_at: clock.now() }).where('id', '=', report.id).execute();
        });
      }
      return due.length;
    },

    // ---- Searches that found nothing ----

    async recordSearchMiss(words: string, area: string | null, councilAreaCode: string | null): Promise<void> {
      const normalised = words.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, 200);
      if (!normalised) return;
      await db
        .insertInto('search_miss')
        .values({ words: normalised, area: area?.slice(0, 200) ?? '', council_area_code: councilAreaCode, last_seen_at: clock.now() })
        .onConflict((oc) => oc.columns(['words', 'area']).doUpdateSet({ times: sql`search_miss.times + 1`, last_seen_at: clock.now() }))
        .execute();
    },

    // ---- Moderator desk ----

    async desk(actor: Actor | null) {
      const everywhere = can(actor, 'listing.moderate', { councilAreaCodes: ['*'] }) || (actor?.grants.some((g) => g.role === 'system_admin') ?? false);
      const areas = (actor?.grants ?? []).filter((g) => g.role === 'moderator' && g.councilAreaCode).map((g) => g.councilAreaCode!);
      const codes = areas.length ? areas : ['-'];
      const servicesInAreas = (eb: ExpressionBuilder<any, any>) => serviceInAreas(eb, 'service.id', codes);
      const organisationInAreas = (eb: ExpressionBuilder<any, any>) =>
        eb.exists(eb.selectFrom('location as org_location').select(sql`1`.as('one')).whereRef('org_location.organization_id', '=', 'listing_version.organization_id').where('org_location.council_area_code', 'in', codes));
      // Each kind where its moderators are (see records.ts): a service by its places, a place by its own
      // area (or its organisation's, without one), an organisation and a record not yet created by its organisation's places.
      const editsInAreas = (eb: ExpressionBuilder<any, any>) =>
        eb.or([
          eb.and([eb('listing_version.record_kind', '=', 'service'), eb('service.id', 'is not', null), serviceInAreas(eb, 'listing_version.record_id', codes)]),
          eb.and([eb('listing_version.record_kind', '=', 'location'), eb('location.council_area_code', 'in', codes)]),
          eb.and([
            eb.or([eb('listing_version.record_kind', '=', 'organization'), eb.and([eb('service.id', 'is', null), eb('location.id', 'is', null)]), eb.and([eb('listing_version.record_kind', '=', 'location'), eb('location.council_area_code', 'is', null)])]),
            organisationInAreas(eb),
          ]),
          eb('listing_version.council_area_code', 'in', codes),
        ]);
      let pendingQuery = db
        .selectFrom('listing_version')
        .leftJoin('service', (join) => join.onRef('service.id', '=', 'listing_version.record_id').on('listing_version.record_kind', '=', 'service'))
        .leftJoin('location', (join) => join.onRef('location.id', '=', 'listing_version.record_id').on('listing_version.record_kind', '=', 'location'))
        .innerJoin('organization', 'organization.id', 'listing_version.organization_id')
        .select([
          'listing_version.id', 'listing_version.version', 'listing_version.diff', 'listing_version.author_email', 'listing_version.created_at', 'listing_version.record_kind', 'listing_version.record_id',
          sql<string>`coalesce(service.name, location.name, case when listing_version.record_kind = 'organization' then organization.name end, listing_version.snapshot->>'name', '')`.as('record_name'),
          sql<boolean>`(service.id is not null or location.id is not null or (listing_version.record_kind = 'organization' and listing_version.note is distinct from ${CREATED_NOTE}))`.as('live'),
          'organization.name as organization_name',
        ])
        .where('listing_version.status', '=', 'pending')
        .orderBy('listing_version.created_at')
        .limit(100);
      const oldestReviewed = addMonths(today(), -settings.reviewIntervalMonths);
      let overdueQuery = db
        .selectFrom('service')
        .innerJoin('organization', 'organization.id', 'service.organization_id')
        .leftJoin('listing_review', 'listing_review.service_id', 'service.id')
        .select(['service.id', 'service.name', 'service.status', 'service.last_reviewed_at', 'organization.name as organization_name', 'listing_review.reminders_sent', 'listing_review.inactivated_at'])
        .where((eb) => eb.or([eb('service.last_reviewed_at', '<', oldestReviewed), eb('service.last_reviewed_at', 'is', null), eb('listing_review.inactivated_at', 'is not', null)]))
        .orderBy('service.last_reviewed_at')
        .limit(100);
      let reportQuery = db
        .selectFrom('problem_report')
        .innerJoin('service', 'service.id', 'problem_report.service_id')
        .innerJoin('organization', 'organization.id', 'service.organization_id')
        .select(['problem_report.id', 'problem_report.kind', 'problem_report.details', 'problem_report.created_at', 'problem_report.escalated_at', 'service.id as service_id', 'service.name as service_name', 'organization.name as organization_name'])
        .where('problem_report.status', '=', 'open')
        .orderBy('problem_report.created_at')
        .limit(100);
      let claimQuery = db
        .selectFrom('organization_claim')
        .innerJoin('organization', 'organization.id', 'organization_claim.organization_id')
        .innerJoin('user_account', 'user_account.id', 'organization_claim.user_id')
        .select(['organization_claim.id', 'organization_claim.status', 'organization_claim.stated_role', 'organization_claim.created_at', 'organization.id as organization_id', 'organization.name as organization_name', 'organization.website', 'organization.email as organization_email', 'user_account.email as claimant_email', 'user_account.email_verified_at'])
        .where('organization_claim.status', 'in', ['pending', 'approved'])
        .orderBy('organization_claim.status', 'desc')
        .orderBy('organization_claim.created_at')
        .limit(100);
      let missQuery = db.selectFrom('search_miss').selectAll().orderBy('times', 'desc').orderBy('last_seen_at', 'desc').limit(100);
      if (!everywhere) {
        pendingQuery = pendingQuery.where(editsInAreas);
        overdueQuery = overdueQuery.where(servicesInAreas);
        reportQuery = reportQuery.where(servicesInAreas);
        claimQuery = claimQuery.where((eb) => eb.exists(eb.selectFrom('location').select(sql`1`.as('one')).whereRef('location.organization_id', '=', 'organization.id').where('location.council_area_code', 'in', codes)));
        missQuery = missQuery.where('council_area_code', 'in', areas.length ? areas : ['-']);
      }
      const pending = await Promise.all((await pendingQuery.execute()).map(async (edit) => ({ ...edit, diff: await readable(kinds[edit.record_kind], edit.diff as FieldDiff), kind: kinds[edit.record_kind] })));
      const overdue = await overdueQuery.execute();
      const reports = await reportQuery.execute();
      const misses = await missQuery.execute();
      const claims = (await claimQuery.execute()).map((claim) => ({ ...claim, evidence: claimEvidence(claim.claimant_email, claim.website, claim.organization_email, claim.email_verified_at !== null) }));
      return { pending, overdue, reports, claims, misses, areas, everywhere };
    },
  };

  /** What approving a claim does (see decideClaim): the person becomes the organisation's admin, and its own edits publish at once. */
  async function adoptOrganisation(executor: Executor, actor: Actor | null, userId: string, organizationId: string): Promise<void> {
    await executor.insertInto('role_grant').values({ user_id: userId, role: 'organisation_admin', organization_id: organizationId, team_id: null, council_area_code: null, granted_by: actor?.userId ?? null, granted_because: 'admin' }).execute();
    await markApproved(executor, actor, organizationId);
    await audit.record(actor, { action: 'listing.proposal_adopted', targetType: 'organization', targetId: organizationId, organizationId, summary: 'The person who proposed the organisation became its admin; the organisation is approved' }, executor);
  }

  async function markApproved(executor: Executor, actor: Actor | null, organizationId: string): Promise<void> {
    await executor
      .insertInto('organization_listing')
      .values({ organization_id: organizationId, approved_at: clock.now(), approved_by_email: actor?.email ?? null })
      .onConflict((oc) => oc.column('organization_id').doUpdateSet({ approved_at: clock.now(), approved_by_email: actor?.email ?? null }))
      .execute();
  }

  async function moderatorAddresses(executor: Executor, areas: string[]): Promise<string[]> {
    if (areas.length === 0) return [];
    const rows = await executor
      .selectFrom('role_grant').innerJoin('user_account', 'user_account.id', 'role_grant.user_id')
      .select('user_account.email').distinct()
      .where('role_grant.role', '=', 'moderator').where('role_grant.revoked_at', 'is', null).where('user_account.disabled_at', 'is', null)
      .where('role_grant.council_area_code', 'in', areas).execute();
    return rows.map((row) => row.email);
  }

  async function organisationAddresses(executor: Executor, organizationId: string, fallback: string | null): Promise<string[]> {
    const rows = await executor
      .selectFrom('role_grant').innerJoin('user_account', 'user_account.id', 'role_grant.user_id')
      .select('user_account.email').distinct()
      .where('role_grant.organization_id', '=', organizationId).where('role_grant.revoked_at', 'is', null).where('user_account.disabled_at', 'is', null)
      .where('role_grant.role', 'in', ['organisation_admin', 'organisation_member'])
      .execute();
    if (rows.length > 0) return rows.map((row) => row.email);
    return fallback ? [fallback] : [];
  }
}

export type ListingsService = ReturnType<typeof createListingsService>;

/** What a moderator weighs: does the claimant's confirmed address share a domain with the organisation's website or email? */
export function claimEvidence(claimantEmail: string, website: string | null, organisationEmail: string | null, verified: boolean) {
  const domain = claimantEmail.split('@')[1]?.toLowerCase() ?? '';
  const websiteHost = (() => { try { return website ? new URL(website).hostname.toLowerCase().replace(/^www\./, '') : ''; } catch { return ''; } })();
  const emailDomain = organisationEmail?.split('@')[1]?.toLowerCase() ?? '';
  const matches = (other: string) => other !== '' && (domain === other || domain.endsWith(`.${other}`) || other.endsWith(`.${domain}`));
  return { domain, verified, websiteHost, emailDomain, matchesWebsite: matches(websiteHost), matchesEmail: matches(emailDomain) };
}

/** Registers the daily review job and makes sure one is queued. */
export async function scheduleReviewCycle(listings: ListingsService, jobs: JobQueue, clock: Clock): Promise<void> {
  jobs.register(REVIEW_JOB, async () => {
    await listings.runReviewCycle();
    await jobs.enqueue(REVIEW_JOB, {}, { runAt: new Date(clock.now().getTime() + DAY) });
  });
}
