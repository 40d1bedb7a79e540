import { sql, type Kysely } from 'kysely';

// Listings that stay true: versions of edited records (published, pending, rejected), whether an
// organisation's own edits publish at once, the review cycle of each service, and searches that
// found nothing (words and area only, never who searched).
const statements = [
  `create table listing_version (
     id uuid primary key default gen_random_uuid(),
     record_kind text not null check (record_kind in ('service', 'organization')),
     record_id uuid not null,
     organization_id uuid not null references organization(id) on delete cascade,
     version integer not null,
     base_version integer not null,
     status text not null check (status in ('pending', 'published', 'rejected')),
     snapshot jsonb not null,
     diff jsonb not null default '{}',
     note text not null default '',
     author_id uuid references user_account(id) on delete set null,
     author_email text,
     created_at timestamptz not null,
     decided_by_email text,
     decided_at timestamptz,
     reason text,
     unique (record_kind, record_id, version)
   )`,
  `create index listing_version_pending_idx on listing_version (created_at) where status = 'pending'`,

  // An organisation whose own edits publish at once (approved by a moderator); others wait.
  `create table organization_listing (
     organization_id uuid primary key references organization(id) on delete cascade,
     approved_at timestamptz,
     approved_by_email text
   )`,

  // Where a service is in its review cycle: reminders sent since it fell due, moderators told, hidden.
  `create table listing_review (
     service_id uuid primary key references service(id) on delete cascade,
     due_on date not null,
     reminders_sent integer not null default 0,
     moderators_told_at timestamptz,
     inactivated_at timestamptz
   )`,

  `create table search_miss (
     words text not null,
     area text not null,
     council_area_code text,
     times integer not null default 1,
     last_seen_at timestamptz not null,
     primary key (words, area)
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
