import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../clock.ts';
import { describeOnEachEngine } from '../testing/databases.ts';
import { createJobQueue } from '../jobs/queue.ts';
import { createMailer, fileTransport, memoryTransport } from './mailer.ts';

describeOnEachEngine('mail through the outbox', (database) => {
  test('a message is sent only if the change it belongs to commits', async () => {
    const clock = fixedClock('2026-11-24T09:00:00Z');
    const jobs = createJobQueue({ db: database().db, clock });
    const transport = memoryTransport();
    const mailer = createMailer({ db: database().db, clock, jobs, transport, from: 'Frontdoor <no-reply@test.invalid>' });
    await assert.rejects(
      database().db.transaction().execute(async (trx) => {
        await mailer.queue({ to: 'rolled-back@example.org', subject: 'Never', text: 'x' }, trx);
        throw new Error('the change failed');
      }),
    );
    await database().db.transaction().execute(async (trx) => {
      await mailer.queue({ to: 'committed@example.org', subject: 'Hello', text: 'A link: https://frontdoor.test/x' }, trx);
    });
    await jobs.runDue();
    assert.deepEqual(transport.sent.map((m) => m.to), ['committed@example.org']);
    assert.equal(transport.sent[0]!.from, 'Frontdoor <no-reply@test.invalid>');
    const row = await database().db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'committed@example.org').executeTakeFirstOrThrow();
    assert.ok(row.sent_at);
  });

  test('a mail server that is away is retried until it answers', async () => {
    const clock = fixedClock('2026-11-24T10:00:00Z');
    const jobs = createJobQueue({ db: database().db, clock });
    const transport = memoryTransport();
    const mailer = createMailer({ db: database().db, clock, jobs, transport, from: 'x@test.invalid' });
    transport.failNext(2);
    await mailer.queue({ to: 'patient@example.org', subject: 'Retry', text: 'x' });
    await jobs.runDue();
    clock.advance(30_000);
    await jobs.runDue();
    assert.equal(transport.sent.length, 0);
    const waiting = (await jobs.list({ status: 'pending' })).find((job) => job.queue === 'mail.send')!;
    assert.match(waiting.last_error!, /refused/);
    clock.advance(60_000);
    await jobs.runDue();
    assert.deepEqual(transport.sent.map((m) => m.to), ['patient@example.org']);
  });

  test('without SMTP, messages are written to files for the development mail page', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'frontdoor-mail-'));
    try {
      const clock = fixedClock('2026-11-24T11:00:00Z');
      const jobs = createJobQueue({ db: database().db, clock });
      const transport = fileTransport(dir);
      const mailer = createMailer({ db: database().db, clock, jobs, transport, from: 'x@test.invalid' });
      const id = await mailer.queue({ to: 'dev@example.org', subject: 'On disk', text: 'Open https://frontdoor.test/verify-email?token=abc' });
      await jobs.runDue();
      const stored = await transport.list();
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.id, id);
      assert.equal((await transport.read(id))!.subject, 'On disk');
      assert.equal(await transport.read('../../etc/passwd'), undefined);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
