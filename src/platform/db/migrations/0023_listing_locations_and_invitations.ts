import { sql, type Kysely } from 'kysely';

// Places (locations) are edited through the same versioned, moderated question pages as services and
// organisations; and an organisation's admins invite colleagues by email. Only a hash of each
// invitation's token is kept: the link in the email is the only copy of the token itself.
const statements = [
  `alter table listing_version drop constraint listing_version_record_kind_check`,
  `alter table listing_version add constraint listing_version_record_kind_check check (record_kind in ('service', 'organization', 'location'))`,
  // A place proposed by an organisation does not exist until a moderator publishes it: the council area
  // of its postcode is kept on the version, so that the moderators of that area see it on their desk.
  `alter table listing_version add column council_area_code text`,

  `create table organization_invitation (
     id uuid primary key default gen_random_uuid(),
     organization_id uuid not null references organization(id) on delete cascade,
     email text not null,
     role text not null,
     token_hash text not null unique,
     invited_by uuid references user_account(id) on delete set null,
     invited_by_email text,
     created_at timestamptz not null,
     expires_at timestamptz not null,
     accepted_at timestamptz,
     accepted_by uuid references user_account(id) on delete set null,
     revoked_at timestamptz,
     revoked_by_email text
   )`,
  `create index organization_invitation_organization_idx on organization_invitation (organization_id, created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
