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
  /** How many times each repository method was called, to see what a poll asks the database. */
  const calls = new Map<string, number>();
  before(async () => {
    ids = await insertSmallDirectory(database().db);
    const repository = createSearchRepository(database().db, { reviewIntervalMonths: 6 });
    const counted = new Proxy(repository, {
      get(target, name: string) {
        const value = target[name as keyof typeof target];
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.set(name, (calls.get(name) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    sync = new SearchSync({ repository: counted, clock: fixedClock('2026-11-24T10:00:00Z') });
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

  test('a poll when nothing was written asks one cheap question; a deleted service is still noticed', async () => {
    await sync.refresh();
    calls.clear();
    assert.equal(await sync.refresh(), 0);
    assert.deepEqual([...calls.keys()], ['directoryChangeMark'], 'no scan of the services when the directory is unchanged');
    assert.ok(sync.current.has(ids.helplineId));
    await database().db.deleteFrom('service').where('id', '=', ids.helplineId).execute();
    await sync.refresh();
    assert.equal(sync.current.has(ids.helplineId), false, 'a service deleted outright leaves the index');
  });
});
