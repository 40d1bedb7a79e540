import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { termId } from '../../directory/taxonomy.ts';
import { insertSmallDirectory } from '../../directory/testing/fixtures.ts';

/**
 * The small directory plus enough walking groups around Irvine to need a second results page, for
 * pages and browser tests (sorting, paging, filters with counts).
 */
export async function insertPublicDirectory(db: Kysely<Database>, walkingGroups = 24) {
  const ids = await insertSmallDirectory(db);
  const organisation = await db
    .insertInto('organization')
    .values({ name: 'Ayrshire Walking Network', description: 'Friendly, free walks for all abilities across Ayrshire.', website: 'https://walks.example.org' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const groupIds: string[] = [];
  for (let index = 1; index <= walkingGroups; index += 1) {
    // Spread along the coast north and south of Irvine, about 0.4 miles apart.
    const latitude = 55.6116 + (index - walkingGroups / 2) * 0.006;
    const location = await db
      .insertInto('location')
      .values({ organization_id: organisation.id, name: `Meeting point ${index}`, latitude, longitude: -4.6694, council_area_code: 'north-ayrshire' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('address').values({ location_id: location.id, address_1: `${index} Harbour Street`, city: 'Irvine', postal_code: 'KA12 8PZ' }).execute();
    const service = await db
      .insertInto('service')
      .values({
        organization_id: organisation.id,
        name: `Walking group ${String(index).padStart(2, '0')}`,
        summary: 'A gentle group walk of about an hour, followed by a cup of tea.',
        description: 'Walks go ahead in most weathers. Wear comfortable shoes.\n\nNew walkers are always welcome.',
        access_routes: ['self_referral', 'drop_in'],
        delivery_modes: ['in_person'],
        free_of_charge: index % 4 !== 0,
        fees_description: index % 4 === 0 ? '£2 a walk towards the tea' : null,
        last_reviewed_at: `2026-0${1 + (index % 9)}-15`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    groupIds.push(service.id);
    await db.insertInto('service_at_location').values({ service_id: service.id, location_id: location.id }).execute();
    await db
      .insertInto('attribute')
      .values([
        { service_id: service.id, taxonomy_term_id: termId('categories', 'walking-groups') },
        { service_id: service.id, taxonomy_term_id: termId('client-groups', index % 2 ? 'older-people' : 'adults') },
      ])
      .execute();
    await db
      .insertInto('schedule')
      .values({ service_id: service.id, freq: 'WEEKLY', byday: index % 2 ? 'TU' : 'TH', opens_at: '10:00', closes_at: '11:30' })
      .execute();
    await db.insertInto('phone').values({ service_id: service.id, number: `01294 555 ${String(100 + index)}` }).execute();
  }
  return { ...ids, walkingOrganisationId: organisation.id, walkingGroupIds: groupIds };
}
