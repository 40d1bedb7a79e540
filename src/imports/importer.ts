import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Selectable } from 'kysely';
import type { ImportRecordKind, ImportRunStatus, ImportSourceTable } from '../platform/db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { stableUuid } from '../platform/ids.ts';
import { groupBy } from '../platform/collections.ts';
import { diffValues, SERVICE_FIELDS } from '../listings/service.ts';
import { contentHash, isUuid, mapService, RejectedRecord, sourceIdOf, type HsdsService, type IdDecision, type MappedService, type MappingContext } from './mapping.ts';
import { createTermResolver, parseTaxonomyMapping } from './taxonomy.ts';
import type { ImportRepository } from './repository.ts';

// The import core: services in, our records out, in batches.
//
// For each batch of (by default) 500 services: map every one (a bad record is rejected with its
// reason and goes no further); look up what this source gave us before, by content hash; leave the
// unchanged alone; write the new and changed in ONE short transaction, table by table, as multi-row
// statements. If that transaction fails, the batch is written again one service per transaction, so
// that the one bad record is rejected with the database's reason and the rest still land; nothing is
// ever half-written. After a complete run (the feed read to its end without a fault it could not get
// past), this source's services that were not seen become inactive. A partial run inactivates nothing.

export type ImportSource = Selectable<ImportSourceTable>;
export type Rejection = { sourceRecordId: string | null; reason: string };

/** What a reader yields: a service object, or a record it could not read, with the reason. */
export type FeedItem = HsdsService | { rejected: Rejection };

export interface ImportReport {
  runId: string;
  status: ImportRunStatus;
  added: number;
  updated: number;
  unchanged: number;
  inactivated: number;
  rejected: Rejection[];
  faults: string[];
  warnings: Array<{ sourceRecordId: string; message: string }>;
  unmappedTerms: Array<{ term: string; count: number }>;
}

export interface ImportOptions {
  /** Services per transaction; 500 by default. */
  batchSize?: number;
  /** Whether the feed read everything the source has (asked when it ends). A partial read inactivates nothing. */
  isComplete?: () => boolean;
  /** Faults the reader met (asked when it ends). */
  faults?: () => string[];
  /** Called after each batch with the number of records it took (imported, unchanged or rejected). */
  onProgress?: (records: number) => void;
}

export interface ImporterDeps {
  repository: ImportRepository;
  clock: Clock;
  /** Makes changed services searchable at once in this process (other processes poll updated_at). */
  refreshSearch?: (serviceIds: string[]) => Promise<void>;
  /**
   * Batches written at once, each in its own transaction: 1 (the default) on PGlite, which has one
   * connection; 2 on PostgreSQL, where one batch's transaction would leave the server's other core idle.
   */
  writers?: number;
  /** Services a run writes before the planner's statistics are first refreshed (2,000; see analyzeIfGrown). */
  analyzeAfter?: number;
}

/** Bump when the mapping changes what it writes: every record then imports again once. */
const MAPPING_VERSION = '1';
const MAX_WARNINGS = 1000;
/**
 * Reading and mapping services is work on this process's one thread, and a reader that holds its
 * data in memory never waits: without a pause every so many services, the answers to the writers'
 * statements would wait for a whole batch to be read or mapped, and the database with them.
 */
const YIELD_EVERY = 10;
const MODERATED_FIELDS = [...SERVICE_FIELDS, 'status'] as const;

interface PreparedBatch {
  changed: MappedService[];
  unchanged: string[];
  rejected: Rejection[];
  knownOrganizations: Map<string, { content_hash: string }>;
  knownLocations: Map<string, { content_hash: string }>;
  /** Our ids of the organisations and locations the batch writes or refers to: see `claimsOf`. */
  claims: Set<string>;
}

const isRejection = (item: FeedItem): item is { rejected: Rejection } => typeof item === 'object' && item !== null && 'rejected' in item && !('id' in item);

