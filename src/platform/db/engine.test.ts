import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachEngine } from '../testing/databases.ts';

describeOnEachEngine('database engine', (database) => {
  test('returns the same JavaScript types for dates, times, numerics and counts', async () => {
    const { rows } = await sql<{ d: string; t: string; n: number; c: number; ts: Date }>`
      select date '2026-03-01' as d, time '09:30' as t, 12.50::numeric as n,
             count(*) as c, timestamptz '2026-03-01 10:00:00+00' as ts
      from (values (1), (2)) as v(x)`.execute(database().db);
    assert.deepEqual(rows[0], { d: '2026-03-01', t: '09:30:00', n: 12.5, c: 2, ts: new Date('2026-03-01T10:00:00Z') });
  });

  test('enforces HSDS service status values', async () => {
    const { db } = database();
    const organization = await db.insertInto('organization').values({ name: 'Test Org' }).returning('id').executeTakeFirstOrThrow();
    await assert.rejects(
      db.insertInto('service').values({ organization_id: organization.id, name: 'Bad', status: 'closed' as never }).execute(),
      /check constraint/,
    );
    const service = await db
      .insertInto('service')
      .values({ organization_id: organization.id, name: 'Good', status: 'temporarily closed', access_routes: ['drop_in'] })
      .returning(['id', 'status', 'access_routes'])
      .executeTakeFirstOrThrow();
    assert.equal(service.status, 'temporarily closed');
    assert.deepEqual(service.access_routes, ['drop_in']);
    assert.match(service.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
