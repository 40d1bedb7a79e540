import { sql, type Kysely } from 'kysely';

// A member of staff's claim to run an organisation's listings, decided by a moderator.
const statements = [
  `create table organization_claim (
     id uuid primary key default gen_random_uuid(),
     organization_id uuid not null references organization(id) on delete cascade,
     user_id uuid not null references user_account(id) on delete cascade,
     stated_role text not null,
     status text not null default 'pending' check (status in ('pending', 'approved', 'denied', 'revoked')),
     grant_id uuid references role_grant(id) on delete set null,
     created_at timestamptz not null,
     decided_at timestamptz,
     decided_by_email text,
     reason text
   )`,
  `create index organization_claim_pending_idx on organization_claim (created_at) where status = 'pending'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