/** A database error as a sentence for the rejection report: what failed, without the SQL. */
function describeDatabaseError(error: unknown): string {
  const e = error as { message?: string; detail?: string; code?: string };
  const message = e?.message ?? String(error);
  if (e?.code === '23503') return `It refers to a record that does not exist (${e.detail ?? message}).`;
  if (e?.code === '23514') return `A value is out of range (${message}).`;
  if (e?.code === '23505') return `It uses an id another record already has (${e.detail ?? message}).`;
  return `The database refused it: ${message}`;
}

export function createImporter(deps: ImporterDeps) {
  const { repository, clock } = deps;

  return {
    /** Imports services from a feed into this source's records. See the module comment. */
    async importServices(source: ImportSource, items: AsyncIterable<FeedItem> | Iterable<FeedItem>, options: ImportOptions = {}): Promise<ImportReport> {
      const batchSize = options.batchSize ?? 500;
      const now = () => clock.now();
      const runId = await repository.startRun(source.id, now());
      const ourTerms = await repository.ourTerms();
      const termIds = new Set(ourTerms.map((term) => term.id));
      const areas = await repository.councilAreas();
      const areaCodes = new Set(areas.map((area) => area.code));
      const areaTypes = new Map<string, 'council_area' | 'partnership' | 'health_board' | 'scotland' | 'uk'>([['scotland', 'scotland'], ['uk', 'uk'], ['united kingdom', 'uk']]);
      for (const area of areas) {
        areaTypes.set(area.health_board_name.toLowerCase(), 'health_board');
        areaTypes.set(area.partnership_name.toLowerCase(), 'partnership');
        areaTypes.set(area.name.toLowerCase(), 'council_area');
      }

      const report: ImportReport = { runId, status: 'running', added: 0, updated: 0, unchanged: 0, inactivated: 0, rejected: [], faults: [], warnings: [], unmappedTerms: [] };
      const unmapped = new Map<string, number>();
      let rejectionsSaved = 0;
      let fatal: unknown;

      const finish = async (status: ImportRunStatus) => {
        report.status = status;
        report.faults = [...report.faults, ...(options.faults?.() ?? [])];
        report.unmappedTerms = [...unmapped].map(([term, count]) => ({ term, count })).sort((a, b) => b.count - a.count || a.term.localeCompare(b.term));
        await repository.addRejections(runId, rejectionsSaved, report.rejected.slice(rejectionsSaved));
        rejectionsSaved = report.rejected.length;
        await repository.finishRun(runId, { ...report, rejected: report.rejected.length, warnings: report.warnings.slice(0, MAX_WARNINGS) }, now());
        return report;
      };

      let mapping;
      try {
        mapping = parseTaxonomyMapping(source.taxonomy_mapping, termIds);
      } catch (error) {
        report.faults.push((error as Error).message);
        return finish('failed');
      }
      const resolveTerm = createTermResolver(ourTerms, mapping);
      const hashSalt = createHash('sha256')
        .update(`${MAPPING_VERSION}\u0000${source.taxonomy_mapping}\u0000${source.needs_moderation}\u0000${source.default_organization_id ?? ''}`)
        .digest('base64url');

      // Statistics are refreshed each time the services written in this run reach the next mark,
      // doubling from what the table held (at least 2,000): a handful of ANALYZEs in a first import, none in a small sync.
      let written = 0;
      let nextAnalyzeAt = Math.max(deps.analyzeAfter ?? 2_000, await repository.estimatedServices());
      const analyzeIfGrown = async (justWritten: number) => {
        written += justWritten;
        if (written < nextAnalyzeAt) return;
        nextAnalyzeAt = written * 2;
        // Without the privilege (a database user that does not own the tables) the import goes on, only slower.
        await repository.analyzeWrittenTables().catch(() => undefined);
      };

      const seenServices = new Set<string>();
      const reject = (sourceRecordId: string | null, reason: string) => report.rejected.push({ sourceRecordId, reason });

      /** Our ids for the top-level records of a batch: this source's earlier choice, else the source's UUID if free, else a derived one. */
      async function decideIds(kind: ImportRecordKind, sourceIds: Iterable<string>): Promise<{ decisions: Map<string, IdDecision>; known: Map<string, { record_id: string; content_hash: string }> }> {
        const wanted = [...new Set(sourceIds)];
        const known = new Map((await repository.records(source.id, kind, wanted)).map((row) => [row.source_record_id, row]));
        const decisions = new Map<string, IdDecision>();
        const candidates = wanted.filter((id) => !known.has(id) && isUuid(id)).map((id) => id.toLowerCase());
        const taken = await repository.takenIds(source.id, kind, candidates);
        // A batch of this run may have committed between the two questions: an id it wrote is ours, not taken.
        if (taken.size > 0) {
          for (const row of await repository.records(source.id, kind, wanted.filter((id) => !known.has(id) && taken.has(id.toLowerCase())))) known.set(row.source_record_id, row);
        }
        for (const id of wanted) {
          const previous = known.get(id);
          if (previous) {
            decisions.set(id, { id: previous.record_id, kept: previous.record_id === id.toLowerCase() });
          } else if (isUuid(id) && !taken.has(id.toLowerCase())) {
            decisions.set(id, { id: id.toLowerCase(), kept: true });
          } else {
            decisions.set(id, { id: stableUuid(`${source.id}:${kind}`, id), kept: false });
          }
        }
        return { decisions, known };
      }

      /** Decides ids and maps the batch (no writes): done while the previous batch is being written. */
      async function prepareBatch(batch: HsdsService[]): Promise<PreparedBatch> {
        // What ids the batch mentions, so that each kind is decided with two queries.
        const serviceIds: string[] = [];
        const organizationIds: string[] = [];
        const locationIds: string[] = [];
        for (const item of batch) {
          serviceIds.push(sourceIdOf(item)!);
          const org = item.organization as Record<string, unknown> | undefined;
          const orgId = organizationSourceIdOf(item);
          if (orgId) organizationIds.push(orgId);
          if (org && typeof org.parent_organization_id === 'string') organizationIds.push(org.parent_organization_id);
          for (const link of Array.isArray(item.service_at_locations) ? item.service_at_locations : []) {
            const location = (link as Record<string, unknown> | null)?.location as Record<string, unknown> | undefined;
            const locationId = sourceIdOf(location) ?? (typeof (link as Record<string, unknown> | null)?.location_id === 'string' ? String((link as Record<string, unknown>).location_id) : undefined);
            if (locationId) locationIds.push(locationId);
            if (location && typeof location.organization_id === 'string') organizationIds.push(location.organization_id);
          }
        }
        const [services, organizations, locations] = await Promise.all([
          decideIds('service', serviceIds),
          decideIds('organization', organizationIds),
          decideIds('location', locationIds),
        ]);
        const byKind = { service: services.decisions, organization: organizations.decisions, location: locations.decisions };
        const context: MappingContext = {
          sourceKey: source.id,
          ids: (kind, id) => byKind[kind].get(id) ?? { id: stableUuid(`${source.id}:${kind}`, id), kept: false },
          resolveTerm,
          councilArea: (code) => areaCodes.has(code),
          areaType: (name) => areaTypes.get(name.trim().toLowerCase()),
          defaultOrganizationId: source.default_organization_id,
          now: now(),
          hashSalt,
        };

        const changed: MappedService[] = [];
        const unchanged: string[] = [];
        const rejected: Rejection[] = [];
        let mapped = 0;
        for (const item of batch) {
          if (++mapped % YIELD_EVERY === 0) await nextTurn();
          const sourceId = sourceIdOf(item)!;
          // Unchanged since the last import: not even mapped.
          const hash = contentHash(hashSalt, item);
          if (services.known.get(sourceId)?.content_hash === hash) {
            unchanged.push(sourceId);
            continue;
          }
          try {
            changed.push(mapService(item, context, hash));
          } catch (error) {
            rejected.push({ sourceRecordId: sourceId, reason: error instanceof RejectedRecord ? error.message : `It could not be read: ${(error as Error).message}` });
          }
        }
        return { changed, unchanged, rejected, knownOrganizations: organizations.known, knownLocations: locations.known, claims: claimsOf(changed) };
      }

      /** Writes a prepared batch; if its transaction fails, one service per transaction to find the bad ones. */
      async function writeBatch({ changed, unchanged, rejected, knownOrganizations, knownLocations }: PreparedBatch): Promise<void> {
        for (const rejection of rejected) reject(rejection.sourceRecordId, rejection.reason);

        if (changed.length > 0) {
          try {
            await writeServices(changed, knownOrganizations, knownLocations).catch((error: unknown) => {
              // Two writers that met on a row neither expected to share: PostgreSQL undid one; once more, whole.
              if ((error as { code?: string })?.code === '40P01') return writeServices(changed, knownOrganizations, knownLocations);
              throw error;
            });
          } catch {
            // Find the bad record(s): one transaction per service; the rest still land.
            for (const one of changed) {
              try {
                await writeServices([one], knownOrganizations, knownLocations);
              } catch (error) {
                one.warnings.length = 0;
                one.unmappedTerms.length = 0;
                reject(one.sourceId, describeDatabaseError(error));
              }
            }
          }
        }
        for (const one of changed) {
          for (const term of one.unmappedTerms) unmapped.set(term, (unmapped.get(term) ?? 0) + 1);
          for (const message of one.warnings) if (report.warnings.length < MAX_WARNINGS) report.warnings.push({ sourceRecordId: one.sourceId, message });
        }
        report.unchanged += unchanged.length;
        await repository.markSeen(source.id, runId, 'service', unchanged);
      }

      /** Writes new and changed services in one transaction; throws (and writes nothing) if any part fails. */
      async function writeServices(batch: MappedService[], knownOrganizations: Map<string, { content_hash: string }>, knownLocations: Map<string, { content_hash: string }>): Promise<void> {
        const at = now();
        const serviceIds = batch.map((one) => one.row.id);
        const organizationRows = new Map<string, { mapped: NonNullable<MappedService['organization']> }>();
        const locationRows = new Map<string, MappedService['locations'][number]>();
        for (const one of batch) {
          if (one.organization && knownOrganizations.get(one.organization.sourceId)?.content_hash !== one.organization.hash) organizationRows.set(one.organization.row.id, { mapped: one.organization });
          for (const location of one.locations) if (knownLocations.get(location.sourceId)?.content_hash !== location.hash) locationRows.set(location.row.id, location);
        }
        const outcome = await repository.transaction(async (trx) => {
          await repository.relaxDurability(trx);
          const current = new Map((await repository.currentServices(serviceIds, trx)).map((row) => [row.id, row]));
          const versions = new Map((await repository.versions(serviceIds, trx)).map((row) => [row.record_id, row]));

          // Organisations first (services and locations refer to them); a parent we do not have is left out.
          const orgs = [...organizationRows.values()].map(({ mapped }) => ({ ...mapped.row, listed: true, created_at: at, updated_at: at }));
          const parents = orgs.map((org) => org.parent_organization_id).filter((id): id is string => Boolean(id));
          const referenced = [...parents, ...[...locationRows.values()].map((location) => location.row.organization_id).filter((id): id is string => Boolean(id))];
          const existing = await repository.existingOrganizations([...referenced, ...orgs.map((org) => org.id)], trx);
          // Only records that were there before have children to clear: a first import deletes nothing.
          const orgsBefore = orgs.filter((org) => existing.has(org.id)).map((org) => org.id);
          const inBatch = new Set(orgs.map((org) => org.id));
          for (const org of orgs) if (org.parent_organization_id && !existing.has(org.parent_organization_id) && !inBatch.has(org.parent_organization_id)) org.parent_organization_id = null;
          // Parents inside the batch are written after their children otherwise: write without, then set.
          const withParents = orgs.filter((org) => org.parent_organization_id && inBatch.has(org.parent_organization_id));
          await repository.upsert(trx, 'organization', orgs.map((org) => (withParents.includes(org) ? { ...org, parent_organization_id: null } : org)));
          if (withParents.length > 0) await repository.upsert(trx, 'organization', withParents);
          await repository.clearOrganizationAttributes(trx, orgsBefore);
          await repository.upsert(trx, 'attribute', [...organizationRows.values()].flatMap(({ mapped }) => mapped.attributes));

          const locations = [...locationRows.values()];
          for (const location of locations) {
            const owner = location.row.organization_id;
            if (owner && !existing.has(owner) && !inBatch.has(owner)) location.row.organization_id = null;
          }
          const locationsBefore = await repository.existingLocations(locations.map((location) => location.row.id), trx);
          await repository.upsert(trx, 'location', locations.map((location) => ({ ...location.row, updated_at: at })));
          await repository.clearLocationChildren(trx, locationsBefore);
          for (const table of ['address', 'contact', 'phone', 'language', 'schedule', 'attribute'] as const) {
            await repository.upsert(trx, table, dedupe(locations.flatMap((location) => location.children[table] as Array<{ id: string }>)));
          }

          // Services: under moderation, the fields people edit (and status) wait in a pending version.
          const versionRows: Array<Record<string, unknown>> = [];
          const serviceRows = batch.map((one) => {
            const before = current.get(one.row.id);
            const row = { ...one.row } as Record<string, unknown> & typeof one.row;
            const incoming = Object.fromEntries(MODERATED_FIELDS.map((field) => [field, (one.row as Record<string, unknown>)[field] ?? ''])) as Record<string, unknown>;
            const version = versions.get(one.row.id);
            const nextVersion = Number(version?.top ?? 0) + 1;
            const note = `${before ? 'Updated' : 'Imported'} from ${source.name}`;
            const values = Object.fromEntries(SERVICE_FIELDS.map((field) => [field, incoming[field]]));
            if (!source.needs_moderation) {
              const previous = before ? Object.fromEntries(SERVICE_FIELDS.map((field) => [field, (before as Record<string, unknown>)[field] ?? ''])) : {};
              versionRows.push(versionRow(one, nextVersion, Number(version?.published ?? 0), 'published', values, before ? diffValues(previous, values) : {}, note, at));
              return row;
            }
            const live = before ? Object.fromEntries(MODERATED_FIELDS.map((field) => [field, (before as Record<string, unknown>)[field] ?? ''])) : { status: 'inactive' };
            const diff = diffValues(live, incoming);
            if (before && Object.keys(diff).length === 0) {
              versionRows.push(versionRow(one, nextVersion, Number(version?.published ?? 0), 'published', values, {}, note, at));
              return row;
            }
            // Keep what is live; a moderator publishes the rest (listings' decide() applies the snapshot).
            let base = Number(version?.published ?? 0);
            let pendingVersion = nextVersion;
            if (before && !version?.published) {
              versionRows.push(versionRow(one, nextVersion, 0, 'published', Object.fromEntries(SERVICE_FIELDS.map((field) => [field, (before as Record<string, unknown>)[field] ?? ''])), {}, 'The listing as it was before its first import change', at));
              base = nextVersion;
              pendingVersion = nextVersion + 1;
            }
            versionRows.push(versionRow(one, pendingVersion, base, 'pending', incoming, diff, `${note}: waiting for a moderator`, at));
            for (const field of MODERATED_FIELDS) (row as Record<string, unknown>)[field] = before ? (before as Record<string, unknown>)[field] : field === 'status' ? 'inactive' : (one.row as Record<string, unknown>)[field];
            return row;
          });
          await repository.upsert(trx, 'service', serviceRows);
          await repository.clearServiceChildren(trx, serviceIds.filter((id) => current.has(id)));
          for (const table of ['service_at_location', 'contact', 'phone', 'language', 'schedule', 'service_area', 'cost_option', 'attribute'] as const) {
            await repository.upsert(trx, table, dedupe(batch.flatMap((one) => one.children[table] as Array<{ id: string }>)));
          }
          await repository.insertVersions(trx, versionRows);
          // Other processes' search indexes find these services by the transaction that wrote their rows
          // (src/search/sync.ts), not by updated_at, which is the source's last_modified: nothing to touch.

          await repository.recordProvenance(trx, [
            ...batch.map((one) => ({ source_id: source.id, kind: 'service' as const, source_record_id: one.sourceId, record_id: one.row.id, content_hash: one.hash, last_seen_run_id: runId })),
            ...[...organizationRows.values()].map(({ mapped }) => ({ source_id: source.id, kind: 'organization' as const, source_record_id: mapped.sourceId, record_id: mapped.row.id, content_hash: mapped.hash, last_seen_run_id: runId })),
            ...locations.map((location) => ({ source_id: source.id, kind: 'location' as const, source_record_id: location.sourceId, record_id: location.row.id, content_hash: location.hash, last_seen_run_id: runId })),
          ]);
          return { added: batch.filter((one) => !current.has(one.row.id)).length, updated: batch.filter((one) => current.has(one.row.id)).length };
        });
        report.added += outcome.added;
        report.updated += outcome.updated;
        await deps.refreshSearch?.(serviceIds);
        await analyzeIfGrown(batch.length);
      }

      function versionRow(one: MappedService, version: number, base: number, status: 'published' | 'pending', snapshot: Record<string, unknown>, diff: Record<string, unknown>, note: string, at: Date): Record<string, unknown> {
        return {
          record_kind: 'service', record_id: one.row.id, organization_id: one.row.organization_id, version, base_version: base, status,
          snapshot, diff, note, author_id: null, author_email: null, created_at: at,
          ...(status === 'published' ? { decided_at: at, decided_by_email: null } : {}),
        };
      }

      // Batches are read and mapped (CPU) while earlier ones are written (the database): with one
      // writer, batch n+1 is prepared while batch n is written. With more, services are dealt into
      // lanes by their organisation (so that its services are written in the order they came, by one
      // lane), each lane writing one batch at a time; a batch whose organisations or locations another
      // batch in flight also writes or refers to waits for it, so that two transactions never write
      // the same rows, nor does one refer to a row another has not committed yet.
      const writers = Math.max(1, Math.floor(deps.writers ?? 1));
      const lanes: HsdsService[][] = Array.from({ length: writers }, () => []);
      let taken = 0;
      interface Writing { lane: number; claims: Set<string>; done: Promise<void> }
      const inFlight = new Set<Writing>();
      let failure: { error: unknown } | undefined;
      const flush = async (lane: number) => {
        const batch = lanes[lane]!;
        if (batch.length === 0 && taken === 0) return;
        const size = batch.length + taken;
        lanes[lane] = [];
        taken = 0;
        const prepared = batch.length > 0 ? await prepareBatch(batch) : undefined;
        const claims = prepared?.claims ?? new Set<string>();
        for (;;) {
          if (failure) throw failure.error;
          const blocking = [...inFlight].filter((other) => other.lane === lane || overlaps(other.claims, claims));
          if (blocking.length === 0 && inFlight.size < writers) break;
          await Promise.race((blocking.length > 0 ? blocking : [...inFlight]).map((other) => other.done.catch(() => undefined)));
        }
        const writing: Writing = {
          lane,
          claims,
          done: (async () => {
            if (prepared) await writeBatch(prepared);
            // Positions are taken before the wait, so that two batches never save the same ones.
            const from = rejectionsSaved;
            rejectionsSaved = report.rejected.length;
            await repository.addRejections(runId, from, report.rejected.slice(from, rejectionsSaved));
            options.onProgress?.(size);
          })(),
        };
        inFlight.add(writing);
        writing.done.then(
          () => inFlight.delete(writing),
          (error: unknown) => {
            inFlight.delete(writing);
            failure ??= { error };
          },
        );
      };
      const settle = async () => {
        while (inFlight.size > 0) await Promise.all([...inFlight].map((writing) => writing.done.catch(() => undefined)));
      };
      try {
        let read = 0;
        for await (const item of items as AsyncIterable<FeedItem>) {
          if (++read % YIELD_EVERY === 0) await nextTurn();
          if (isRejection(item)) {
            reject(item.rejected.sourceRecordId, item.rejected.reason);
            taken++;
            continue;
          }
          const sourceId = sourceIdOf(item);
          if (!item || typeof item !== 'object' || Array.isArray(item)) {
            reject(null, 'The record is not a JSON object.');
            taken++;
            continue;
          }
          if (!sourceId) {
            reject(null, `The service${typeof item.name === 'string' ? ` "${item.name.slice(0, 80)}"` : ''} has no id.`);
            taken++;
            continue;
          }
          if (seenServices.has(sourceId)) {
            reject(sourceId, 'The same service id appears twice in this import; the first was kept.');
            taken++;
            continue;
          }
          seenServices.add(sourceId);
          const lane = writers === 1 ? 0 : laneOf(item, writers);
          lanes[lane]!.push(item);
          if (lanes[lane]!.length >= batchSize) await flush(lane);
        }
        for (let lane = 0; lane < writers; lane++) await flush(lane);
        await settle();
        if (failure) throw failure.error;
      } catch (error) {
        await settle();
        fatal = error;
        report.faults.push(`The import stopped: ${(error as Error).message ?? String(error)}`);
      }

      const complete = fatal === undefined && (options.isComplete?.() ?? true);
      if (complete) {
        const inactivated = await repository.inactivateUnseen(source.id, runId, now());
        report.inactivated = inactivated.length;
        if (inactivated.length > 0) await deps.refreshSearch?.(inactivated);
      }
      return finish(fatal !== undefined && seenServices.size === 0 ? 'failed' : complete ? 'completed' : 'partial');
    },
  };
}

