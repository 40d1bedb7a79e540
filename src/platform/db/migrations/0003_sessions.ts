import { sql, type Kysely } from 'kysely';

// Sessions live in the database so that any number of app processes share them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table http_session (
    id text primary key,
    data jsonb not null,
    created_at timestamptz not null,
    expires_at timestamptz not null
  )`.execute(db);
  await sql`create index http_session_expires_idx on http_session (expires_at)`.execute(db);
}
