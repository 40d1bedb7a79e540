import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { Progress } from '../../platform/progress.ts';
import {
  DEFAULT_DEMO_SEED,
  DEMO_TABLES_IN_INSERT_ORDER,
  generateDemoDirectory,
  type DemoDirectory,
  type DemoTableName,
} from './generator.ts';

export interface DemoLoadOptions {
  seed: number;
  /** "Today" for the directory's review dates and timestamps. */
  referenceDate: Date;
  /** Given the total number of rows, told about each insert, and stopped at the end. */
  progress?: Progress;
}

export interface DemoLoadSummary {
  /** Rows generated per table. */
  generated: Record<DemoTableName, number>;
  /** Rows actually added: fewer than generated when an earlier, interrupted load had added some. */
  inserted: number;
  seconds: number;
}

/**
 * About this many services' worth of rows go in one transaction. PGlite serves every request over
 * one connection, so a transaction must stay short for the app to keep answering while it seeds.
 */
const SERVICES_PER_TRANSACTION = 250;
/** Rows per INSERT statement, sent as one JSON document. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Writes the demo directory. Each transaction holds a group of whole organisations with everything
 * that hangs off them, in foreign-key order, so the directory is consistent after every commit even
 * while the app is serving searches. Rows whose id is already present are skipped, so a load that
 * was interrupted can simply be run again with the same seed.
 */
export async function loadDemoDirectory(db: Kysely<Database>, options: DemoLoadOptions): Promise<DemoLoadSummary> {
  const started = performance.now();
  const directory = generateDemoDirectory({ seed: options.seed, referenceDate: options.referenceDate });
  const generated = Object.fromEntries(
    DEMO_TABLES_IN_INSERT_ORDER.map((table) => [table, directory[table].length]),
  ) as Record<DemoTableName, number>;
  options.progress?.setTotal(Object.values(generated).reduce((sum, count) => sum + count, 0));

  let inserted = 0;
  try {
    for (const group of groupByOrganisation(directory, SERVICES_PER_TRANSACTION)) {
      await db.transaction().execute(async (trx) => {
        for (const table of DEMO_TABLES_IN_INSERT_ORDER) {
          const rows = group[table];
          for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
            const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
            inserted += await insertRows(trx, table, chunk);
            options.progress?.increment(chunk.length);
          }
        }
      });
    }
  } finally {
    options.progress?.stop();
  }
  return { generated, inserted, seconds: (performance.now() - started) / 1000 };
}

/**
 * Inserts rows as one JSON parameter expanded by json_populate_recordset: on PGlite this is about
 * twice as fast as a multi-row VALUES list with a bind parameter per cell, and it is the same
 * statement for every table. Columns a row leaves out get their defaults; rows whose id (or other
 * unique key) is already present are skipped. Returns how many rows were added.
 */
async function insertRows(trx: Transaction<Database>, table: DemoTableName, rows: readonly object[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].map((column) => sql.ref(column));
  const result = await sql`
    insert into ${sql.table(table)} (${sql.join(columns)})
    select ${sql.join(columns)} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)})
    on conflict do nothing`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Loads the demo directory into a database that has no organisations yet: what the app does on its
 * first start. Returns null, and touches nothing, when there is already data.
 */
export async function seedDemoDataIfEmpty(
  db: Kysely<Database>,
  options: Partial<DemoLoadOptions> = {},
): Promise<DemoLoadSummary | null> {
  const existing = await db.selectFrom('organization').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  return loadDemoDirectory(db, {
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    referenceDate: options.referenceDate ?? new Date(),
    ...(options.progress ? { progress: options.progress } : {}),
  });
}

/**
 * Splits the directory into groups of whole organisations, each holding at least `servicesPerGroup`
 * services (the last may hold fewer), with every row that belongs to them.
 */
export function groupByOrganisation(directory: DemoDirectory, servicesPerGroup: number): DemoDirectory[] {
  const groupOfOrganisation = new Map<string, number>();
  const servicesPerOrganisation = new Map<string, number>();
  for (const service of directory.service) {
    servicesPerOrganisation.set(service.organization_id, (servicesPerOrganisation.get(service.organization_id) ?? 0) + 1);
  }
  let group = 0;
  let servicesInGroup = 0;
  for (const organisation of directory.organization) {
    groupOfOrganisation.set(organisation.id, group);
    servicesInGroup += servicesPerOrganisation.get(organisation.id) ?? 0;
    if (servicesInGroup >= servicesPerGroup) {
      group++;
      servicesInGroup = 0;
    }
  }
  const groupCount = servicesInGroup > 0 || group === 0 ? group + 1 : group;
  const groups: DemoDirectory[] = Array.from({ length: groupCount }, () => emptyDirectory());

  const groupOf = (organisationId: string | null | undefined): number => {
    const found = organisationId ? groupOfOrganisation.get(organisationId) : undefined;
    if (found === undefined) throw new Error(`Demo row belongs to no known organisation (${organisationId})`);
    return found;
  };
  const organisationOfService = new Map(directory.service.map((row) => [row.id, row.organization_id]));
  const organisationOfLocation = new Map(directory.location.map((row) => [row.id, row.organization_id]));
  const viaService = (serviceId: string | null | undefined) => groupOf(serviceId ? organisationOfService.get(serviceId) : undefined);
  const viaLocation = (locationId: string | null | undefined) => groupOf(locationId ? organisationOfLocation.get(locationId) : undefined);
  const viaOwner = (row: { organization_id?: string | null; service_id?: string | null; location_id?: string | null }) =>
    row.organization_id ? groupOf(row.organization_id) : row.service_id ? viaService(row.service_id) : viaLocation(row.location_id);

  for (const row of directory.organization) groups[groupOf(row.id)]!.organization.push(row);
  for (const row of directory.location) groups[groupOf(row.organization_id)]!.location.push(row);
  for (const row of directory.address) groups[viaLocation(row.location_id)]!.address.push(row);
  for (const row of directory.service) groups[groupOf(row.organization_id)]!.service.push(row);
  for (const row of directory.service_at_location) groups[viaService(row.service_id)]!.service_at_location.push(row);
  for (const row of directory.contact) groups[viaOwner(row)]!.contact.push(row);
  for (const row of directory.phone) groups[viaOwner(row)]!.phone.push(row);
  for (const row of directory.schedule) groups[viaOwner(row)]!.schedule.push(row);
  for (const row of directory.attribute) groups[viaOwner(row)]!.attribute.push(row);
  for (const row of directory.service_area) groups[viaService(row.service_id)]!.service_area.push(row);
  for (const row of directory.cost_option) groups[viaService(row.service_id)]!.cost_option.push(row);
  for (const row of directory.language) groups[viaOwner(row)]!.language.push(row);
  for (const row of directory.url) groups[viaOwner(row)]!.url.push(row);
  return groups;
}

function emptyDirectory(): DemoDirectory {
  return {
    organization: [], location: [], address: [], service: [], service_at_location: [], contact: [], phone: [],
    schedule: [], attribute: [], service_area: [], cost_option: [], language: [], url: [],
  };
}
