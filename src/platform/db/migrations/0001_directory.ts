import { sql, type Kysely } from 'kysely';

// The directory's data model, aligned with Open Referral HSDS 3.0 so that the ORUK API and the
// import/export can map one table to one HSDS object. Every id is a UUID. Columns HSDS does not have
// (access routes, delivery modes, free of charge, area codes) are ours and are mapped on export.
// Written as plain SQL that runs unchanged on PostgreSQL 15 and on PGlite.
const statements = [
  // Trigram similarity and accent folding for search and place suggestions; both are trusted
  // extensions on PostgreSQL 13+ and bundled with PGlite.
  `create extension if not exists pg_trgm`,
  `create extension if not exists unaccent`,

  `create table council_area (
     code text primary key,
     name text not null unique,
     partnership_name text not null,
     health_board_name text not null,
     country text not null default 'SCT'
   )`,

  `create table organization (
     id uuid primary key default gen_random_uuid(),
     name text not null check (length(trim(name)) > 0),
     alternate_name text,
     description text not null default '',
     email text,
     website text,
     tax_status text,
     tax_id text,
     year_incorporated integer check (year_incorporated between 1000 and 2100),
     legal_status text,
     logo text,
     uri text,
     charity_number text,
     parent_organization_id uuid references organization(id) on delete set null,
     listed boolean not null default true,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create index organization_name_idx on organization (lower(name))`,
  `create index organization_updated_idx on organization (updated_at, id)`,

  `create table service (
     id uuid primary key default gen_random_uuid(),
     organization_id uuid not null references organization(id) on delete cascade,
     name text not null check (length(trim(name)) > 0),
     alternate_name text,
     summary text not null default '',
     description text not null default '',
     url text,
     email text,
     status text not null default 'active'
       check (status in ('active', 'inactive', 'defunct', 'temporarily closed')),
     interpretation_services text,
     application_process text,
     fees_description text,
     free_of_charge boolean not null default false,
     wait_time text,
     accreditations text,
     eligibility_description text,
     minimum_age integer check (minimum_age >= 0 and minimum_age <= 130),
     maximum_age integer check (maximum_age >= 0 and maximum_age <= 130),
     alert text,
     access_routes text[] not null default '{}'
       check (access_routes <@ array['self_referral', 'professional_referral', 'drop_in', 'phone', 'online']::text[]),
     delivery_modes text[] not null default '{}'
       check (delivery_modes <@ array['in_person', 'phone', 'online']::text[]),
     last_reviewed_at date,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check (minimum_age is null or maximum_age is null or minimum_age <= maximum_age)
   )`,
  `create index service_organization_idx on service (organization_id)`,
  `create index service_status_idx on service (status)`,
  `create index service_updated_idx on service (updated_at, id)`,

  `create table location (
     id uuid primary key default gen_random_uuid(),
     organization_id uuid references organization(id) on delete cascade,
     location_type text not null default 'physical' check (location_type in ('physical', 'postal', 'virtual')),
     url text,
     name text,
     alternate_name text,
     description text,
     transportation text,
     latitude double precision check (latitude between -90 and 90),
     longitude double precision check (longitude between -180 and 180),
     external_identifier text,
     external_identifier_type text,
     council_area_code text references council_area(code),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check ((latitude is null) = (longitude is null))
   )`,
  `create index location_organization_idx on location (organization_id)`,
  `create index location_lat_lon_idx on location (latitude, longitude)`,

  `create table address (
     id uuid primary key default gen_random_uuid(),
     location_id uuid not null references location(id) on delete cascade,
     attention text,
     address_1 text not null,
     address_2 text,
     city text not null,
     region text,
     state_province text not null default '',
     postal_code text not null,
     country text not null default 'GB',
     address_type text not null default 'physical' check (address_type in ('physical', 'postal', 'virtual'))
   )`,
  `create index address_location_idx on address (location_id)`,

  `create table service_at_location (
     id uuid primary key default gen_random_uuid(),
     service_id uuid not null references service(id) on delete cascade,
     location_id uuid not null references location(id) on delete cascade,
     description text,
     unique (service_id, location_id)
   )`,
  `create index service_at_location_location_idx on service_at_location (location_id)`,

  `create table contact (
     id uuid primary key default gen_random_uuid(),
     organization_id uuid references organization(id) on delete cascade,
     service_id uuid references service(id) on delete cascade,
     service_at_location_id uuid references service_at_location(id) on delete cascade,
     location_id uuid references location(id) on delete cascade,
     name text,
     title text,
     department text,
     email text
   )`,
  `create index contact_service_idx on contact (service_id)`,
  `create index contact_organization_idx on contact (organization_id)`,

  `create table phone (
     id uuid primary key default gen_random_uuid(),
     location_id uuid references location(id) on delete cascade,
     service_id uuid references service(id) on delete cascade,
     organization_id uuid references organization(id) on delete cascade,
     contact_id uuid references contact(id) on delete cascade,
     service_at_location_id uuid references service_at_location(id) on delete cascade,
     number text not null,
     extension text,
     type text check (type in ('text', 'voice', 'fax', 'cell', 'video', 'pager', 'textphone')),
     description text
   )`,
  `create index phone_service_idx on phone (service_id)`,
  `create index phone_organization_idx on phone (organization_id)`,
  `create index phone_location_idx on phone (location_id)`,

  // RRULE-style opening times as HSDS 3 models them: freq/byday/opens_at/closes_at for the weekly
  // pattern most services have, with the rest of the RFC 5545 fields for the ones that do not.
  `create table schedule (
     id uuid primary key default gen_random_uuid(),
     service_id uuid references service(id) on delete cascade,
     location_id uuid references location(id) on delete cascade,
     service_at_location_id uuid references service_at_location(id) on delete cascade,
     valid_from date,
     valid_to date,
     dtstart date,
     timezone integer,
     until date,
     count integer,
     wkst text check (wkst in ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')),
     freq text check (freq in ('WEEKLY', 'MONTHLY')),
     interval integer check (interval > 0),
     byday text,
     byweekno text,
     bymonthday text,
     byyearday text,
     description text,
     opens_at time,
     closes_at time,
     schedule_link text,
     attending_type text,
     notes text
   )`,
  `create index schedule_service_idx on schedule (service_id)`,
  `create index schedule_location_idx on schedule (location_id)`,

  `create table taxonomy (
     id uuid primary key default gen_random_uuid(),
     name text not null unique,
     description text not null default '',
     uri text,
     version text
   )`,

  `create table taxonomy_term (
     id uuid primary key default gen_random_uuid(),
     taxonomy_id uuid not null references taxonomy(id) on delete cascade,
     code text not null,
     name text not null,
     description text not null default '',
     parent_id uuid references taxonomy_term(id) on delete set null,
     language text,
     term_uri text,
     unique (taxonomy_id, code)
   )`,
  `create index taxonomy_term_parent_idx on taxonomy_term (parent_id)`,

  // HSDS 3 links taxonomy terms to records through "attribute". We keep one nullable foreign key per
  // kind of record instead of HSDS's untyped link_id so the database enforces the link.
  `create table attribute (
     id uuid primary key default gen_random_uuid(),
     taxonomy_term_id uuid not null references taxonomy_term(id) on delete cascade,
     service_id uuid references service(id) on delete cascade,
     location_id uuid references location(id) on delete cascade,
     organization_id uuid references organization(id) on delete cascade,
     link_type text,
     value text,
     check ((service_id is not null)::int + (location_id is not null)::int + (organization_id is not null)::int = 1)
   )`,
  `create unique index attribute_service_term_idx on attribute (service_id, taxonomy_term_id) where service_id is not null`,
  `create unique index attribute_location_term_idx on attribute (location_id, taxonomy_term_id) where location_id is not null`,
  `create unique index attribute_organization_term_idx on attribute (organization_id, taxonomy_term_id) where organization_id is not null`,
  `create index attribute_term_idx on attribute (taxonomy_term_id)`,

  // Where a service is delivered without a base: a council area, a health and social care
  // partnership, a health board, all of Scotland or the whole UK.
  `create table service_area (
     id uuid primary key default gen_random_uuid(),
     service_id uuid not null references service(id) on delete cascade,
     name text not null,
     description text,
     extent text,
     extent_type text,
     uri text,
     area_type text not null check (area_type in ('council_area', 'partnership', 'health_board', 'scotland', 'uk')),
     area_name text
   )`,
  `create index service_area_service_idx on service_area (service_id)`,
  `create index service_area_area_idx on service_area (area_type, area_name)`,

  `create table cost_option (
     id uuid primary key default gen_random_uuid(),
     service_id uuid not null references service(id) on delete cascade,
     valid_from date,
     valid_to date,
     option text,
     currency text check (currency ~ '^[A-Z]{3}$'),
     amount numeric(12, 2) check (amount >= 0),
     amount_description text
   )`,
  `create index cost_option_service_idx on cost_option (service_id)`,

  `create table language (
     id uuid primary key default gen_random_uuid(),
     service_id uuid references service(id) on delete cascade,
     location_id uuid references location(id) on delete cascade,
     phone_id uuid references phone(id) on delete cascade,
     name text,
     code text,
     note text
   )`,
  `create index language_service_idx on language (service_id)`,

  `create table url (
     id uuid primary key default gen_random_uuid(),
     label text,
     url text not null,
     organization_id uuid references organization(id) on delete cascade,
     service_id uuid references service(id) on delete cascade
   )`,
  `create index url_service_idx on url (service_id)`,
  `create index url_organization_idx on url (organization_id)`,

  // Full postcodes for street-level precision, loaded by the import-postcodes command. Without it
  // a postcode resolves to its district's centroid.
  `create table postcode (
     postcode text primary key,
     outcode text not null,
     latitude double precision not null,
     longitude double precision not null
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
