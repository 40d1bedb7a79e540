import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { Progress } from '../../platform/progress.ts';
import { describeOnEachEngine } from '../../platform/testing/databases.ts';
import { DEMO_TABLES_IN_INSERT_ORDER, generateDemoDirectory, type DemoTableName } from './generator.ts';
import { groupByOrganisation, loadDemoDirectory, seedDemoDataIfEmpty } from './load.ts';

const SEED = 42;
const REFERENCE_DATE = new Date('2026-01-15T12:00:00Z');
const expected = generateDemoDirectory({ seed: SEED, referenceDate: REFERENCE_DATE });
const expectedTotal = DEMO_TABLES_IN_INSERT_ORDER.reduce((sum, table) => sum + expected[table].length, 0);

async function countRows(db: Kysely<Database>): Promise<Record<DemoTableName, number>> {
  const counts = {} as Record<DemoTableName, number>;
  for (const table of DEMO_TABLES_IN_INSERT_ORDER) {
    const { rows } = await sql<{ count: number }>`select count(*) as count from ${sql.table(table)}`.execute(db);
    counts[table] = Number(rows[0]!.count);
  }
  return counts;
}

describe('grouping the demo directory into transactions', () => {
  test('puts every row in exactly one group, with whatever it references', () => {
    const groups = groupByOrganisation(expected, 250);
    assert.ok(groups.length > 5);
    for (const table of DEMO_TABLES_IN_INSERT_ORDER) {
      assert.equal(groups.reduce((sum, group) => sum + group[table].length, 0), expected[table].length, table);
    }
    for (const group of groups) {
      const organisations = new Set(group.organization.map((row) => row.id));
      const services = new Set(group.service.map((row) => row.id));
      const locations = new Set(group.location.map((row) => row.id));
      assert.ok(group.service.every((row) => organisations.has(row.organization_id)));
      assert.ok(group.service_at_location.every((row) => services.has(row.service_id) && locations.has(row.location_id)));
      assert.ok(group.address.every((row) => locations.has(row.location_id)));
      assert.ok(group.attribute.every((row) => (row.service_id ? services.has(row.service_id) : locations.has(row.location_id!))));
    }
  });
});

describeOnEachEngine('loading the demo directory', (database) => {
  test('seeds an empty database with every generated row', async () => {
    const { db } = database();
    const progress = { total: 0, counted: 0, stopped: false } as { total: number; counted: number; stopped: boolean };
    const reporter: Progress = {
      increment: (by = 1) => void (progress.counted += by),
      setTotal: (total) => void (progress.total = total),
      stop: () => void (progress.stopped = true),
    };
    const summary = await seedDemoDataIfEmpty(db, { seed: SEED, referenceDate: REFERENCE_DATE, progress: reporter });
    assert.ok(summary, 'the empty database was seeded');
    assert.equal(summary.inserted, expectedTotal);
    assert.deepEqual({ ...progress }, { total: expectedTotal, counted: expectedTotal, stopped: true });
    const counts = await countRows(db);
    for (const table of DEMO_TABLES_IN_INSERT_ORDER) assert.equal(counts[table], expected[table].length, table);
  });

  test('leaves a consistent directory: every service placed, every location addressed, helplines without a base', async () => {
    const { db } = database();
    const { rows } = await sql<Record<string, number>>`
      select
        (select count(*) from service s
          where not exists (select 1 from service_at_location l where l.service_id = s.id)
            and not exists (select 1 from service_area a where a.service_id = s.id)) as placeless,
        (select count(*) from location l where not exists (select 1 from address a where a.location_id = l.id)) as unaddressed,
        (select count(*) from location where council_area_code is null) as without_area,
        (select count(*) from service_at_location sal join service s on s.id = sal.service_id join location l on l.id = sal.location_id
          where l.organization_id <> s.organization_id) as borrowed_locations,
        (select count(distinct sa.service_id) from service_area sa where sa.area_type in ('scotland', 'uk')
          and not exists (select 1 from service_at_location l where l.service_id = sa.service_id)) as national_without_base,
        (select count(distinct l.council_area_code) from location l) as council_areas,
        (select count(*) from attribute a join taxonomy_term t on t.id = a.taxonomy_term_id) as attributes_with_terms,
        (select count(*) from attribute) as attributes`.execute(db);
    const result = rows[0]!;
    assert.equal(result.placeless, 0);
    assert.equal(result.unaddressed, 0);
    assert.equal(result.without_area, 0);
    assert.equal(result.borrowed_locations, 0);
    assert.ok(result.national_without_base! >= 20);
    assert.equal(result.council_areas, 32);
    assert.equal(result.attributes_with_terms, result.attributes);
  });

  test('stores dates, times, arrays and prices as the app reads them back', async () => {
    const { db } = database();
    const service = await db.selectFrom('service').selectAll().where('id', '=', expected.service[0]!.id).executeTakeFirstOrThrow();
    const source = expected.service[0]!;
    assert.equal(service.name, source.name);
    assert.equal(service.last_reviewed_at, source.last_reviewed_at);
    assert.deepEqual(service.access_routes, source.access_routes);
    assert.equal(service.created_at.toISOString(), source.created_at);
    const schedule = await db.selectFrom('schedule').selectAll().where('id', '=', expected.schedule[0]!.id).executeTakeFirstOrThrow();
    assert.equal(schedule.opens_at, `${expected.schedule[0]!.opens_at}:00`);
    const cost = await db.selectFrom('cost_option').selectAll().where('id', '=', expected.cost_option[0]!.id).executeTakeFirstOrThrow();
    assert.equal(cost.amount, expected.cost_option[0]!.amount);
  });

  test('does nothing the second time, and a repeated load adds no duplicates', async () => {
    const { db } = database();
    const before = await countRows(db);
    assert.equal(await seedDemoDataIfEmpty(db, { seed: SEED, referenceDate: REFERENCE_DATE }), null);
    const again = await loadDemoDirectory(db, { seed: SEED, referenceDate: REFERENCE_DATE });
    assert.equal(again.inserted, 0);
    assert.deepEqual(await countRows(db), before);
  });
});
