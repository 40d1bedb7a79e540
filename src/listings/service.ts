import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, ListingVersionStatus, ProblemKind } from '../platform/db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { can, organisationsWhere, type Actor, type Resource } from '../platform/auth/rules.ts';
import type { AuditLog } from '../platform/audit/log.ts';
import type { Mailer } from '../platform/mail/mailer.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { NotFoundError } from '../platform/http/errors.ts';
import { ForbiddenError } from '../platform/auth/plugin.ts';

/** The fields of a service that its organisation edits through the question pages. */
export const SERVICE_FIELDS = ['name', 'summary', 'description', 'email', 'url'] as const;
export type ServiceField = (typeof SERVICE_FIELDS)[number];
export type ServiceValues = Record<ServiceField, string>;
export const FIELD_LABELS: Record<ServiceField, string> = {
  name: 'Name',
  summary: 'Summary',
  description: 'Description',
  email: 'Email address',
  url: 'Website',
};

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

type Executor = Kysely<Database> | Transaction<Database>;

export type SaveOutcome =
  | { ok: true; status: ListingVersionStatus; version: number }
  | { ok: false; errors: Record<string, string> }
  | { ok: false; conflict: { currentVersion: number; changedSince: FieldDiff; by: string | null; at: Date } };

export function createListingsService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  mailer: Mailer;
  jobs: JobQueue;
  settings: ListingsSettings;
  /** Makes a change searchable at once in this process. */
  refreshSearch: (serviceIds: string[]) => Promise<void>;
}) {
  const { db, clock, audit, mailer, settings } = deps;
  const today = () => clock.now().toISOString().slice(0, 10);
  const link = (path: string) => `${settings.publicUrl.replace(/\/$/, '')}${path}`;

  async function councilAreasOfService(serviceId: string, executor: Executor = db): Promise<string[]> {
    const rows = await executor
      .selectFrom('service_at_location')
      .innerJoin('location', 'location.id', 'service_at_location.location_id')
      .select('location.council_area_code')
      .where('service_at_location.service_id', '=', serviceId)
      .where('location.council_area_code', 'is not', null)
      .distinct()
      .execute();
    if (rows.length > 0) return rows.map((row) => row.council_area_code!);
    // A service with no places of its own (a helpline) is moderated where its organisation has places.
    const organisation = await executor
      .selectFrom('location')
      .innerJoin('service', 'service.organization_id', 'location.organization_id')
      .select('location.council_area_code')
      .where('service.id', '=', serviceId)
      .where('location.council_area_code', 'is not', null)
      .distinct()
      .execute();
    return organisation.map((row) => row.council_area_code!);
  }

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

  const valuesOf = (service: Record<string, unknown>): ServiceValues =>
    Object.fromEntries(SERVICE_FIELDS.map((field) => [field, (service[field] as string | null) ?? ''])) as ServiceValues;

  async function latestPublished(kind: 'service' | 'organization', recordId: string, executor: Executor = db) {
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

  async function nextVersion(kind: 'service' | 'organization', recordId: string, executor: Executor): Promise<number> {
    const row = await executor
      .selectFrom('listing_version')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('record_kind', '=', kind)
      .where('record_id', '=', recordId)
      .executeTakeFirst();
    return Number(row?.max ?? 0) + 1;
  }

  /** The first change to a record also keeps what it was before (version 1), so that it can be restored. */
  async function ensureBaseline(service: { id: string; organization_id: string } & Record<string, unknown>, executor: Executor): Promise<void> {
    if (await latestPublished('service', service.id, executor)) return;
    await executor
      .insertInto('listing_version')
      .values({
        record_kind: 'service',
        record_id: service.id,
        organization_id: service.organization_id,
        version: 1,
        base_version: 0,
        status: 'published',
        snapshot: JSON.stringify(valuesOf(service)),
        diff: '{}',
        note: 'The listing as it was before its first edit here',
        author_id: null,
        author_email: null,
        created_at: clock.now(),
      })
      .execute();
  }

  async function publishServiceValues(serviceId: string, values: ServiceValues, executor: Executor): Promise<void> {
    await executor
      .updateTable('service')
      .set({ ...values, email: values.email || null, url: values.url || null, updated_at: clock.now() })
      .where('id', '=', serviceId)
      .execute();
  }

  async function approvedOrganisation(organizationId: string, executor: Executor = db): Promise<boolean> {
    const row = await executor.selectFrom('organization_listing').select('approved_at').where('organization_id', '=', organizationId).executeTakeFirst();
    return Boolean(row?.approved_at);
  }

  function validate(values: ServiceValues): Record<string, string> {
    const errors: Record<string, string> = {};
    if (!values.name.trim()) errors.name = 'Enter the name of the service';
    else if (values.name.length > 200) errors.name = 'The name must be 200 characters or fewer';
    if (values.summary.length > 500) errors.summary = 'The summary must be 500 characters or fewer';
    if (values.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.email = 'Enter an email address in the correct format, like name@example.org';
    if (values.url && !/^https?:\/\/[^\s]+\.[^\s]+$/.test(values.url)) errors.url = 'Enter a website address starting with https://';
    return errors;
  }

  return {
    councilAreasOfService,
    approvedOrganisation,
    validate,

    /** The services of the organisations the actor edits, with when each is due for review. */
    async yourListings(actor: Actor | null) {
      const organisationIds = organisationsWhere(actor, 'listing.edit');
      if (organisationIds.length === 0) return { services: [] };
      const rows = await db.selectFrom('service').innerJoin('organization', 'organization.id', 'service.organization_id')
        .select(['service.id', 'service.name', 'service.status', 'service.last_reviewed_at', 'service.created_at', 'organization.name as organization_name'])
        .where('service.organization_id', 'in', organisationIds).orderBy('organization.name').orderBy('service.name').limit(500).execute();
      const now = today();
      return { services: rows.map((row) => ({ ...row, dueOn: this.dueOn(row), overdue: this.dueOn(row) < now })) };
    },

    /** What the edit pages show: the live (published) values and the version they are. */
    async serviceForEdit(actor: Actor | null, serviceId: string) {
      const { service, resource } = await loadService(serviceId);
      if (!can(actor, 'listing.edit', resource) && !can(actor, 'listing.moderate', resource)) throw new ForbiddenError('You may not edit this service.');
      const published = await latestPublished('service', serviceId);
      const pending = await db.selectFrom('listing_version').select(['version', 'author_email', 'created_at']).where('record_kind', '=', 'service').where('record_id', '=', serviceId).where('status', '=', 'pending').orderBy('version').execute();
      const review = await this.reviewState(serviceId);
      const reports = await this.openReports(serviceId);
      return { service, values: valuesOf(service), version: published?.version ?? 0, pending, review, reports, canModerate: can(actor, 'listing.moderate', resource) };
    },

    /**
     * Saves an edit made from version `baseVersion`. Refused, with what changed, when the listing has
     * been published again since. Publishes at once for moderators and approved organisations;
     * otherwise the edit waits for a moderator.
     */
    async saveService(actor: Actor | null, serviceId: string, baseVersion: number, values: ServiceValues): Promise<SaveOutcome> {
      const errors = validate(values);
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const outcome = await db.transaction().execute(async (trx): Promise<SaveOutcome & { refresh?: boolean }> => {
        const { service, resource } = await loadService(serviceId, trx);
        const moderator = can(actor, 'listing.moderate', resource);
        if (!can(actor, 'listing.edit', resource) && !moderator) throw new ForbiddenError('You may not edit this service.');
        const current = await latestPublished('service', serviceId, trx);
        const currentVersion = current?.version ?? 0;
        // A record with no versions yet is version 0; its first edit keeps it as version 1.
        const effectiveBase = baseVersion === 0 && currentVersion === 1 && current?.author_email === null ? 1 : baseVersion;
        if (effectiveBase !== currentVersion) {
          const startedFrom = await trx
            .selectFrom('listing_version')
            .select('snapshot')
            .where('record_kind', '=', 'service')
            .where('record_id', '=', serviceId)
            .where('version', '=', Math.max(baseVersion, 1))
            .executeTakeFirst();
          const before = (startedFrom?.snapshot as Record<string, unknown> | undefined) ?? {};
          return { ok: false, conflict: { currentVersion, changedSince: diffValues(before, valuesOf(service)), by: current?.author_email ?? null, at: current?.created_at ?? clock.now() } };
        }
        await ensureBaseline(service, trx);
        const diff = diffValues(valuesOf(service), values);
        const publish = moderator || (await approvedOrganisation(service.organization_id, trx));
        const version = await nextVersion('service', serviceId, trx);
        await trx
          .insertInto('listing_version')
          .values({
            record_kind: 'service',
            record_id: serviceId,
            organization_id: service.organization_id,
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
        if (publish) await publishServiceValues(serviceId, values, trx);
        await audit.record(actor, { action: publish ? 'listing.published' : 'listing.submitted', targetType: 'service', targetId: serviceId, organizationId: service.organization_id, summary: `${publish ? 'Published' : 'Submitted'} version ${version} of ${values.name} (${Object.keys(diff).join(', ') || 'no changes'})` }, trx);
        return { ok: true, status: publish ? 'published' : 'pending', version, refresh: publish };
      });
      if (outcome.ok && outcome.refresh) await deps.refreshSearch([serviceId]);
      if (outcome.ok) return { ok: true, status: outcome.status, version: outcome.version };
      return outcome;
    },

    async history(actor: Actor | null, serviceId: string) {
      const { service, resource } = await loadService(serviceId);
      if (!can(actor, 'listing.edit', resource) && !can(actor, 'listing.moderate', resource)) throw new ForbiddenError('You may not see this service’s history.');
      const versions = await db.selectFrom('listing_version').selectAll().where('record_kind', '=', 'service').where('record_id', '=', serviceId).orderBy('version', 'desc').execute();
      const current = versions.find((v) => v.status === 'published')?.version ?? 0;
      return { service, versions, current };
    },

    /** Restores an earlier version's values as a new published version. */
    async restore(actor: Actor | null, serviceId: string, version: number): Promise<number> {
      const result = await db.transaction().execute(async (trx) => {
        const { service, resource } = await loadService(serviceId, trx);
        if (!can(actor, 'listing.moderate', resource) && !(can(actor, 'listing.edit', resource) && (await approvedOrganisation(service.organization_id, trx)))) {
          throw new ForbiddenError('You may not restore versions of this service.');
        }
        const old = await trx.selectFrom('listing_version').selectAll().where('record_kind', '=', 'service').where('record_id', '=', serviceId).where('version', '=', version).executeTakeFirst();
        if (!old || old.status === 'pending') throw new NotFoundError('version');
        const values = { ...valuesOf(service), ...(old.snapshot as Partial<ServiceValues>) };
        const current = await latestPublished('service', serviceId, trx);
        const next = await nextVersion('service', serviceId, trx);
        await trx
          .insertInto('listing_version')
          .values({
            record_kind: 'service', record_id: serviceId, organization_id: service.organization_id, version: next, base_version: current?.version ?? 0,
            status: 'published', snapshot: JSON.stringify(values), diff: JSON.stringify(diffValues(valuesOf(service), values)), note: `Restored version ${version}`,
            author_id: actor?.userId ?? null, author_email: actor?.email ?? null, created_at: clock.now(), decided_at: clock.now(), decided_by_email: actor?.email ?? null,
          })
          .execute();
        await publishServiceValues(serviceId, values, trx);
        await audit.record(actor, { action: 'listing.restored', targetType: 'service', targetId: serviceId, organizationId: service.organization_id, summary: `Restored version ${version} of ${values.name} as version ${next}` }, trx);
        return next;
      });
      await deps.refreshSearch([serviceId]);
      return result;
    },

    /** A moderator publishes or rejects a pending edit; one made from an older version is refused as a conflict. */
    async decide(actor: Actor | null, versionId: string, decision: 'approve' | 'reject', reason: string): Promise<{ ok: boolean; message: string; serviceId: string }> {
      const result = await db.transaction().execute(async (trx) => {
        const pending = await trx.selectFrom('listing_version').selectAll().where('id', '=', versionId).executeTakeFirst();
        if (!pending || pending.status !== 'pending') throw new NotFoundError('pending edit');
        const { service, resource } = await loadService(pending.record_id, trx);
        if (!can(actor, 'listing.moderate', resource)) throw new ForbiddenError('You may not moderate this listing.');
        const current = await latestPublished('service', pending.record_id, trx);
        const stale = (current?.version ?? 0) !== pending.base_version;
        const reject = decision === 'reject' || stale;
        const why = stale ? 'The listing changed after this edit was made; it was not published.' : reason;
        if (reject) {
          await trx.updateTable('listing_version').set({ status: 'rejected', decided_at: clock.now(), decided_by_email: actor?.email ?? null, reason: why || null }).where('id', '=', versionId).execute();
        } else {
          // Published edits move to the top of the history: the version number stays, the order of publication is by number.
          await trx.updateTable('listing_version').set({ status: 'published', decided_at: clock.now(), decided_by_email: actor?.email ?? null, reason: reason || null }).where('id', '=', versionId).execute();
          await publishServiceValues(pending.record_id, { ...valuesOf(service), ...(pending.snapshot as Partial<ServiceValues>) }, trx);
        }
        if (pending.author_email) {
          await mailer.queue({
            to: pending.author_email,
            subject: reject ? 'Your change to a listing was not published' : 'Your change to a listing is published',
            text: `${reject ? 'Your change was not published.' : 'Your change is now published.'}${why && reject ? `\n\nReason: ${why}` : ''}\n\nSee the listing's history: ${link(`/manage/services/${pending.record_id}/history`)}\n`,
          }, trx);
        }
        await audit.record(actor, { action: reject ? 'listing.rejected' : 'listing.approved', targetType: 'service', targetId: pending.record_id, organizationId: pending.organization_id, summary: `${reject ? 'Rejected' : 'Published'} version ${pending.version} of ${service.name}${why ? `: ${why}` : ''}` }, trx);
        return { ok: !reject, message: reject ? (stale ? why : 'The edit was rejected.') : 'The edit is published.', serviceId: pending.record_id, refresh: !reject };
      });
      if (result.refresh) await deps.refreshSearch([result.serviceId]);
      return { ok: result.ok, message: result.message, serviceId: result.serviceId };
    },

    /** An organisation's own edits publish at once from now on. */
    async approveOrganisation(actor: Actor | null, organizationId: string, executor: Executor = db): Promise<void> {
      await executor
        .insertInto('organization_listing')
        .values({ organization_id: organizationId, approved_at: clock.now(), approved_by_email: actor?.email ?? null })
        .onConflict((oc) => oc.column('organization_id').doUpdateSet({ approved_at: clock.now(), approved_by_email: actor?.email ?? null }))
        .execute();
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
      // Its own places, or (for a service with none) its organisation's: as councilAreasOfService decides.
      const servicesInAreas = (eb: any) =>
        eb.or([
          eb.exists(
            eb.selectFrom('service_at_location').innerJoin('location', 'location.id', 'service_at_location.location_id')
              .select(sql`1`.as('one')).whereRef('service_at_location.service_id', '=', 'service.id').where('location.council_area_code', 'in', codes),
          ),
          eb.and([
            eb.not(eb.exists(eb.selectFrom('service_at_location').select(sql`1`.as('one')).whereRef('service_at_location.service_id', '=', 'service.id'))),
            eb.exists(eb.selectFrom('location as org_location').select(sql`1`.as('one')).whereRef('org_location.organization_id', '=', 'service.organization_id').where('org_location.council_area_code', 'in', codes)),
          ]),
        ]);
      let pendingQuery = db
        .selectFrom('listing_version')
        .innerJoin('service', 'service.id', 'listing_version.record_id')
        .innerJoin('organization', 'organization.id', 'listing_version.organization_id')
        .select(['listing_version.id', 'listing_version.version', 'listing_version.diff', 'listing_version.author_email', 'listing_version.created_at', 'service.id as service_id', 'service.name as service_name', 'organization.name as organization_name'])
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
        pendingQuery = pendingQuery.where(servicesInAreas);
        overdueQuery = overdueQuery.where(servicesInAreas);
        reportQuery = reportQuery.where(servicesInAreas);
        claimQuery = claimQuery.where((eb) => eb.exists(eb.selectFrom('location').select(sql`1`.as('one')).whereRef('location.organization_id', '=', 'organization.id').where('location.council_area_code', 'in', codes)));
        missQuery = missQuery.where('council_area_code', 'in', areas.length ? areas : ['-']);
      }
      const pending = await pendingQuery.execute();
      const overdue = await overdueQuery.execute();
      const reports = await reportQuery.execute();
      const misses = await missQuery.execute();
      const claims = (await claimQuery.execute()).map((claim) => ({ ...claim, evidence: claimEvidence(claim.claimant_email, claim.website, claim.organization_email, claim.email_verified_at !== null) }));
      return { pending, overdue, reports, claims, misses, areas, everywhere };
    },
  };

  async function organisationAreas(executor: Executor, organizationId: string): Promise<string[]> {
    const rows = await executor.selectFrom('location').select('council_area_code').distinct().where('organization_id', '=', organizationId).where('council_area_code', 'is not', null).execute();
    return rows.map((row) => row.council_area_code!);
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
