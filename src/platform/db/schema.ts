import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Column types as both engines return them once platform/db/engine.ts has set its type parsers:
// date → 'YYYY-MM-DD', time → 'HH:MM:SS', numeric → number, bigint → number, timestamptz → Date.
/** A timestamptz the database fills in (default now()) that callers may still set. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const SERVICE_STATUSES = ['active', 'temporarily closed', 'inactive', 'defunct'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];
export const ACCESS_ROUTES = ['self_referral', 'professional_referral', 'drop_in', 'phone', 'online'] as const;
export type AccessRoute = (typeof ACCESS_ROUTES)[number];
export const DELIVERY_MODES = ['in_person', 'phone', 'online'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const AREA_TYPES = ['council_area', 'partnership', 'health_board', 'scotland', 'uk'] as const;
export type AreaType = (typeof AREA_TYPES)[number];

export interface CouncilAreaTable {
  code: string;
  name: string;
  partnership_name: string;
  health_board_name: string;
  country: Generated<string>;
}

export interface OrganizationTable {
  id: Generated<string>;
  name: string;
  alternate_name: string | null;
  description: Generated<string>;
  email: string | null;
  website: string | null;
  tax_status: string | null;
  tax_id: string | null;
  year_incorporated: number | null;
  legal_status: string | null;
  logo: string | null;
  uri: string | null;
  charity_number: string | null;
  parent_organization_id: string | null;
  listed: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServiceTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  alternate_name: string | null;
  summary: Generated<string>;
  description: Generated<string>;
  url: string | null;
  email: string | null;
  status: Generated<ServiceStatus>;
  interpretation_services: string | null;
  application_process: string | null;
  fees_description: string | null;
  free_of_charge: Generated<boolean>;
  wait_time: string | null;
  accreditations: string | null;
  eligibility_description: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  alert: string | null;
  access_routes: Generated<AccessRoute[]>;
  delivery_modes: Generated<DeliveryMode[]>;
  last_reviewed_at: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LocationTable {
  id: Generated<string>;
  organization_id: string | null;
  location_type: Generated<'physical' | 'postal' | 'virtual'>;
  url: string | null;
  name: string | null;
  alternate_name: string | null;
  description: string | null;
  transportation: string | null;
  latitude: number | null;
  longitude: number | null;
  external_identifier: string | null;
  external_identifier_type: string | null;
  council_area_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AddressTable {
  id: Generated<string>;
  location_id: string;
  attention: string | null;
  address_1: string;
  address_2: string | null;
  city: string;
  region: string | null;
  state_province: Generated<string>;
  postal_code: string;
  country: Generated<string>;
  address_type: Generated<'physical' | 'postal' | 'virtual'>;
}

export interface ServiceAtLocationTable {
  id: Generated<string>;
  service_id: string;
  location_id: string;
  description: string | null;
}

export interface ContactTable {
  id: Generated<string>;
  organization_id: string | null;
  service_id: string | null;
  service_at_location_id: string | null;
  location_id: string | null;
  name: string | null;
  title: string | null;
  department: string | null;
  email: string | null;
}

export interface PhoneTable {
  id: Generated<string>;
  location_id: string | null;
  service_id: string | null;
  organization_id: string | null;
  contact_id: string | null;
  service_at_location_id: string | null;
  number: string;
  extension: string | null;
  type: 'text' | 'voice' | 'fax' | 'cell' | 'video' | 'pager' | 'textphone' | null;
  description: string | null;
}

export interface ScheduleTable {
  id: Generated<string>;
  service_id: string | null;
  location_id: string | null;
  service_at_location_id: string | null;
  valid_from: string | null;
  valid_to: string | null;
  dtstart: string | null;
  timezone: number | null;
  until: string | null;
  count: number | null;
  wkst: string | null;
  freq: 'WEEKLY' | 'MONTHLY' | null;
  interval: number | null;
  byday: string | null;
  byweekno: string | null;
  bymonthday: string | null;
  byyearday: string | null;
  description: string | null;
  opens_at: string | null;
  closes_at: string | null;
  schedule_link: string | null;
  attending_type: string | null;
  notes: string | null;
}

export interface TaxonomyTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  uri: string | null;
  version: string | null;
}

export interface TaxonomyTermTable {
  id: Generated<string>;
  taxonomy_id: string;
  code: string;
  name: string;
  description: Generated<string>;
  parent_id: string | null;
  language: string | null;
  term_uri: string | null;
}

export interface AttributeTable {
  id: Generated<string>;
  taxonomy_term_id: string;
  service_id: string | null;
  location_id: string | null;
  organization_id: string | null;
  link_type: string | null;
  value: string | null;
}

export interface ServiceAreaTable {
  id: Generated<string>;
  service_id: string;
  name: string;
  description: string | null;
  extent: string | null;
  extent_type: string | null;
  uri: string | null;
  area_type: AreaType;
  area_name: string | null;
}

export interface CostOptionTable {
  id: Generated<string>;
  service_id: string;
  valid_from: string | null;
  valid_to: string | null;
  option: string | null;
  currency: string | null;
  amount: number | null;
  amount_description: string | null;
}

export interface LanguageTable {
  id: Generated<string>;
  service_id: string | null;
  location_id: string | null;
  phone_id: string | null;
  name: string | null;
  code: string | null;
  note: string | null;
}

export interface UrlTable {
  id: Generated<string>;
  label: string | null;
  url: string;
  organization_id: string | null;
  service_id: string | null;
}

export interface PostcodeTable {
  postcode: string;
  outcode: string;
  latitude: number;
  longitude: number;
}

export interface HttpSessionTable {
  id: string;
  data: unknown;
  created_at: Date | string;
  expires_at: Date | string;
}

export interface Database {
  council_area: CouncilAreaTable;
  organization: OrganizationTable;
  service: ServiceTable;
  location: LocationTable;
  address: AddressTable;
  service_at_location: ServiceAtLocationTable;
  contact: ContactTable;
  phone: PhoneTable;
  schedule: ScheduleTable;
  taxonomy: TaxonomyTable;
  taxonomy_term: TaxonomyTermTable;
  attribute: AttributeTable;
  service_area: ServiceAreaTable;
  cost_option: CostOptionTable;
  language: LanguageTable;
  url: UrlTable;
  postcode: PostcodeTable;
  http_session: HttpSessionTable;
  // Accounts (0010): kept together so that merges with other capabilities' tables stay simple.
  user_account: UserAccountTable;
  recovery_code: RecoveryCodeTable;
  account_token: AccountTokenTable;
  sso_identity: SsoIdentityTable;
  organization_access: OrganizationAccessTable;
  team: TeamTable;
  role_grant: RoleGrantTable;
  sign_in_throttle: SignInThrottleTable;
  audit_event: AuditEventTable;
  job: JobTable;
  mail_outbox: MailOutboxTable;
  // Listings (0020)
  listing_version: ListingVersionTable;
  organization_listing: OrganizationListingTable;
  listing_review: ListingReviewTable;
  search_miss: SearchMissTable;
  problem_report: ProblemReportTable;
  organization_claim: OrganizationClaimTable;
  organization_invitation: OrganizationInvitationTable;
  // Imports (0024)
  import_source: ImportSourceTable;
  import_run: ImportRunTable;
  import_rejection: ImportRejectionTable;
  import_record: ImportRecordTable;
}

/** An invitation to join an organisation with a role (migration 0023); the token is kept only as a hash. */
export interface OrganizationInvitationTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  role: string;
  token_hash: string;
  invited_by: string | null;
  invited_by_email: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
  revoked_by_email: string | null;
}

