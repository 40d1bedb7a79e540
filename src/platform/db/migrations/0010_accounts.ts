import { sql, type Kysely } from 'kysely';

// Accounts, organisations' members and their roles, sign-in throttling, the audit log, the mail
// outbox and the job queue. Plain SQL that runs unchanged on PostgreSQL 15 and on PGlite.
const statements = [
  `create table user_account (
     id uuid primary key default gen_random_uuid(),
     email text not null unique check (email = lower(email) and position('@' in email) > 1),
     display_name text not null default '',
     password_hash text,
     email_verified_at timestamptz,
     totp_secret text,
     totp_enabled_at timestamptz,
     -- The last time step whose code was accepted, so that a code cannot be used twice.
     totp_last_step bigint,
     disabled_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,

  // One-time codes for the second factor's fallback, kept only as hashes.
  `create table recovery_code (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references user_account(id) on delete cascade,
     code_hash text not null,
     used_at timestamptz
   )`,
  `create index recovery_code_user_idx on recovery_code (user_id)`,

  // Links sent by email (verify an address, reset a password, confirm a new address), kept as hashes.
  `create table account_token (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references user_account(id) on delete cascade,
     purpose text not null check (purpose in ('verify_email', 'reset_password', 'change_email')),
     token_hash text not null unique,
     new_email text,
     expires_at timestamptz not null,
     used_at timestamptz,
     created_at timestamptz not null default now()
   )`,
  `create index account_token_user_idx on account_token (user_id, purpose)`,

  // A sign-in through an organisation's identity provider, by the provider's stable subject id.
  `create table sso_identity (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references user_account(id) on delete cascade,
     issuer text not null,
     subject text not null,
     created_at timestamptz not null default now(),
     unique (issuer, subject)
   )`,

  // How an organisation's people get in: what kind of body it is, the email domain whose verified
  // addresses join it automatically (with which role), and its OpenID Connect provider.
  `create table organization_access (
     organization_id uuid primary key references organization(id) on delete cascade,
     kind text not null default 'charity'
       check (kind in ('charity', 'nhs_board', 'council', 'partnership', 'other')),
     allowed_email_domain text check (allowed_email_domain = lower(allowed_email_domain)),
     domain_role text check (domain_role in ('organisation_member', 'professional')),
     oidc_issuer text,
     oidc_client_id text,
     oidc_client_secret text,
     updated_at timestamptz not null default now()
   )`,
  `create unique index organization_access_domain_idx on organization_access (allowed_email_domain) where allowed_email_domain is not null`,

  // Teams are working groups inside an organisation: not directory listings, so not organization rows.
  `create table team (
     id uuid primary key default gen_random_uuid(),
     organization_id uuid not null references organization(id) on delete cascade,
     name text not null check (length(trim(name)) > 0),
     created_at timestamptz not null default now(),
     unique (organization_id, name)
   )`,

  // Membership and roles in one table: a person is a member of an organisation (or one of its teams)
  // while they hold a live grant there. Grants are never deleted, only revoked, so the table is
  // also the record of every grant.
  `create table role_grant (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references user_account(id) on delete cascade,
     role text not null,
     organization_id uuid references organization(id) on delete cascade,
     team_id uuid references team(id) on delete cascade,
     council_area_code text references council_area(code),
     granted_by uuid references user_account(id) on delete set null,
     granted_because text not null check (granted_because in ('admin', 'email_domain', 'bootstrap')),
     granted_at timestamptz not null default now(),
     revoked_at timestamptz,
     revoked_by uuid references user_account(id) on delete set null
   )`,
  `create index role_grant_user_idx on role_grant (user_id) where revoked_at is null`,
  `create index role_grant_organization_idx on role_grant (organization_id) where revoked_at is null`,

  // Failed attempts by key ('sign_in:<email>', 'reset:<email>') shared by every app process.
  `create table sign_in_throttle (
     key text primary key,
     failures integer not null default 0,
     window_started_at timestamptz not null,
     locked_until timestamptz
   )`,

  `create table audit_event (
     id uuid primary key default gen_random_uuid(),
     at timestamptz not null,
     actor_user_id uuid references user_account(id) on delete set null,
     actor_email text,
     action text not null,
     target_type text,
     target_id text,
     organization_id uuid references organization(id) on delete set null,
     summary text not null default '',
     details jsonb not null default '{}'
   )`,
  `create index audit_event_at_idx on audit_event (at desc)`,
  `create index audit_event_action_idx on audit_event (action, at desc)`,
  `create index audit_event_organization_idx on audit_event (organization_id, at desc)`,

  `create table job (
     id uuid primary key default gen_random_uuid(),
     queue text not null,
     payload jsonb not null default '{}',
     status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),
     attempts integer not null default 0,
     max_attempts integer not null default 5,
     run_at timestamptz not null,
     locked_until timestamptz,
     last_error text,
     created_at timestamptz not null,
     finished_at timestamptz
   )`,
  `create index job_due_idx on job (run_at) where status in ('pending', 'running')`,
  `create index job_failed_idx on job (finished_at desc) where status = 'failed'`,

  // The outbox: a message is written here in the same transaction as the change that causes it, and
  // a job sends it.
  `create table mail_outbox (
     id uuid primary key default gen_random_uuid(),
     to_address text not null,
     subject text not null,
     text_body text not null,
     created_at timestamptz not null,
     sent_at timestamptz
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
