import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { termId } from '../taxonomy.ts';

/**
 * A small, hand-written directory for tests that assert on exact values: one organisation with an
 * in-person service at two locations, an area-wide service and a national helpline.
 */
export async function insertSmallDirectory(db: Kysely<Database>) {
  const organization = await db
    .insertInto('organization')
    .values({
      name: "Irvine Carers' Centre",
      description: 'Support for unpaid carers across North Ayrshire.',
      email: 'hello@irvine-carers.example.org',
      website: 'https://irvine-carers.example.org',
      charity_number: 'SC012345',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const hidden = await db
    .insertInto('organization')
    .values({ name: 'NHS Example Internal Team', listed: false })
    .returning('id')
    .executeTakeFirstOrThrow();

  const [centre, hall] = await db
    .insertInto('location')
    .values([
      { organization_id: organization.id, name: 'The Carers Hub', latitude: 55.6116, longitude: -4.6694, council_area_code: 'north-ayrshire' },
      { organization_id: organization.id, name: 'Brodick Village Hall', latitude: 55.5754, longitude: -5.1472, council_area_code: 'north-ayrshire' },
    ])
    .returning('id')
    .execute();
  await db
    .insertInto('address')
    .values({ location_id: centre!.id, address_1: '12 Bridgegate', city: 'Irvine', postal_code: 'KA12 8BD' })
    .execute();

  const [carersService, areaService, helpline, hiddenService] = await db
    .insertInto('service')
    .values([
      {
        organization_id: organization.id,
        name: "Carers' support and short breaks",
        summary: 'Advice, a listening ear and short breaks for unpaid carers.',
        description: 'We help carers look after their own health.',
        access_routes: ['self_referral', 'professional_referral'],
        delivery_modes: ['in_person', 'phone'],
        free_of_charge: true,
        minimum_age: 16,
        last_reviewed_at: '2026-06-01',
      },
      {
        organization_id: organization.id,
        name: 'Young carers group',
        status: 'temporarily closed',
        access_routes: ['professional_referral'],
        delivery_modes: ['in_person'],
        minimum_age: 8,
        maximum_age: 18,
      },
      {
        organization_id: organization.id,
        name: 'Carers helpline',
        access_routes: ['phone'],
        delivery_modes: ['phone'],
        alert: 'Closed on public holidays.',
      },
      { organization_id: hidden.id, name: 'Internal triage' },
    ])
    .returning('id')
    .execute();

  await db
    .insertInto('service_at_location')
    .values([
      { service_id: carersService!.id, location_id: centre!.id },
      { service_id: carersService!.id, location_id: hall!.id },
    ])
    .execute();
  await db
    .insertInto('service_area')
    .values([
      { service_id: areaService!.id, name: 'North Ayrshire', area_type: 'council_area', area_name: 'North Ayrshire' },
      { service_id: helpline!.id, name: 'Scotland', area_type: 'scotland' },
    ])
    .execute();
  await db
    .insertInto('attribute')
    .values([
      { service_id: carersService!.id, taxonomy_term_id: termId('categories', 'carers-centres') },
      { service_id: carersService!.id, taxonomy_term_id: termId('client-groups', 'carers') },
      { location_id: centre!.id, taxonomy_term_id: termId('accessibility', 'step-free-access') },
    ])
    .execute();
  await db.insertInto('phone').values([
    { service_id: carersService!.id, number: '01294 960 000', type: 'voice' },
    { location_id: centre!.id, number: '01294 960 001' },
    { organization_id: organization.id, number: '01294 960 002' },
  ]).execute();
  await db
    .insertInto('schedule')
    .values({ service_id: carersService!.id, freq: 'WEEKLY', byday: 'MO,WE', opens_at: '09:30', closes_at: '16:00' })
    .execute();
  await db
    .insertInto('cost_option')
    .values({ service_id: carersService!.id, option: 'Short break contribution', amount: 12.5, currency: 'GBP' })
    .execute();
  await db.insertInto('language').values({ service_id: carersService!.id, name: 'Scottish Gaelic', code: 'gd' }).execute();

  return {
    organizationId: organization.id,
    hiddenOrganizationId: hidden.id,
    centreId: centre!.id,
    hallId: hall!.id,
    carersServiceId: carersService!.id,
    areaServiceId: areaService!.id,
    helplineId: helpline!.id,
    hiddenServiceId: hiddenService!.id,
  };
}