export type ImportSourceKind = 'api' | 'file';
export interface ImportSourceTable {
  id: Generated<string>;
  name: string;
  kind: ImportSourceKind;
  location: string;
  schedule_hours: number | null;
  default_organization_id: string | null;
  needs_moderation: Generated<boolean>;
  taxonomy_mapping: Generated<string>;
  enabled: Generated<boolean>;
  next_run_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type ImportRunStatus = 'running' | 'completed' | 'partial' | 'failed';
export interface ImportRunTable {
  id: Generated<string>;
  source_id: string;
  started_at: Date;
  finished_at: Date | null;
  status: Generated<ImportRunStatus>;
  added: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  inactivated: Generated<number>;
  rejected: Generated<number>;
  faults: ColumnType<string[], string | undefined, string>;
  warnings: ColumnType<Array<{ sourceRecordId: string; message: string }>, string | undefined, string>;
  unmapped_terms: ColumnType<Array<{ term: string; count: number }>, string | undefined, string>;
}
export interface ImportRejectionTable {
  run_id: string;
  position: number;
  source_record_id: string | null;
  reason: string;
}
export type ImportRecordKind = 'organization' | 'service' | 'location';
export interface ImportRecordTable {
  source_id: string;
  kind: ImportRecordKind;
  source_record_id: string;
  record_id: string;
  content_hash: string;
  last_seen_run_id: string | null;
}

export interface OrganizationClaimTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  stated_role: string;
  status: Generated<'pending' | 'approved' | 'denied' | 'revoked'>;
  grant_id: string | null;
  created_at: Date;
  decided_at: Date | null;
  decided_by_email: string | null;
  reason: string | null;
}

