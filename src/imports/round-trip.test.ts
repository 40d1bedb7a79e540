import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { createTestDatabase, describeOnEachEngine, type TestDatabase } from '../platform/testing/databases.ts';
import { exportImportExport } from '../openreferral/testing/round-trip.ts';
import { createImporter } from './importer.ts';
import { createImportRepository } from './repository.ts';
import { readDataPackageFeed } from './readers.ts';

// Issue 9 item 4: export → import into an empty database → export again gives identical files, on the
// demo directory (about 2,200 services), through the HSDS data package.
describeOnEachEngine('export, import into an empty database, export again', (database, engine) => {
  let demo: TestDatabase;
  before(async () => {
    demo = await createTestDatabase(engine, { demo: true });
  });
  after(async () => demo?.close());

  test('gives the same NDJSON and the same data package, byte for byte', async () => {
    const clock = fixedClock('2026-11-24T09:00:00Z');
    let imported = 0;
    const { first, second } = await exportImportExport(demo.db, database().db, async (zipFile, into) => {
      const repository = createImportRepository(into);
      const sourceId = await repository.insertSource({ name: 'Our own export', kind: 'file', location: zipFile, schedule_hours: null, default_organization_id: null, needs_moderation: false, taxonomy_mapping: '', enabled: true }, null, clock.now());
      const feed = readDataPackageFeed(zipFile);
      const report = await createImporter({ repository, clock }).importServices((await repository.findSource(sourceId))!, feed.items, { isComplete: feed.isComplete, faults: feed.faults });
      assert.deepEqual(report.rejected, []);
      assert.deepEqual(report.unmappedTerms, []);
      assert.equal(report.status, 'completed');
      imported = report.added;
    });
    assert.ok(imported > 2000, `${imported} services imported`);
    assert.ok(first.ndjson.length > 1_000_000);
    assert.equal(second.ndjson, first.ndjson, 'the NDJSON export is the same');
    assert.ok(second.zip.equals(first.zip), 'the data package is the same, byte for byte');
  });
});
