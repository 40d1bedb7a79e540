import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, ImportRecordKind, ImportRunStatus, ImportSourceKind } from '../platform/db/schema.ts';

// The only SQL of the imports capability: sources, runs, provenance, and the batch writer.
//
// Rows are written in bulk as one JSON parameter per table:
//   insert into phone (cols) select cols from json_populate_recordset(null::phone, $1) on conflict (id) do update …
// One statement and one parameter for 500 services' phones, whatever their number: no 65,535-parameter
// limit to chunk around, and little for Kysely to compile. `json`, not `jsonb`: the text is read once
// into rows, without first being built into a jsonb value (a fifth less time for the same rows).
// The column lists come from the database (information_schema), so they never drift from the migrations.
// Lists of ids go as one array parameter (`= any($1)`), not as `in ($1, …, $500)`: one value to
// send and plan instead of hundreds.

export type Executor = Kysely<Database> | Transaction<Database>;
type Row = Record<string, unknown>;

/** The columns of listing_version an import fills (the rest take their defaults). */
const VERSION_COLUMNS = ['record_kind', 'record_id', 'organization_id', 'version', 'base_version', 'status', 'snapshot', 'diff', 'note', 'author_id', 'author_email', 'created_at', 'decided_at', 'decided_by_email'] as const;

/** Tables the importer writes, and the columns an update of an existing row leaves alone. */
export const WRITTEN_TABLES = {
  organization: ['created_at', 'listed'],
  service: ['created_at'],
  location: ['created_at'],
  address: [],
  service_at_location: [],
  contact: [],
  phone: [],
  language: [],
  schedule: [],
  service_area: [],
  cost_option: [],
  attribute: [],
} as const satisfies Record<string, readonly string[]>;
export type WrittenTable = keyof typeof WRITTEN_TABLES;

export interface SourceValues {
  name: string;
  kind: ImportSourceKind;
  location: string;
  schedule_hours: number | null;
  default_organization_id: string | null;
  needs_moderation: boolean;
  taxonomy_mapping: string;
  enabled: boolean;
}

export interface RunFigures {
  status: ImportRunStatus;
  added: number;
  updated: number;
  unchanged: number;
  inactivated: number;
  rejected: number;
  faults: string[];
  warnings: Array<{ sourceRecordId: string; message: string }>;
  unmappedTerms: Array<{ term: string; count: number }>;
}

/** `= any(…)` of one array parameter: the ids of a batch as one value. */
const anyOf = (values: readonly string[], type: 'text' | 'uuid') => sql<string>`any(cast(${values} as ${sql.raw(type)}[]))`;

