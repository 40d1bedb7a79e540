import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { createListingCache, createOpenReferralRepository } from './repository.ts';

const window = { limit: 1000, offset: 0 };

describeOnEachEngine('Open Referral listings kept between requests', (database, engine) => {
  test('a change committed by another transaction is seen on the next request, never cached as if older', { skip: engine === 'pglite' ? 'PGlite has one connection: no concurrent transactions' : false }, async () => {
    const db = database().db;
    const repository = createOpenReferralRepository(db);
    const organization = await db.insertInto('organization').values({ name: 'Concurrent Trust' }).returning('id').executeTakeFirstOrThrow();
    const before = (await repository.servicePage({}, window)).total;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedPromise = new Promise<void>((resolve) => (inserted = resolve));
    const writer = db.transaction().execute(async (trx) => {
      await trx.insertInto('service').values({ organization_id: organization.id, name: 'Not yet committed' }).execute();
      inserted();
      await held;
    });
    await insertedPromise;
    assert.equal((await repository.servicePage({}, window)).total, before, 'an uncommitted service is not listed');
    release();
    await writer;
    assert.equal((await repository.servicePage({}, window)).total, before + 1, 'once committed, it is');
  });

  test('pruning the change log keeps listings right', async () => {
    const db = database().db;
    const repository = createOpenReferralRepository(db, { pruneChangeLogAfter: 20 });
    const organization = await db.insertInto('organization').values({ name: 'Busy Trust' }).returning('id').executeTakeFirstOrThrow();
    for (let n = 0; n < 30; n++) {
      await db.updateTable('organization').set({ description: `edit ${n}` }).where('id', '=', organization.id).execute();
    }
    const before = (await repository.servicePage({}, window)).total;
    const { rows } = await sql<{ entries: number }>`select count(*) as entries from directory_change`.execute(db);
    assert.ok(Number(rows[0]!.entries) < 10, `the log was pruned (${rows[0]!.entries} rows left)`);
    await db.insertInto('service').values({ organization_id: organization.id, name: 'After pruning' }).execute();
    assert.equal((await repository.servicePage({}, window)).total, before + 1);
  });
});

describe('the listing cache', () => {
  test('keeps the most recently used lists, forgets the rest, and ignores other versions', () => {
    const cache = createListingCache({ maxLists: 2, maxIds: 3 });
    cache.set('a', '1:1', { ids: ['x'] });
    cache.set('b', '1:1', { ids: ['y'] });
    assert.deepEqual(cache.get('a', '1:1'), { ids: ['x'] });
    cache.set('c', '1:1', { ids: ['z'] });
    assert.equal(cache.get('b', '1:1'), undefined, 'the least recently used list went first');
    assert.deepEqual(cache.get('a', '1:1'), { ids: ['x'] });
    assert.equal(cache.get('a', '2:2'), undefined, 'a list of another version is not returned');
    cache.set('d', '1:1', { ids: ['1', '2', '3', '4'] });
    assert.equal(cache.get('d', '1:1'), undefined, 'a list too long to keep is not kept');
  });
});
