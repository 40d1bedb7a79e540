import { sql, type Kysely } from 'kysely';

// "Report a problem with this page": what was wrong, an optional address for a reply, and where the
// report is (open, answered, or held back as spam). No IP address or account is kept.
const statements = [
  `create table problem_report (
     id uuid primary key default gen_random_uuid(),
     service_id uuid not null references service(id) on delete cascade,
     kind text not null check (kind in ('wrong_details', 'closed', 'moved', 'other')),
     details text not null default '',
     reply_email text,
     status text not null default 'open' check (status in ('open', 'answered', 'held')),
     created_at timestamptz not null,
     escalated_at timestamptz,
     answered_at timestamptz,
     answered_by_email text,
     answer text
   )`,
  `create index problem_report_open_idx on problem_report (created_at) where status = 'open'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
