import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEvent, Database } from '../db/schema.ts';
import type { Clock } from '../clock.ts';
import type { Actor } from '../auth/rules.ts';

/**
 * The audit log of admin actions: who did what to which record, when. Written in the same
 * transaction as the change, so a change without its audit entry cannot happen. Entries name staff
 * accounts and records, never the people who use services.
 */
export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | null;
  organizationId?: string | null;
  summary: string;
  details?: Record<string, unknown>;
}

export interface AuditSearch {
  text?: string;
  action?: string;
  organizationId?: string;
  /** Only these organisations' entries (an information-governance lead's view). */
  organizationIds?: string[];
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

type Executor = Kysely<Database> | Transaction<Database>;

export function createAuditLog(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;

  function filtered(search: AuditSearch) {
    let query = db.selectFrom('audit_event');
    if (search.action) query = query.where('action', '=', search.action);
    if (search.organizationId) query = query.where('organization_id', '=', search.organizationId);
    if (search.organizationIds) {
      if (search.organizationIds.length === 0) query = query.where(sql<boolean>`false`);
      else query = query.where('organization_id', 'in', search.organizationIds);
    }
    if (search.from) query = query.where('at', '>=', new Date(`${search.from}T00:00:00Z`));
    if (search.to) query = query.where('at', '<', new Date(new Date(`${search.to}T00:00:00Z`).getTime() + 86_400_000));
    if (search.text) {
      const pattern = `%${search.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([eb('summary', 'ilike', pattern), eb('actor_email', 'ilike', pattern), eb('action', 'ilike', pattern), eb('target_id', 'ilike', pattern)]),
      );
    }
    return query;
  }

  return {
    async record(actor: Actor | null, entry: AuditEntry, executor: Executor = db): Promise<void> {
      await executor
        .insertInto('audit_event')
        .values({
          at: clock.now(),
          actor_user_id: actor?.userId ?? null,
          actor_email: actor?.email ?? null,
          action: entry.action,
          target_type: entry.targetType ?? null,
          target_id: entry.targetId ?? null,
          organization_id: entry.organizationId ?? null,
          summary: entry.summary,
          details: JSON.stringify(entry.details ?? {}),
        })
        .execute();
    },

    async search(search: AuditSearch): Promise<{ total: number; events: AuditEvent[] }> {
      const [events, total] = await Promise.all([
        filtered(search)
          .selectAll()
          .orderBy('at', 'desc')
          .orderBy('id')
          .limit(search.limit ?? 50)
          .offset(search.offset ?? 0)
          .execute(),
        filtered(search).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { total: Number(total.count), events };
    },

    async actions(): Promise<string[]> {
      const rows = await db.selectFrom('audit_event').select('action').distinct().orderBy('action').execute();
      return rows.map((row) => row.action);
    },

    /** Every matching entry as CSV (RFC 4180), newest first, in pages so a large log does not sit in memory at once. */
    async *csv(search: AuditSearch): AsyncGenerator<string> {
      yield 'at,actor_email,action,target_type,target_id,organization_id,summary\r\n';
      const pageSize = 500;
      for (let offset = 0; ; offset += pageSize) {
        const rows = await filtered(search).selectAll().orderBy('at', 'desc').orderBy('id').limit(pageSize).offset(offset).execute();
        for (const row of rows) {
          yield [new Date(row.at).toISOString(), row.actor_email, row.action, row.target_type, row.target_id, row.organization_id, row.summary].map(csvField).join(',') + '\r\n';
        }
        if (rows.length < pageSize) return;
      }
    },
  };
}

/** Quotes a CSV field, and defuses values a spreadsheet would run as a formula. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export type AuditLog = ReturnType<typeof createAuditLog>;
