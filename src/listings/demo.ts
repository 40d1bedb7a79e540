import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import { LOCATION_FIELDS, ORGANISATION_FIELDS, SERVICE_FIELDS } from './records.ts';

/**
 * What a moderator's desk looks like on first start: about half the demo organisations approved
 * (their edits publish at once), pending edits from a few of the others (to services, and to an
 * organisation's details and a place), and a few searches that found nothing. Overdue listings come from the demo directory itself (its review dates spread over
 * the past two years). Touches nothing when listings data already exists.
 */
export async function seedListingsDemo(db: Kysely<Database>, now: Date = new Date()): Promise<{ approved: number; pending: number } | null> {
  const existing = await db.selectFrom('organization_listing').select('organization_id').limit(1).executeTakeFirst();
  if (existing) return null;
  const organisations = await db.selectFrom('organization').select('id').where('listed', '=', true).orderBy('id').execute();
  const approved = organisations.filter((_, index) => index % 2 === 0);
  for (let start = 0; start < approved.length; start += 200) {
    await db
      .insertInto('organization_listing')
      .values(approved.slice(start, start + 200).map((o) => ({ organization_id: o.id, approved_at: now, approved_by_email: 'demo moderator' })))
      .execute();
  }
  const unapproved = organisations.filter((_, index) => index % 2 === 1).map((o) => o.id);
  const services = unapproved.length === 0 ? [] : await db
    .selectFrom('service')
    .select(['id', 'organization_id', ...SERVICE_FIELDS])
    .where('organization_id', 'in', unapproved.slice(0, 60))
    .where('status', '=', 'active')
    .orderBy('id')
    .limit(12)
    .execute();
  for (const [index, service] of services.entries()) {
    const before = Object.fromEntries(SERVICE_FIELDS.map((f) => [f, service[f] ?? '']));
    const after = { ...before };
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    if (index % 3 === 0) after.summary = `${before.summary} Now also open on Saturday mornings.`.trim();
    else if (index % 3 === 1) after.email = `enquiries@${(before.url || 'https://example.org').replace(/^https?:\/\//, '').split('/')[0]}`;
    else after.name = `${before.name} (new name)`;
    for (const key of Object.keys(after)) if (after[key] !== before[key]) diff[key] = { from: before[key], to: after[key] };
    await db
      .insertInto('listing_version')
      .values([
        { record_kind: 'service', record_id: service.id, organization_id: service.organization_id, version: 1, base_version: 0, status: 'published', snapshot: JSON.stringify(before), diff: '{}', note: 'The listing as it was before its first edit here', author_id: null, author_email: null, created_at: now },
        { record_kind: 'service', record_id: service.id, organization_id: service.organization_id, version: 2, base_version: 1, status: 'pending', snapshot: JSON.stringify(after), diff: JSON.stringify(diff), author_id: null, author_email: 'staff@demo.example', created_at: new Date(now.getTime() - index * 3_600_000) },
      ])
      .execute();
  }
  // Pending edits of other kinds: an organisation's details and one of its places.
  const pendingOthers = await seedOtherPendingEdits(db, unapproved.slice(60, 120), now);
  const misses = [
    ['llama therapy', 'Highland', 'highland'],
    ['sign language interpreter', 'Dundee City', 'dundee-city'],
    ['kinship carers group', 'Glasgow City', 'glasgow-city'],
    ['gambling support', 'Na h-Eileanan Siar', 'na-h-eileanan-siar'],
  ] as const;
  for (const [index, [words, area, code]] of misses.entries()) {
    await db.insertInto('search_miss').values({ words, area, council_area_code: code, times: 9 - index * 2, last_seen_at: now }).execute();
  }
  return { approved: approved.length, pending: services.length + pendingOthers };
}

type Diff = Record<string, { from: unknown; to: unknown }>;
const diffOf = (before: Record<string, string>, after: Record<string, string>): Diff =>
  Object.fromEntries(Object.keys(after).filter((key) => after[key] !== before[key]).map((key) => [key, { from: before[key], to: after[key] }]));

async function seedOtherPendingEdits(db: Kysely<Database>, organisationIds: string[], now: Date): Promise<number> {
  if (organisationIds.length === 0) return 0;
  let count = 0;
  const organisations = await db.selectFrom('organization').select(['id', ...ORGANISATION_FIELDS]).where('id', 'in', organisationIds).orderBy('id').limit(2).execute();
  for (const [index, organisation] of organisations.entries()) {
    const before = Object.fromEntries(ORGANISATION_FIELDS.map((f) => [f, organisation[f] ?? '']));
    const after = index === 0 ? { ...before, description: `${before.description} We now also run a weekly drop-in.`.trim() } : { ...before, website: `https://www.${(before.website || 'https://example.org').replace(/^https?:\/\/(www\.)?/, '')}` };
    await db.insertInto('listing_version').values([
      { record_kind: 'organization', record_id: organisation.id, organization_id: organisation.id, version: 1, base_version: 0, status: 'published', snapshot: JSON.stringify(before), diff: '{}', note: 'The listing as it was before its first edit here', author_id: null, author_email: null, created_at: now },
      { record_kind: 'organization', record_id: organisation.id, organization_id: organisation.id, version: 2, base_version: 1, status: 'pending', snapshot: JSON.stringify(after), diff: JSON.stringify(diffOf(before, after)), author_id: null, author_email: 'staff@demo.example', created_at: new Date(now.getTime() - (index + 1) * 5_400_000) },
    ]).execute();
    count += 1;
  }
  const place = await db.selectFrom('location').select(['id', 'organization_id', 'name', 'description', 'transportation']).where('organization_id', 'in', organisationIds).where('name', 'is not', null).orderBy('id').limit(1).executeTakeFirst();
  if (place?.organization_id) {
    const address = await db.selectFrom('address').select(['address_1', 'city', 'postal_code']).where('location_id', '=', place.id).orderBy('id').limit(1).executeTakeFirst();
    const before: Record<string, string> = { name: place.name ?? '', description: place.description ?? '', address_1: address?.address_1 ?? '', city: address?.city ?? '', postal_code: address?.postal_code ?? '', transportation: place.transportation ?? '' };
    const after = { ...before, transportation: 'Step-free entrance at the side of the building; two accessible parking spaces.' };
    if (Object.keys(before).join() !== LOCATION_FIELDS.join()) throw new Error('The demo place edit has the wrong fields.');
    await db.insertInto('listing_version').values([
      { record_kind: 'location', record_id: place.id, organization_id: place.organization_id, version: 1, base_version: 0, status: 'published', snapshot: JSON.stringify(before), diff: '{}', note: 'The listing as it was before its first edit here', author_id: null, author_email: null, created_at: now },
      { record_kind: 'location', record_id: place.id, organization_id: place.organization_id, version: 2, base_version: 1, status: 'pending', snapshot: JSON.stringify(after), diff: JSON.stringify(diffOf(before, after)), author_id: null, author_email: 'staff@demo.example', created_at: new Date(now.getTime() - 7_200_000) },
    ]).execute();
    count += 1;
  }
  return count;
}
