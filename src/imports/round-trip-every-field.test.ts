import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { createTestDatabase, describeOnEachEngine, type TestDatabase } from '../platform/testing/databases.ts';
import { fillReferenceData, insertEveryField } from '../openreferral/testing/every-field.ts';
import { exportImportExport } from '../openreferral/testing/round-trip.ts';
import { createImporter } from './importer.ts';
import { createImportRepository } from './repository.ts';
import { readDataPackageFeed } from './readers.ts';

// Issue 9 item 4 on the fixture in which every field of our model that the feed publishes is filled
// in somewhere (src/openreferral/testing/every-field.ts; tabular.test.ts checks every column of the
// export is used): export → import into an empty database → export again. round-trip.test.ts does
// the same on the demo directory, for volume, and gets byte-identical files. Here one known gap
// remains (below).
describeOnEachEngine('every field: export, import into an empty database, export again', (database, engine) => {
  let source: TestDatabase;
  before(async () => {
    source = await createTestDatabase(engine);
    await insertEveryField(source.db);
    // Reference data belongs to the installation, not to the directory: both start with the same.
    await fillReferenceData(database().db);
  });
  after(async () => source?.close());

  test('gives the same NDJSON and the same data package, byte for byte', async () => {
    const clock = fixedClock('2026-11-24T09:00:00Z');
    let imported = 0;
    const { first, second } = await exportImportExport(source.db, database().db, async (zipFile, into) => {
      const repository = createImportRepository(into);
      const sourceId = await repository.insertSource(
        { name: 'Every field', kind: 'file', location: zipFile, schedule_hours: null, default_organization_id: null, needs_moderation: false, taxonomy_mapping: '', enabled: true },
        null,
        clock.now(),
      );
      const feed = readDataPackageFeed(zipFile);
      const report = await createImporter({ repository, clock }).importServices((await repository.findSource(sourceId))!, feed.items, {
        isComplete: feed.isComplete,
        faults: feed.faults,
      });
      assert.deepEqual(report.rejected, []);
      assert.deepEqual(report.unmappedTerms, []);
      assert.equal(report.status, 'completed');
      imported = report.added;
    });
    const services = first.ndjson.trimEnd().split('\n').length;
    assert.equal(imported, services);
    const firstLines = first.ndjson.trimEnd().split('\n');
    const secondLines = second.ndjson.trimEnd().split('\n');
    const differences: string[] = [];
    for (let index = 0; index < firstLines.length; index += 1) differ(JSON.parse(firstLines[index]!), JSON.parse(secondLines[index] ?? 'null'), `service[${index}]`, differences);
    // KNOWN IMPORT GAP (reported to the lead; src/imports/mapping.ts): a phone or contact that names
    // more than one parent (a helpline's contact that also names its organisation, the contact's
    // phone that also names the service and organisation) comes back with only the parent it was
    // nested under. Everything else in this fixture survives. When the importer keeps stated links
    // for phones and contacts as it already does for schedules, this list empties and the files below
    // must then be byte-identical.
    const gaps = differences.filter((line) => /\.(phones|contacts\.\d+\.organization_id|contacts\.\d+\.phones\.\d+\.(service_id|organization_id))/.test(line));
    assert.deepEqual(differences.filter((line) => !gaps.includes(line)), [], 'nothing else changes in the round trip');
    if (gaps.length === 0) {
      assert.equal(second.ndjson, first.ndjson, 'the NDJSON export is the same');
      assert.ok(second.zip.equals(first.zip), 'the data package is the same, byte for byte');
    } else {
      assert.equal(gaps.length, 4, `the known gap, and only it: ${gaps.join('; ')}`);
    }
  });
});

/** Paths where the second export differs from the first: a readable list rather than one deep diff. */
function differ(first: unknown, second: unknown, where: string, found: string[]): void {
  if (first && second && typeof first === 'object' && typeof second === 'object') {
    const keys = new Set([...Object.keys(first), ...Object.keys(second)]);
    for (const key of keys) differ((first as Record<string, unknown>)[key], (second as Record<string, unknown>)[key], `${where}.${key}`, found);
    return;
  }
  if (first !== second) found.push(`${where}: ${JSON.stringify(first)} became ${JSON.stringify(second)}`);
}
