import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { insertSmallDirectory } from '../directory/testing/fixtures.ts';
import { createSearchRepository } from './repository.ts';
import { SearchSync } from './sync.ts';

describeOnEachEngine('keeping the search index in step', (database) => {
  let ids: Awaited<ReturnType<typeof insertSmallDirectory>>;
  let sync: SearchSync;
  before(async () => {
    ids = await insertSmallDirectory(database().db);
    sync = new SearchSync({ repository: createSearchRepository(database().db, { reviewIntervalMonths: 6 }), clock: fixedClock('2026-11-24T10:00:00Z') });
    await sync.loadAll();
  });

  test('a poll after a change reloads that service once, and a quiet poll reloads nothing', async () => {
    assert.equal(await sync.refresh(), 0, 'nothing changed since the load');
    // A change stamped with microseconds, which a JavaScript Date cannot hold.
    await sql`update service set name = 'Carers support, renamed', updated_at = now() + interval '1 second' + interval '123 microseconds' where id = ${ids.carersServiceId}`.execute(database().db);
    assert.equal(await sync.refresh(), 1);
    assert.equal(await sync.refresh(), 0, 'the same change is not reloaded at every poll');
    const outcome = sync.current.search({ text: 'renamed', today: '2026-11-24' });
    assert.deepEqual(outcome.hits.map((hit) => hit.id), [ids.carersServiceId]);
  });
});