export function createImportRepository(db: Kysely<Database>) {
  const columnCache = new Map<string, Promise<string[]>>();

  // Asked through the caller's executor: on PGlite a query outside an open transaction waits for it forever.
  function columnsOf(table: WrittenTable, executor: Executor): Promise<string[]> {
    let columns = columnCache.get(table);
    if (!columns) {
      columns = sql<{ column_name: string }>`select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} order by ordinal_position`
        .execute(executor)
        .then((result) => result.rows.map((row) => row.column_name));
      columnCache.set(table, columns);
    }
    return columns;
  }

  /** Inserts rows, or updates the rows with the same id. Rows must have distinct ids. */
  async function upsert(executor: Executor, table: WrittenTable, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = await columnsOf(table, executor);
    const keep: readonly string[] = WRITTEN_TABLES[table];
    const list = sql.join(columns.map((column) => sql.ref(column)));
    const updates = columns.filter((column) => column !== 'id' && !keep.includes(column)).map((column) => sql`${sql.ref(column)} = excluded.${sql.ref(column)}`);
    await sql`insert into ${sql.table(table)} (${list})
      select ${list} from json_populate_recordset(null::${sql.table(table)}, cast(${JSON.stringify(rows)} as json))
      on conflict (id) do update set ${sql.join(updates)}`.execute(executor);
  }

  return {
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work);
    },
    upsert,
    /**
     * An import transaction need not wait for its commit to reach the disk: after a crash the next
     * sync writes again whatever was lost (imports are idempotent). Other transactions are unaffected.
     */
    async relaxDurability(trx: Transaction<Database>): Promise<void> {
      await sql`set local synchronous_commit = off`.execute(trx);
    },

    /** The planner's idea of how many services there are (0 when the table was never analysed). */
    async estimatedServices(): Promise<number> {
      const { rows } = await sql<{ estimate: number }>`select greatest(reltuples, 0)::float8 as estimate from pg_class where oid = 'service'::regclass`.execute(db);
      return Number(rows[0]?.estimate ?? 0);
    },
    /**
     * Refreshes the planner's statistics of the tables an import reads by key as it writes them. A
     * first import into new tables otherwise runs on the statistics of empty ones: the provenance
     * lookup then reads every row of the source for each batch (34 ms a batch at 100,000 and growing,
     * where 3 ms will do), and autovacuum gets round to it minutes later, if at all.
     */
    async analyzeWrittenTables(): Promise<void> {
      await sql`analyze import_record, listing_version, service, location, organization`.execute(db);
    },

    // ---- sources ----
    listSources() {
      return db.selectFrom('import_source').leftJoin('organization', 'organization.id', 'import_source.default_organization_id')
        .selectAll('import_source').select('organization.name as default_organization_name').orderBy('import_source.name').execute();
    },
    findSource(id: string) {
      return db.selectFrom('import_source').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findSourceByName(name: string) {
      return db.selectFrom('import_source').selectAll().where(sql`lower(name)`, '=', name.trim().toLowerCase()).executeTakeFirst();
    },
    async insertSource(values: SourceValues, nextRunAt: Date | null, now: Date): Promise<string> {
      const row = await db.insertInto('import_source').values({ ...values, next_run_at: nextRunAt, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },
    async updateSource(id: string, values: Partial<SourceValues> & { next_run_at?: Date | null }, now: Date): Promise<void> {
      await db.updateTable('import_source').set({ ...values, updated_at: now }).where('id', '=', id).execute();
    },
    /** Enabled sources on a schedule whose next run is due. */
    dueSources(now: Date) {
      return db.selectFrom('import_source').select(['id', 'schedule_hours']).where('enabled', '=', true).where('schedule_hours', 'is not', null).where('next_run_at', '<=', now).orderBy('next_run_at').execute();
    },
    /** Is a job of this queue waiting (pending), or also running when `orRunning`? */
    async jobWaiting(queue: string, orRunning = true): Promise<boolean> {
      return Boolean(await db.selectFrom('job').select('id').where('queue', '=', queue).where('status', 'in', orRunning ? ['pending', 'running'] : ['pending']).executeTakeFirst());
    },
    organizationExists(id: string) {
      return db.selectFrom('organization').select('id').where('id', '=', id).executeTakeFirst();
    },
    organizations() {
      return db.selectFrom('organization').select(['id', 'name']).orderBy('name').limit(2000).execute();
    },

    // ---- runs ----
    async startRun(sourceId: string, now: Date): Promise<string> {
      const row = await db.insertInto('import_run').values({ source_id: sourceId, started_at: now }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },
    async finishRun(runId: string, figures: RunFigures, now: Date): Promise<void> {
      await db.updateTable('import_run').set({
        finished_at: now, status: figures.status, added: figures.added, updated: figures.updated, unchanged: figures.unchanged,
        inactivated: figures.inactivated, rejected: figures.rejected, faults: JSON.stringify(figures.faults),
        warnings: JSON.stringify(figures.warnings), unmapped_terms: JSON.stringify(figures.unmappedTerms),
      }).where('id', '=', runId).execute();
    },
    /** A run of this source still going (started in the last `withinMs`), so that two syncs never overlap. */
    runningRun(sourceId: string, since: Date) {
      return db.selectFrom('import_run').select('id').where('source_id', '=', sourceId).where('status', '=', 'running').where('started_at', '>', since).executeTakeFirst();
    },
    runsOf(sourceId: string, limit = 20) {
      return db.selectFrom('import_run').selectAll().where('source_id', '=', sourceId).orderBy('started_at', 'desc').limit(limit).execute();
    },
    findRun(runId: string) {
      return db.selectFrom('import_run').selectAll().where('id', '=', runId).executeTakeFirst();
    },
    lastRuns() {
      return db.selectFrom('import_run').selectAll().distinctOn('source_id').orderBy('source_id').orderBy('started_at', 'desc').execute();
    },
    async addRejections(runId: string, firstPosition: number, rejections: Array<{ sourceRecordId: string | null; reason: string }>): Promise<void> {
      if (rejections.length === 0) return;
      await db.insertInto('import_rejection').values(rejections.map((rejection, index) => ({
        run_id: runId, position: firstPosition + index, source_record_id: rejection.sourceRecordId?.slice(0, 500) ?? null, reason: rejection.reason.slice(0, 2000),
      }))).execute();
    },
    rejectionsOf(runId: string, limit = 500) {
      return db.selectFrom('import_rejection').select(['position', 'source_record_id', 'reason']).where('run_id', '=', runId).orderBy('position').limit(limit).execute();
    },

    // ---- provenance and ids ----
    /** This source's provenance rows for these source ids of one kind. */
    async records(sourceId: string, kind: ImportRecordKind, sourceRecordIds: string[]) {
      if (sourceRecordIds.length === 0) return [];
      return db.selectFrom('import_record').select(['source_record_id', 'record_id', 'content_hash']).where('source_id', '=', sourceId).where('kind', '=', kind).where('source_record_id', '=', anyOf(sourceRecordIds, 'text')).execute();
    },
    /** Which of these ids are already ours or another source's, so that an import must not take them. */
    async takenIds(sourceId: string, kind: ImportRecordKind, ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      // A row this source already owns is not in the first list but is in the second: the caller only asks about ids it has no record of.
      // Two statements, not one UNION ALL: PostgreSQL planned the union as a parallel query once the
      // tables grew, and starting its workers took 60-80 ms of each 500-service batch.
      const [others, ours] = await Promise.all([
        db.selectFrom('import_record').select('record_id as id').where('kind', '=', kind).where('record_id', '=', anyOf(ids, 'uuid')).where('source_id', '<>', sourceId).execute(),
        db.selectFrom(kind).select('id').where('id', '=', anyOf(ids, 'uuid')).execute(),
      ]);
      return new Set([...others, ...ours].map((row) => row.id));
    },
    async existingOrganizations(ids: string[], executor: Executor = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await executor.selectFrom('organization').select('id').where('id', '=', anyOf(ids, 'uuid')).execute();
      return new Set(rows.map((row) => row.id));
    },
    async existingLocations(ids: string[], executor: Executor = db): Promise<string[]> {
      if (ids.length === 0) return [];
      return (await executor.selectFrom('location').select('id').where('id', '=', anyOf(ids, 'uuid')).execute()).map((row) => row.id);
    },
    async recordProvenance(executor: Executor, rows: Array<{ source_id: string; kind: ImportRecordKind; source_record_id: string; record_id: string; content_hash: string; last_seen_run_id: string }>): Promise<void> {
      if (rows.length === 0) return;
      await sql`insert into import_record (source_id, kind, source_record_id, record_id, content_hash, last_seen_run_id)
        select source_id, kind, source_record_id, record_id, content_hash, last_seen_run_id
        from json_populate_recordset(null::import_record, cast(${JSON.stringify(rows)} as json))
        on conflict (source_id, kind, source_record_id) do update
        set record_id = excluded.record_id, content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id`.execute(executor);
    },
    async markSeen(sourceId: string, runId: string, kind: ImportRecordKind, sourceRecordIds: string[]): Promise<void> {
      if (sourceRecordIds.length === 0) return;
      await db.updateTable('import_record').set({ last_seen_run_id: runId }).where('source_id', '=', sourceId).where('kind', '=', kind).where('source_record_id', '=', anyOf(sourceRecordIds, 'text')).execute();
    },

    /** Services as they are now, for versions and moderation: the fields people edit, and status. */
    async currentServices(ids: string[], executor: Executor = db) {
      if (ids.length === 0) return [];
      return executor.selectFrom('service').select(['id', 'organization_id', 'name', 'summary', 'description', 'email', 'url', 'status']).where('id', '=', anyOf(ids, 'uuid')).execute();
    },
    /** The highest version and highest published version of each service. */
    async versions(ids: string[], executor: Executor = db) {
      if (ids.length === 0) return [];
      const { rows } = await sql<{ record_id: string; top: number; published: number | null }>`
        select record_id, max(version) as top, max(version) filter (where status = 'published') as published
        from listing_version where record_kind = 'service' and record_id = ${anyOf(ids, 'uuid')} group by record_id`.execute(executor);
      return rows;
    },
    /** New listing versions (snapshot and diff as objects), as one JSON parameter like the rows above. */
    async insertVersions(executor: Executor, rows: Array<Record<string, unknown>>): Promise<void> {
      if (rows.length === 0) return;
      await sql`insert into listing_version (${sql.join(VERSION_COLUMNS.map((column) => sql.ref(column)))})
        select ${sql.join(VERSION_COLUMNS.map((column) => sql.ref(column)))}
        from json_populate_recordset(null::listing_version, cast(${JSON.stringify(rows)} as json))`.execute(executor);
    },

    /** Removes what a service's record nests (it is written again whole): cascades take their phones and languages. */
    async clearServiceChildren(executor: Executor, serviceIds: string[]): Promise<void> {
      if (serviceIds.length === 0) return;
      await executor.deleteFrom('service_at_location').where('service_id', '=', anyOf(serviceIds, 'uuid')).execute();
      await executor.deleteFrom('contact').where('service_id', '=', anyOf(serviceIds, 'uuid')).execute();
      await executor.deleteFrom('phone').where('service_id', '=', anyOf(serviceIds, 'uuid')).execute();
      for (const table of ['language', 'schedule', 'service_area', 'cost_option', 'attribute'] as const) {
        await executor.deleteFrom(table).where('service_id', '=', anyOf(serviceIds, 'uuid')).execute();
      }
    },
    async clearLocationChildren(executor: Executor, locationIds: string[]): Promise<void> {
      if (locationIds.length === 0) return;
      for (const table of ['address', 'contact', 'phone', 'language', 'schedule', 'attribute'] as const) {
        await executor.deleteFrom(table).where('location_id', '=', anyOf(locationIds, 'uuid')).execute();
      }
    },
    async clearOrganizationAttributes(executor: Executor, organizationIds: string[]): Promise<void> {
      if (organizationIds.length === 0) return;
      await executor.deleteFrom('attribute').where('organization_id', '=', anyOf(organizationIds, 'uuid')).execute();
    },
    /**
     * After a complete run: this source's services it did not see become inactive (never deleted), and
     * forget their hash so that one coming back is written again.
     */
    async inactivateUnseen(sourceId: string, runId: string, now: Date): Promise<string[]> {
      return db.transaction().execute(async (trx) => {
        const unseen = trx.selectFrom('import_record').select('record_id').where('source_id', '=', sourceId).where('kind', '=', 'service')
          .where((eb) => eb.or([eb('last_seen_run_id', 'is', null), eb('last_seen_run_id', '<>', runId)]));
        const changed = await trx.updateTable('service').set({ status: 'inactive', updated_at: now }).where('id', 'in', unseen).where('status', '<>', 'inactive').returning('id').execute();
        await trx.updateTable('import_record').set({ content_hash: '' }).where('source_id', '=', sourceId).where('kind', '=', 'service')
          .where((eb) => eb.or([eb('last_seen_run_id', 'is', null), eb('last_seen_run_id', '<>', runId)])).execute();
        return changed.map((row) => row.id);
      });
    },

    // ---- reference data for the mapping ----
    ourTerms() {
      return db.selectFrom('taxonomy_term').select(['id', 'taxonomy_id', 'code']).execute();
    },
    councilAreas() {
      return db.selectFrom('council_area').select(['code', 'name', 'partnership_name', 'health_board_name']).execute();
    },
  };
}

export type ImportRepository = ReturnType<typeof createImportRepository>;
