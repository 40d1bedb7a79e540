import { sql, type Kysely } from 'kysely';

// Importing other directories (Open Referral UK APIs, HSDS data packages, JSON dumps).
//
// import_source: what an admin registered: where to read, how often, who owns what arrives without
//   an organisation, whether imported listings wait for a moderator, and the taxonomy mapping (CSV
//   text, kept with the source so that a scheduled sync needs no file on the server).
// import_run: one sync, with its figures and the faults met on the way; rejected records in a child
//   table (a run of 100,000 bad rows must not make one enormous row).
// import_record: provenance. Which of our records came from which source record, and a hash of the
//   source's content at the last import, so that an unchanged record costs a lookup, not a write.
//   One source owns a record: (kind, record_id) is unique.
const statements = [
  `create table import_source (
     id uuid primary key default gen_random_uuid(),
     name text not null unique check (length(trim(name)) > 0),
     kind text not null check (kind in ('api', 'file')),
     location text not null check (length(trim(location)) > 0),
     schedule_hours integer check (schedule_hours between 1 and 8760),
     default_organization_id uuid references organization(id) on delete set null,
     needs_moderation boolean not null default false,
     taxonomy_mapping text not null default '',
     enabled boolean not null default true,
     next_run_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,

  `create table import_run (
     id uuid primary key default gen_random_uuid(),
     source_id uuid not null references import_source(id) on delete cascade,
     started_at timestamptz not null,
     finished_at timestamptz,
     status text not null default 'running' check (status in ('running', 'completed', 'partial', 'failed')),
     added integer not null default 0,
     updated integer not null default 0,
     unchanged integer not null default 0,
     inactivated integer not null default 0,
     rejected integer not null default 0,
     faults jsonb not null default '[]',
     warnings jsonb not null default '[]',
     unmapped_terms jsonb not null default '[]'
   )`,
  `create index import_run_source_idx on import_run (source_id, started_at desc)`,

  `create table import_rejection (
     run_id uuid not null references import_run(id) on delete cascade,
     position integer not null,
     source_record_id text,
     reason text not null,
     primary key (run_id, position)
   )`,

  `create table import_record (
     source_id uuid not null references import_source(id) on delete cascade,
     kind text not null check (kind in ('organization', 'service', 'location')),
     source_record_id text not null,
     record_id uuid not null,
     content_hash text not null,
     last_seen_run_id uuid,
     primary key (source_id, kind, source_record_id)
   )`,
  `create unique index import_record_record_idx on import_record (kind, record_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
