import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { insertSmallDirectory } from '../directory/testing/fixtures.ts';
import { createSearchRepository } from './repository.ts';
import { SearchSync } from './sync.ts';

describeOnEachEngine('keeping the search index in step', (database, engine) => {
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
    await sql`update service set name = 'Carers support, renamed', updated_at = now() where id = ${ids.carersServiceId}`.execute(database().db);
    assert.equal(await sync.refresh(), 1);
    assert.equal(await sync.refresh(), 0, 'the same change is not reloaded at every poll');
    const outcome = sync.current.search({ text: 'renamed', today: '2026-11-24' });
    assert.deepEqual(outcome.hits.map((hit) => hit.id), [ids.carersServiceId]);
  });

  test('a change is found whatever time its rows carry: after one stamped in the future, one stamped in the past', async () => {
    await sync.refresh();
    // A feed's last_modified becomes the service's updated_at: a date in 2030 is not "the newest change".
    await sql`update service set name = 'Helpline from the future', updated_at = '2030-01-01T00:00:00Z' where id = ${ids.helplineId}`.execute(database().db);
    assert.equal(await sync.refresh(), 1);
    await sql`update service set name = 'Carers support from the past', updated_at = '2001-01-01T00:00:00Z' where id = ${ids.carersServiceId}`.execute(database().db);
    assert.equal(await sync.refresh(), 1);
    assert.deepEqual(sync.current.search({ text: 'past', today: '2026-11-24' }).hits.map((hit) => hit.id), [ids.carersServiceId]);
  });

  test('a transaction that commits after a later one was seen is still found', { skip: engine === 'pglite' ? 'PGlite has one connection: no concurrent transactions' : false }, async () => {
    const db = database().db;
    await sync.refresh();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const writtenPromise = new Promise<void>((resolve) => (written = resolve));
    // The slow writer stamps its change first, and commits last.
    const slow = db.transaction().execute(async (trx) => {
      await sql`update service set name = 'Carers support, slow writer', updated_at = now() where id = ${ids.carersServiceId}`.execute(trx);
      written();
      await held;
    });
    try {
      await writtenPromise;
      await sql`update service set name = 'Helpline, quick writer', updated_at = now() + interval '1 minute' where id = ${ids.helplineId}`.execute(db);
      assert.equal(await sync.refresh(), 1, 'the quick writer is seen');
    } finally {
      release();
      await slow;
    }
    assert.equal(await sync.refresh(), 1, 'and the slow one once it commits');
    assert.deepEqual(sync.current.search({ text: 'slow writer', today: '2026-11-24' }).hits.map((hit) => hit.id), [ids.carersServiceId]);
  });

  test('a poll when nothing was written asks one cheap question; a deleted service is still noticed', async () => {
    await sync.refresh();
    calls.clear();
    assert.equal(await sync.refresh(), 0);
    assert.deepEqual([...calls.keys()], ['changesSince'], 'no scan of the services when the directory is unchanged');
    assert.ok(sync.current.has(ids.helplineId));
    await database().db.deleteFrom('service').where('id', '=', ids.helplineId).execute();
    await sync.refresh();
    assert.equal(sync.current.has(ids.helplineId), false, 'a service deleted outright leaves the index');
  });

  test('snapshots are read whole: several transactions in progress, and a move to the next epoch of ids', async () => {
    const repository = createSearchRepository(database().db, { reviewIntervalMonths: 6 });
    const { snapshot } = await repository.changesSince(null);
    const [xmin, xmax] = snapshot.split(':').map(Number) as [number, number];
    // As if two transactions had been running at the earlier snapshot: their rows (none here) would be found.
    const running = `${xmin}:${xmax + 2}:${xmax},${xmax + 1}`;
    assert.ok(Array.isArray(await repository.writtenSince(running, snapshot)));
    assert.equal((await repository.changesSince(running)).changed, false, 'nothing of theirs in the change log');
    assert.equal(await repository.writtenSince('4294967290:4294967290:', '4294967300:4294967300:'), undefined, 'ids of another epoch: reload everything');
  });
});