export const PROBLEM_KINDS = ['wrong_details', 'closed', 'moved', 'other'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];
export interface ProblemReportTable {
  id: Generated<string>;
  service_id: string;
  kind: ProblemKind;
  details: Generated<string>;
  reply_email: string | null;
  status: Generated<'open' | 'answered' | 'held'>;
  created_at: Date;
  escalated_at: Date | null;
  answered_at: Date | null;
  answered_by_email: string | null;
  answer: string | null;
}

export type ListingVersionStatus = 'pending' | 'published' | 'rejected';
export const RECORD_KIND_NAMES = ['service', 'organization', 'location'] as const;
export type RecordKindName = (typeof RECORD_KIND_NAMES)[number];
export interface ListingVersionTable {
  id: Generated<string>;
  record_kind: RecordKindName;
  record_id: string;
  organization_id: string;
  version: number;
  base_version: number;
  status: ListingVersionStatus;
  snapshot: ColumnType<Record<string, unknown>, string, string>;
  diff: ColumnType<Record<string, { from: unknown; to: unknown }>, string, string>;
  note: Generated<string>;
  author_id: string | null;
  author_email: string | null;
  created_at: Date;
  decided_by_email: string | null;
  decided_at: Date | null;
  reason: string | null;
  /** For a record not yet created: the council area it will be in (a new place's postcode), if known. */
  council_area_code: Generated<string | null>;
}
export interface OrganizationListingTable {
  organization_id: string;
  approved_at: Date | null;
  approved_by_email: string | null;
}
export interface ListingReviewTable {
  service_id: string;
  due_on: string;
  reminders_sent: Generated<number>;
  moderators_told_at: Date | null;
  inactivated_at: Date | null;
}
export interface SearchMissTable {
  words: string;
  area: string;
  council_area_code: string | null;
  times: Generated<number>;
  last_seen_at: Date;
}

export type Organization = Selectable<OrganizationTable>;
export type NewOrganization = Insertable<OrganizationTable>;
export type OrganizationUpdate = Updateable<OrganizationTable>;
export type Service = Selectable<ServiceTable>;
export type NewService = Insertable<ServiceTable>;
export type Location = Selectable<LocationTable>;
export type NewLocation = Insertable<LocationTable>;
export type TaxonomyTerm = Selectable<TaxonomyTermTable>;

// ---- Accounts, roles, audit, jobs and mail (migration 0010) ----

export interface UserAccountTable {
  id: Generated<string>;
  email: string;
  display_name: Generated<string>;
  password_hash: string | null;
  email_verified_at: Date | null;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  disabled_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
}

export type AccountTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';
export interface AccountTokenTable {
  id: Generated<string>;
  user_id: string;
  purpose: AccountTokenPurpose;
  token_hash: string;
  new_email: string | null;
  expires_at: Date | string;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface SsoIdentityTable {
  id: Generated<string>;
  user_id: string;
  issuer: string;
  subject: string;
  created_at: Timestamp;
}

export const ORGANIZATION_KINDS = ['charity', 'nhs_board', 'council', 'partnership', 'other'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export interface OrganizationAccessTable {
  organization_id: string;
  kind: Generated<OrganizationKind>;
  allowed_email_domain: string | null;
  domain_role: 'organisation_member' | 'professional' | null;
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret: string | null;
  updated_at: Timestamp;
}

export interface TeamTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  created_at: Timestamp;
}

export interface RoleGrantTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  organization_id: string | null;
  team_id: string | null;
  council_area_code: string | null;
  granted_by: string | null;
  granted_because: 'admin' | 'email_domain' | 'bootstrap';
  granted_at: Timestamp;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  window_started_at: Date | string;
  locked_until: Date | string | null;
}

export interface AuditEventTable {
  id: Generated<string>;
  at: Date | string;
  actor_user_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  organization_id: string | null;
  summary: Generated<string>;
  details: ColumnType<unknown, string | undefined, string>;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';
export interface JobTable {
  id: Generated<string>;
  queue: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Date | string;
  locked_until: Date | string | null;
  last_error: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
}

export interface MailOutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  created_at: Date | string;
  sent_at: Date | string | null;
}

export type UserAccount = Selectable<UserAccountTable>;
export type RoleGrant = Selectable<RoleGrantTable>;
export type AuditEvent = Selectable<AuditEventTable>;
export type Job = Selectable<JobTable>;
