import { sql, type Kysely } from 'kysely';

// Indexes for the Open Referral feed: its search (every word somewhere in a service's name or
// description, an ILIKE that a trigram index answers), and the foreign keys its batch loaders read
// by that 0001 left unindexed (phones of contacts, languages of phones, schedules of a service at a
// location, …), so that a page of fully nested services costs one index lookup per table.
const statements = [
  `create index service_search_trgm_idx on service using gin ((name || ' ' || description) gin_trgm_ops)`,
  `create index schedule_service_at_location_idx on schedule (service_at_location_id)`,
  `create index phone_contact_idx on phone (contact_id)`,
  `create index phone_service_at_location_idx on phone (service_at_location_id)`,
  `create index language_location_idx on language (location_id)`,
  `create index language_phone_idx on language (phone_id)`,
  `create index contact_location_idx on contact (location_id)`,
  `create index contact_service_at_location_idx on contact (service_at_location_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
