import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../clock.ts';
import { openPostgresDatabase } from '../db/engine.ts';
import { describeOnEachEngine } from '../testing/databases.ts';
import { backoffMs, createJobQueue } from './queue.ts';

describeOnEachEngine('the job queue', (database, engine) => {
  test('runs a due job once and marks it done; a job for later waits for its time', async () => {
    const clock = fixedClock('2026-11-24T09:00:00Z');
    const queue = createJobQueue({ db: database().db, clock });
    const seen: string[] = [];
    queue.register('test.once', async (payload: { n: string }) => {
      seen.push(payload.n);
    });
    await queue.enqueue('test.once', { n: 'now' });
    await queue.enqueue('test.once', { n: 'later' }, { runAt: new Date('2026-11-24T10:00:00Z') });
    assert.equal(await queue.runDue(), 1);
    assert.equal(await queue.runDue(), 0);
    assert.deepEqual(seen, ['now']);
    clock.set('2026-11-24T10:00:00Z');
    assert.equal(await queue.runDue(), 1);
    assert.deepEqual(seen, ['now', 'later']);
    assert.equal((await queue.list({ status: 'done' })).length, 2);
  });

  test('a failing job is retried with exponential backoff, then kept as failed for admins, who can retry it', async () => {
    const clock = fixedClock('2026-11-24T11:00:00Z');
    const queue = createJobQueue({ db: database().db, clock, baseDelayMs: 30_000 });
    let attempts = 0;
    let healthy = false;
    queue.register('test.flaky', async () => {
      attempts += 1;
      if (!healthy) throw new Error(`the server said no (${attempts})`);
    });
    const id = await queue.enqueue('test.flaky', {}, { maxAttempts: 3 });
    assert.equal(await queue.runDue(), 1);
    let job = (await queue.list()).find((j) => j.id === id)!;
    assert.equal(job.status, 'pending');
    assert.equal(job.last_error, 'the server said no (1)');
    assert.equal(new Date(job.run_at).toISOString(), '2026-11-24T11:00:30.000Z', 'first retry after 30 seconds');
    clock.advance(29_000);
    assert.equal(await queue.runDue(), 0, 'not before its time');
    clock.advance(1_000);
    assert.equal(await queue.runDue(), 1);
    job = (await queue.list()).find((j) => j.id === id)!;
    assert.equal(new Date(job.run_at).toISOString(), '2026-11-24T11:01:30.000Z', 'second retry after 60 seconds more');
    clock.advance(60_000);
    assert.equal(await queue.runDue(), 1);
    job = (await queue.list({ status: 'failed' })).find((j) => j.id === id)!;
    assert.equal(job.attempts, 3);
    assert.equal(job.last_error, 'the server said no (3)');
    clock.advance(24 * 3_600_000);
    assert.equal(await queue.runDue(), 0, 'a failed job stays failed');

    healthy = true;
    assert.equal(await queue.retry(id), true);
    assert.equal(await queue.runDue(), 1);
    assert.equal((await queue.list()).find((j) => j.id === id)!.status, 'done');
    assert.equal(backoffMs(20, 30_000, 3_600_000), 3_600_000, 'the wait is capped');
  });

  test('a job whose process died while running it is claimed again once its lock runs out', async () => {
    const clock = fixedClock('2026-11-24T12:00:00Z');
    const dying = createJobQueue({ db: database().db, clock, lockMs: 60_000 });
    const id = await dying.enqueue('test.crash', {});
    // Claim it the way a runner does, then "die" before finishing.
    dying.register('test.crash', () => new Promise<void>(() => undefined));
    void dying.runDue();
    for (let waited = 0; waited < 10_000; waited += 10) {
      const row = await database().db.selectFrom('job').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      if (row.status === 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const survivor = createJobQueue({ db: database().db, clock, lockMs: 60_000 });
    let ran = 0;
    survivor.register('test.crash', async () => {
      ran += 1;
    });
    assert.equal(await survivor.runDue(), 0, 'still locked by the first process');
    clock.advance(61_000);
    assert.equal(await survivor.runDue(), 1);
    assert.equal(ran, 1);
    assert.equal((await survivor.list()).find((j) => j.id === id)!.status, 'done');
  });

  test('however many processes poll, each job runs once', async () => {
    const clock = fixedClock('2026-11-24T13:00:00Z');
    // On PostgreSQL, separate connection pools stand for separate app processes.
    const second = engine === 'postgres' ? await openPostgresDatabase(database().url!, 4) : undefined;
    try {
      const runs = new Map<string, number>();
      const handler = async (_payload: unknown, job: { id: string }) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 1));
      };
      const workers = [database().db, second?.db ?? database().db, database().db].map((db) => {
        const queue = createJobQueue({ db, clock });
        queue.register('test.parallel', handler);
        return queue;
      });
      const ids = [];
      for (let n = 0; n < 30; n += 1) ids.push(await workers[0]!.enqueue('test.parallel', { n }));
      const drain = async (queue: (typeof workers)[number]) => {
        while ((await queue.runDue(3)) > 0);
      };
      await Promise.all(workers.map(drain));
      assert.equal(runs.size, 30);
      assert.ok([...runs.values()].every((count) => count === 1), 'no job ran twice');
    } finally {
      await second?.close();
    }
  });

  test('start() polls in the background and stop() waits for the job in hand', async () => {
    const clock = fixedClock('2026-11-24T14:00:00Z');
    const queue = createJobQueue({ db: database().db, clock });
    let done = false;
    queue.register('test.background', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = true;
    });
    await queue.enqueue('test.background', {});
    queue.start(10);
    for (let waited = 0; !done && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await queue.stop();
    assert.equal(done, true);
  });
});
