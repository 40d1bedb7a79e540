import { sql, type Kysely } from 'kysely';

// For the Open Referral feed.
//
// 1. Indexes: a trigram index for its search (every word somewhere in a service's name or
//    description, an ILIKE that the index answers), and indexes on the foreign keys its batch loaders
//    read that 0001 left unindexed (phones of contacts, languages of phones, schedules of a service at
//    a location, …), so that a page of fully nested services costs one index lookup per table.
//
// 2. A directory change log: every transaction that writes to a table a feed listing depends on adds
//    one row (once per transaction, whatever it writes), committed with its changes. Writers never wait
//    for each other: each inserts its own row. A reader takes (the highest seq, the number of rows) as
//    the directory's version: a commit adds a row, and pruning (see the feed's repository) always adds
//    one with a higher seq, so the pair changes whenever what a reader can see changes. The feed keeps
//    the ordered id list of a listing while the version is unchanged, so page 900 costs what page 1 does.
//    Any other cache of directory data may use it too.
const DIRECTORY_TABLES = [
  'organization',
  'service',
  'location',
  'service_at_location',
  'attribute',
  'schedule',
  'service_area',
  'taxonomy',
  'taxonomy_term',
  'council_area',
];

const statements = [
  `create index service_search_trgm_idx on service using gin ((name || ' ' || description) gin_trgm_ops)`,
  `create index schedule_service_at_location_idx on schedule (service_at_location_id)`,
  `create index phone_contact_idx on phone (contact_id)`,
  `create index phone_service_at_location_idx on phone (service_at_location_id)`,
  `create index language_location_idx on language (location_id)`,
  `create index language_phone_idx on language (phone_id)`,
  `create index contact_location_idx on contact (location_id)`,
  `create index contact_service_at_location_idx on contact (service_at_location_id)`,

  `create table directory_change (
     seq bigserial primary key,
     txid bigint not null unique,
     changed_at timestamptz not null default now()
   )`,
  `create function note_directory_change() returns trigger language plpgsql as $$
   begin
     insert into directory_change (txid) values (txid_current()) on conflict (txid) do nothing;
     return null;
   end
   $$`,
  ...DIRECTORY_TABLES.map(
    (table) => `create trigger ${table}_directory_change after insert or update or delete or truncate on ${table}
       for each statement execute function note_directory_change()`,
  ),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