/**
 * Our ids of the organisations and locations a batch writes, or refers to (a service's organisation,
 * an organisation's parent, a location's owner, a service's locations). Two batches whose claims
 * overlap are never written at once.
 */
function claimsOf(batch: MappedService[]): Set<string> {
  const claims = new Set<string>();
  for (const one of batch) {
    claims.add(one.row.organization_id);
    if (one.organization) {
      claims.add(one.organization.row.id);
      if (one.organization.row.parent_organization_id) claims.add(one.organization.row.parent_organization_id);
    }
    for (const location of one.locations) {
      claims.add(location.row.id);
      if (location.row.organization_id) claims.add(location.row.organization_id);
    }
    for (const link of one.children.service_at_location) claims.add(link.location_id);
  }
  return claims;
}

function overlaps(a: Set<string>, b: Set<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const id of small) if (large.has(id)) return true;
  return false;
}

/** The source's id of a service's organisation: the nested object's, else `organization_id`. */
function organizationSourceIdOf(item: HsdsService): string | undefined {
  return sourceIdOf(item.organization) ?? (typeof item.organization_id === 'string' ? item.organization_id : undefined);
}

/** The lane of a service: by its organisation's source id (FNV-1a), so that one lane writes all of an organisation's services. */
function laneOf(item: HsdsService, lanes: number): number {
  const key = organizationSourceIdOf(item) ?? '';
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}

/**
 * One row per id: a record our feed lists in two places (see statedLinks in mapping.ts) arrives twice,
 * each copy with the links of its place; the row keeps every link either copy has.
 */
function dedupe<T extends { id: string }>(rows: T[]): T[] {
  return [...groupBy(rows, (row) => row.id).values()].map((copies) => {
    if (copies.length === 1) return copies[0]!;
    const merged = { ...copies[0]! } as Record<string, unknown>;
    for (const copy of copies.slice(1)) {
      for (const [key, value] of Object.entries(copy)) if (value !== null && value !== undefined) merged[key] = value;
    }
    return merged as T;
  });
}

export type Importer = ReturnType<typeof createImporter>;
