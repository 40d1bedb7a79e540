import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Job, JobStatus } from '../db/schema.ts';
import type { Clock } from '../clock.ts';

/**
 * Background jobs in a database table, claimed with `for update skip locked` so that however many
 * app processes run, each job runs once; retried with exponential backoff; failures kept for admins.
 *
 * Why not pg-boss: its current majors need Node 22.12 (we run on 20); it schedules with the
 * database's now(), so retries could not be tested by moving the injected clock; and its pollers and
 * maintenance would hold PGlite's single connection. This table does the little we need on both engines.
 */

export type JobHandler = (payload: any, job: Job) => Promise<void>;

export interface EnqueueOptions {
  /** Run no earlier than this; now by default. */
  runAt?: Date;
  maxAttempts?: number;
}

export interface JobQueueOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** A claimed job whose process died is claimed again after this long. */
  lockMs?: number;
  /** The wait before the nth retry is baseDelayMs × 2^(n−1), at most maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

type Executor = Kysely<Database> | Transaction<Database>;

export function backoffMs(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

export function createJobQueue(options: JobQueueOptions) {
  const { db, clock } = options;
  const lockMs = options.lockMs ?? 5 * 60_000;
  const baseDelayMs = options.baseDelayMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? 60 * 60_000;
  const handlers = new Map<string, JobHandler>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  /** Adds a job; pass the caller's transaction so that the job exists only if the change it follows commits. */
  async function enqueue(queue: string, payload: Record<string, unknown>, enqueueOptions: EnqueueOptions = {}, executor: Executor = db): Promise<string> {
    const now = clock.now();
    const row = await executor
      .insertInto('job')
      .values({
        queue,
        payload: JSON.stringify(payload),
        run_at: enqueueOptions.runAt ?? now,
        created_at: now,
        ...(enqueueOptions.maxAttempts ? { max_attempts: enqueueOptions.maxAttempts } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Claims up to `limit` due jobs of the queues this process handles, in one short transaction. */
  async function claim(limit: number): Promise<Job[]> {
    const queues = [...handlers.keys()];
    if (queues.length === 0) return [];
    const now = clock.now();
    const lockedUntil = new Date(now.getTime() + lockMs);
    const result = await sql<Job>`
      update job set status = 'running', attempts = attempts + 1, locked_until = ${lockedUntil}
      where id in (
        select id from job
        where queue in (${sql.join(queues)})
          and ((status = 'pending' and run_at <= ${now}) or (status = 'running' and locked_until <= ${now}))
        order by run_at
        limit ${limit}
        for update skip locked
      )
      returning *`.execute(db);
    return result.rows;
  }

  async function finish(job: Job, error: unknown): Promise<void> {
    const now = clock.now();
    if (error === undefined) {
      await db.updateTable('job').set({ status: 'done', finished_at: now, locked_until: null, last_error: null }).where('id', '=', job.id).execute();
      return;
    }
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    if (job.attempts >= job.max_attempts) {
      await db.updateTable('job').set({ status: 'failed', finished_at: now, locked_until: null, last_error: message }).where('id', '=', job.id).execute();
    } else {
      const runAt = new Date(now.getTime() + backoffMs(job.attempts, baseDelayMs, maxDelayMs));
      await db.updateTable('job').set({ status: 'pending', run_at: runAt, locked_until: null, last_error: message }).where('id', '=', job.id).execute();
    }
  }

  /** Runs the jobs that are due now, one at a time; returns how many ran. */
  async function runDue(limit = 20): Promise<number> {
    const jobs = await claim(limit);
    for (const job of jobs) {
      const handler = handlers.get(job.queue)!;
      const payload = typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload;
      let failure: unknown;
      try {
        await handler(payload, job);
      } catch (error) {
        failure = error ?? new Error('job failed');
      }
      await finish(job, failure);
    }
    return jobs.length;
  }

  async function tick(): Promise<void> {
    if (running || stopped) return;
    running = runDue();
    try {
      // Keep going while there is work, then wait for the next tick.
      while ((await running) > 0 && !stopped) running = runDue();
    } catch {
      // The database is away (restarting, shutting down): the next tick tries again.
    } finally {
      running = undefined;
    }
  }

  return {
    register(queue: string, handler: JobHandler): void {
      handlers.set(queue, handler);
    },
    enqueue,
    runDue,
    /** Polls for due jobs every `intervalMs` until stopped. */
    start(intervalMs = 2_000): void {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
      void tick();
    },
    /** Stops polling and waits for the jobs in hand to finish. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
    async retry(jobId: string): Promise<boolean> {
      const result = await db
        .updateTable('job')
        .set({ status: 'pending', attempts: 0, run_at: clock.now(), finished_at: null })
        .where('id', '=', jobId)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async list(filter: { status?: JobStatus; limit?: number } = {}): Promise<Job[]> {
      let query = db.selectFrom('job').selectAll().orderBy('created_at', 'desc').limit(filter.limit ?? 100);
      if (filter.status) query = query.where('status', '=', filter.status);
      return query.execute();
    },
    async counts(): Promise<Record<JobStatus, number>> {
      const rows = await db.selectFrom('job').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
      const counts: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, failed: 0 };
      for (const row of rows) counts[row.status] = Number(row.count);
      return counts;
    },
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
