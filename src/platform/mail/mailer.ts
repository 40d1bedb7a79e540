import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../clock.ts';
import type { JobQueue } from '../jobs/queue.ts';

/**
 * Mail goes out through an outbox: a message is written to `mail_outbox` (in the caller's
 * transaction, with the change that causes it) together with a job that sends it, so a message is
 * sent once the change commits, and retried if the mail server is away.
 *
 * No email may carry personal data of the people who use services: messages say what happened and
 * give a link to sign in and see it. Messages are about the account holder's own account only.
 */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  /** 'smtp' or 'files': shown on the admin pages. */
  kind: string;
  send(message: MailMessage & { from: string; id: string; date: Date }): Promise<void>;
}

/** Sends through an SMTP server, e.g. smtps://user:password@smtp.example.org:465. */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    async send(message) {
      await transporter.sendMail({ from: message.from, to: message.to, subject: message.subject, text: message.text, date: message.date, messageId: `<${message.id}@frontdoor>` });
    },
  };
}

export interface StoredMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  date: string;
}

/** Writes each message to a JSON file in `dir`, for the development mail page. */
export function fileTransport(dir: string): MailTransport & { list(): Promise<StoredMail[]>; read(id: string): Promise<StoredMail | undefined> } {
  return {
    kind: 'files',
    async send(message) {
      await fs.mkdir(dir, { recursive: true });
      const stored: StoredMail = { id: message.id, from: message.from, to: message.to, subject: message.subject, text: message.text, date: message.date.toISOString() };
      const name = `${message.date.toISOString().replace(/[:.]/g, '-')}-${message.id}.json`;
      await fs.writeFile(path.join(dir, name), JSON.stringify(stored, null, 2));
    },
    async list() {
      let names: string[];
      try {
        names = (await fs.readdir(dir)).filter((name) => name.endsWith('.json')).sort().reverse();
      } catch {
        return [];
      }
      const messages = await Promise.all(names.slice(0, 200).map(async (name) => JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as StoredMail));
      return messages;
    },
    async read(id: string) {
      if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
      return (await this.list()).find((message) => message.id === id);
    },
  };
}

export const MAIL_JOB = 'mail.send';

export function createMailer(deps: { db: Kysely<Database>; clock: Clock; jobs: JobQueue; transport: MailTransport; from: string }) {
  const { db, clock, jobs, transport, from } = deps;

  jobs.register(MAIL_JOB, async (payload: { messageId: string }) => {
    const message = await db.selectFrom('mail_outbox').selectAll().where('id', '=', payload.messageId).executeTakeFirst();
    if (!message || message.sent_at) return;
    await transport.send({ id: message.id, from, to: message.to_address, subject: message.subject, text: message.text_body, date: clock.now() });
    await db.updateTable('mail_outbox').set({ sent_at: clock.now() }).where('id', '=', message.id).execute();
  });

  return {
    transport,
    /** Puts a message in the outbox; pass the caller's transaction so it is sent only if that commits. */
    async queue(message: MailMessage, executor: Kysely<Database> | Transaction<Database> = db): Promise<string> {
      const row = await executor
        .insertInto('mail_outbox')
        .values({ to_address: message.to, subject: message.subject, text_body: message.text, created_at: clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await jobs.enqueue(MAIL_JOB, { messageId: row.id }, { maxAttempts: 8 }, executor);
      return row.id;
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;

/** A transport that keeps messages in memory, for tests; `failNext` makes the next sends throw. */
export function memoryTransport() {
  const sent: Array<MailMessage & { from: string; id: string }> = [];
  let failures = 0;
  return {
    kind: 'memory',
    sent,
    failNext(count = 1) {
      failures = count;
    },
    async send(message: MailMessage & { from: string; id: string; date: Date }) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('The mail server refused the connection');
      }
      sent.push({ id: message.id, from: message.from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
