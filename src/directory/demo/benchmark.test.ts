import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { TAXONOMIES } from '../../platform/db/migrations/0002_reference_data.ts';
import type { Progress } from '../../platform/progress.ts';
import { describeOnEachEngine } from '../../platform/testing/databases.ts';
import {
  BENCHMARK_VOCABULARY,
  BENCHMARK_VOCABULARY_SHARES,
  BenchmarkDataExistsError,
  benchmarkVocabularyFor,
  buildBenchmarkBatch,
  generateBenchmarkServices,
} from './benchmark.ts';

const REFERENCE_DAY = Date.UTC(2026, 0, 15);
const WORDS = Object.entries(BENCHMARK_VOCABULARY) as Array<[keyof typeof BENCHMARK_VOCABULARY, string]>;
/** Stems, so "friendships" or "allotments" elsewhere would count as a match too. */
const STEMS: Record<keyof typeof BENCHMARK_VOCABULARY, RegExp> = { rare: /beekeep/i, medium: /allot/i, common: /friendship/i };

describe('benchmark rows', () => {
  const size = 40_000;
  const batch = buildBenchmarkBatch(7, 0, size, REFERENCE_DAY);

  test('each vocabulary word is in exactly the services chosen for it, in about the documented share', () => {
    for (const [key, word] of WORDS) {
      assert.match(word, STEMS[key]);
      let found = 0;
      for (let index = 0; index < size; index++) {
        const text = `${batch.service.name[index]} ${batch.service.summary[index]} ${batch.service.description[index]}`;
        const has = STEMS[key].test(text);
        assert.equal(has, benchmarkVocabularyFor(7, index)[key], `service ${index} and "${word}"`);
        if (has) found++;
      }
      const share = found / size;
      const expected = BENCHMARK_VOCABULARY_SHARES[key];
      assert.ok(Math.abs(share - expected) < expected * 0.25, `"${word}" in ${(share * 100).toFixed(2)}% of services`);
    }
    for (const name of batch.organization.name) for (const [key] of WORDS) assert.doesNotMatch(name, STEMS[key]);
    const termNames = TAXONOMIES.flatMap((taxonomy) => taxonomy.terms.flatMap(([, name, children]) => [name, ...(children ?? []).map(([, child]) => child)]));
    for (const name of termNames) for (const [key] of WORDS) assert.doesNotMatch(name, STEMS[key]);
  });

  test('rows do not depend on the batch size, and repeat for the same seed', () => {
    const first = buildBenchmarkBatch(7, 0, 1000, REFERENCE_DAY);
    const a = buildBenchmarkBatch(7, 0, 400, REFERENCE_DAY);
    const b = buildBenchmarkBatch(7, 400, 1000, REFERENCE_DAY);
    assert.deepEqual([...a.service.description, ...b.service.description], first.service.description);
    assert.deepEqual([...a.service.id, ...b.service.id], first.service.id);
    assert.deepEqual([...a.organization.id, ...b.organization.id], first.organization.id);
    assert.deepEqual([...a.attribute.id, ...b.attribute.id], first.attribute.id);
    assert.deepEqual(buildBenchmarkBatch(7, 0, 1000, REFERENCE_DAY), first);
    assert.notDeepEqual(buildBenchmarkBatch(8, 0, 1000, REFERENCE_DAY).service.name, first.service.name);
  });

  test('has an organisation for every four services and a place for every service', () => {
    assert.equal(batch.organization.id.length, size / 4);
    assert.equal(batch.location.id.length + batch.service_area.id.length, size);
    assert.equal(batch.service_at_location.id.length, batch.location.id.length);
    assert.ok(batch.service_area.id.length > size * 0.05 && batch.service_area.id.length < size * 0.11);
    assert.ok(batch.attribute.id.length >= size * 2);
    assert.equal(new Set(batch.service.id).size, size);
    assert.equal(new Set(batch.attribute.id).size, batch.attribute.id.length);
  });
});

function countingProgress(): Progress & { counted: number; stopped: boolean } {
  const progress = {
    counted: 0,
    stopped: false,
    increment(by = 1) {
      progress.counted += by;
    },
    setTotal() {},
    stop() {
      progress.stopped = true;
    },
  };
  return progress;
}

describeOnEachEngine('benchmark mode', (database) => {
  test('adds services with organisations, places and attributes, in batches', async () => {
    const { db } = database();
    const progress = countingProgress();
    const summary = await generateBenchmarkServices(db, { count: 2002, seed: 11, batchSize: 500, referenceDate: new Date('2026-01-15'), progress });
    assert.equal(progress.counted, 2002);
    assert.ok(progress.stopped);
    const { rows } = await sql<Record<string, number>>`
      select (select count(*) from service) as services,
             (select count(*) from organization) as organizations,
             (select count(*) from location) as locations,
             (select count(*) from service_at_location) as links,
             (select count(*) from service_area) as areas,
             (select count(*) from attribute) as attributes,
             (select count(*) from service s where not exists (select 1 from service_at_location l where l.service_id = s.id)
                                               and not exists (select 1 from service_area a where a.service_id = s.id)) as placeless`.execute(db);
    const counts = rows[0]!;
    assert.equal(counts.services, 2002);
    assert.equal(counts.organizations, 501);
    assert.equal(counts.locations, summary.locations);
    assert.equal(counts.links, summary.locations);
    assert.equal(counts.areas, summary.serviceAreas);
    assert.equal(counts.attributes, summary.attributes);
    assert.equal(counts.placeless, 0);
  });

  test('refuses to add the same seed twice', async () => {
    await assert.rejects(generateBenchmarkServices(database().db, { count: 10, seed: 11 }), BenchmarkDataExistsError);
  });

  test('rejects counts outside 1 to 1,000,000', async () => {
    await assert.rejects(generateBenchmarkServices(database().db, { count: 0, seed: 12 }), RangeError);
    await assert.rejects(generateBenchmarkServices(database().db, { count: 1_000_001, seed: 12 }), RangeError);
  });
});
