import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { termId } from '../../directory/taxonomy.ts';

const LONG_TEXT = 'Support for carers, their families and friends. '.repeat(400).trim(); // about 19,000 characters

/**
 * Edge cases for the feed: a service with every optional field present (and everything linked to it
 * filled in too), one with every optional field absent, one with no location, one at ten locations,
 * national services, unicode, very long text, values that are not valid URIs or emails, every status,
 * and an unlisted organisation whose service must never appear.
 */
export async function insertEdgeCases(db: Kysely<Database>) {
  const parent = await db.insertInto('organization').values({ name: 'Parent Trust' }).returning('id').executeTakeFirstOrThrow();
  const full = await db
    .insertInto('organization')
    .values({
      name: 'Everything Included Trust',
      alternate_name: 'EIT',
      description: 'An organisation with every field filled in.',
      email: 'hello@everything.example.org',
      website: 'https://everything.example.org',
      tax_status: 'Charity',
      tax_id: 'GB123456789',
      year_incorporated: 1998,
      legal_status: 'SCIO',
      logo: 'https://everything.example.org/logo.png',
      uri: 'https://everything.example.org/about',
      charity_number: 'SC012345',
      parent_organization_id: parent.id,
      updated_at: '2026-02-01T10:00:00Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const bare = await db.insertInto('organization').values({ name: 'Bare' }).returning('id').executeTakeFirstOrThrow();
  const hidden = await db.insertInto('organization').values({ name: 'Internal Team', listed: false }).returning('id').executeTakeFirstOrThrow();
  const messy = await db
    .insertInto('organization')
    .values({ name: 'Messy Data Group', email: 'not an email', website: 'www.messy.example.org', logo: 'logo.png' })
    .returning('id')
    .executeTakeFirstOrThrow();

  const [everything, minimal, helpline, tenPlaces, unicode, long, inactive, defunct, closed, internal, messyService] = await db
    .insertInto('service')
    .values([
      {
        organization_id: full.id,
        name: 'Everything service',
        alternate_name: 'The full one',
        summary: 'Every field present.',
        description: 'A service with every optional field present.',
        url: 'https://everything.example.org/service',
        email: 'service@everything.example.org',
        status: 'active',
        interpretation_services: 'Interpreters on request.',
        application_process: 'Phone us or walk in.',
        fees_description: 'Free, with a small charge for trips.',
        free_of_charge: true,
        wait_time: 'About two weeks.',
        accreditations: 'Investing in Volunteers',
        eligibility_description: 'Adults in North Ayrshire.',
        minimum_age: 18,
        maximum_age: 99,
        alert: 'Closed on public holidays.',
        access_routes: ['self_referral', 'professional_referral', 'drop_in', 'phone', 'online'],
        delivery_modes: ['in_person', 'phone', 'online'],
        last_reviewed_at: '2026-01-15',
        updated_at: '2026-03-01T09:30:00.123Z',
      },
      { organization_id: bare.id, name: 'Minimal service', updated_at: '2025-01-01T00:00:00Z' },
      { organization_id: full.id, name: 'National helpline', access_routes: ['phone'], delivery_modes: ['phone'], updated_at: '2025-06-01T00:00:00Z' },
      { organization_id: full.id, name: 'Ten places service', delivery_modes: ['in_person'], updated_at: '2025-06-02T00:00:00Z' },
      {
        organization_id: full.id,
        name: 'Seirbheis Cùraim Gàidhlig — “Taigh” 🏠 支援 دعم',
        description: 'Fàilte! Ünïcödé ✓ — naïve café, Ōsaka, 😀, עִבְרִית, and a zero-width joiner: 👩‍👩‍👧.',
        updated_at: '2025-06-03T00:00:00Z',
      },
      { organization_id: full.id, name: `Long ${'name '.repeat(100).trim()}`, description: LONG_TEXT, updated_at: '2025-06-04T00:00:00Z' },
      { organization_id: full.id, name: 'Inactive service', status: 'inactive', updated_at: '2025-06-05T00:00:00Z' },
      { organization_id: full.id, name: 'Defunct service', status: 'defunct', updated_at: '2025-06-06T00:00:00Z' },
      { organization_id: full.id, name: 'Closed for now', status: 'temporarily closed', updated_at: '2025-06-07T00:00:00Z' },
      { organization_id: hidden.id, name: 'Internal triage', updated_at: '2025-06-08T00:00:00Z' },
      { organization_id: messy.id, name: 'Messy service', url: 'not a url', email: 'someone at example', updated_at: '2025-06-09T00:00:00Z' },
    ])
    .returning('id')
    .execute();

  const [hub, ...others] = await db
    .insertInto('location')
    .values([
      {
        organization_id: full.id,
        location_type: 'physical',
        url: 'https://everything.example.org/hub',
        name: 'The Hub',
        alternate_name: 'Irvine Hub',
        description: 'Ground floor of the old library.',
        transportation: 'Buses 11 and 21 stop outside.',
        latitude: 55.6116,
        longitude: -4.6694,
        external_identifier: '126000123456',
        external_identifier_type: 'UPRN',
        council_area_code: 'north-ayrshire',
      },
      ...Array.from({ length: 10 }, (_, index) => ({
        organization_id: full.id,
        name: `Place ${index + 1}`,
        latitude: 55.6 + index * 0.05,
        longitude: -4.6 - index * 0.05,
        council_area_code: 'north-ayrshire',
      })),
    ])
    .returning('id')
    .execute();

  await db
    .insertInto('address')
    .values({
      location_id: hub!.id,
      attention: 'Reception',
      address_1: '12 Bridgegate',
      address_2: 'Ground floor',
      city: 'Irvine',
      region: 'North Ayrshire',
      state_province: 'Scotland',
      postal_code: 'KA12 8BD',
      country: 'GB',
      address_type: 'physical',
    })
    .execute();

  const [everythingAtHub] = await db
    .insertInto('service_at_location')
    .values({ service_id: everything!.id, location_id: hub!.id, description: 'At the Hub on weekdays.' })
    .returning('id')
    .execute();
  const tenLinks = await db
    .insertInto('service_at_location')
    .values(others.map((location) => ({ service_id: tenPlaces!.id, location_id: location.id })))
    .returning('id')
    .execute();

  await db
    .insertInto('service_area')
    .values([
      {
        service_id: everything!.id,
        name: 'North Ayrshire',
        description: 'The whole council area.',
        extent: '{"type":"Point","coordinates":[-4.67,55.61]}',
        extent_type: 'geojson',
        uri: 'https://www.north-ayrshire.gov.uk',
        area_type: 'council_area',
        area_name: 'North Ayrshire',
      },
      { service_id: helpline!.id, name: 'United Kingdom', area_type: 'uk' },
      { service_id: unicode!.id, name: 'Scotland', area_type: 'scotland' },
    ])
    .execute();

  await db
    .insertInto('attribute')
    .values([
      { service_id: everything!.id, taxonomy_term_id: termId('categories', 'carers-centres'), link_type: 'service_type', value: 'primary' },
      { service_id: everything!.id, taxonomy_term_id: termId('client-groups', 'carers') },
      { location_id: hub!.id, taxonomy_term_id: termId('accessibility', 'step-free-access') },
      { location_id: hub!.id, taxonomy_term_id: termId('accessibility', 'hearing-loop') },
      { organization_id: full.id, taxonomy_term_id: termId('client-groups', 'carers') },
    ])
    .execute();

  const [serviceContact, linkContact, locationContact, organizationContact] = await db
    .insertInto('contact')
    .values([
      { service_id: everything!.id, name: 'Morag MacLeod', title: 'Coordinator', department: 'Carers team', email: 'morag@everything.example.org' },
      { service_at_location_id: everythingAtHub!.id, name: 'Hub desk' },
      { location_id: hub!.id, name: 'Caretaker' },
      { organization_id: full.id, name: 'Director', email: 'bad email' },
    ])
    .returning('id')
    .execute();

  const [servicePhone] = await db
    .insertInto('phone')
    .values([
      { service_id: everything!.id, number: '01294 960 000', extension: '204', type: 'voice', description: 'Main line' },
      { service_id: everything!.id, number: '07700 900 000', extension: 'ask for Morag', type: 'text' },
      { service_at_location_id: everythingAtHub!.id, number: '01294 960 010' },
      { location_id: hub!.id, number: '01294 960 001', type: 'voice' },
      { contact_id: serviceContact!.id, number: '01294 960 002' },
      { contact_id: linkContact!.id, number: '01294 960 003' },
      { contact_id: locationContact!.id, number: '01294 960 004' },
      { contact_id: organizationContact!.id, number: '01294 960 005' },
      { organization_id: full.id, number: '01294 960 006' },
    ])
    .returning('id')
    .execute();

  await db
    .insertInto('schedule')
    .values([
      {
        service_id: everything!.id,
        valid_from: '2026-01-01',
        valid_to: '2026-12-31',
        dtstart: '2026-01-05',
        timezone: 0,
        until: '2026-12-31',
        count: 50,
        wkst: 'MO',
        freq: 'WEEKLY',
        interval: 1,
        byday: 'MO,WE',
        byweekno: '1,2,3',
        bymonthday: '1,15',
        byyearday: '1,100',
        description: 'Mondays and Wednesdays.',
        opens_at: '09:30',
        closes_at: '16:00',
        schedule_link: 'https://everything.example.org/times',
        attending_type: 'In person or online',
        notes: 'Closed on public holidays.',
      },
      { service_at_location_id: everythingAtHub!.id, freq: 'WEEKLY', byday: 'FR', opens_at: '18:00', closes_at: '21:00' },
      { location_id: hub!.id, freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '08:00', closes_at: '22:00' },
      { service_id: minimal!.id, freq: 'WEEKLY', byday: 'SA', opens_at: '10:00', closes_at: '12:00' },
    ])
    .execute();

  await db
    .insertInto('cost_option')
    .values({
      service_id: everything!.id,
      valid_from: '2026-01-01',
      valid_to: '2026-12-31',
      option: 'Trips',
      currency: 'GBP',
      amount: 12.5,
      amount_description: 'Per trip',
    })
    .execute();

  await db
    .insertInto('language')
    .values([
      { service_id: everything!.id, name: 'Scottish Gaelic', code: 'gd', note: 'On Wednesdays.' },
      { location_id: hub!.id, name: 'British Sign Language', code: 'bfi' },
      { phone_id: servicePhone!.id, name: 'Polish', code: 'pl' },
    ])
    .execute();

  return {
    organizationIds: { parent: parent.id, full: full.id, bare: bare.id, hidden: hidden.id, messy: messy.id },
    serviceIds: {
      everything: everything!.id,
      minimal: minimal!.id,
      helpline: helpline!.id,
      tenPlaces: tenPlaces!.id,
      unicode: unicode!.id,
      long: long!.id,
      inactive: inactive!.id,
      defunct: defunct!.id,
      closed: closed!.id,
      internal: internal!.id,
      messy: messyService!.id,
    },
    hubId: hub!.id,
    everythingAtHubId: everythingAtHub!.id,
    tenPlacesLinkIds: tenLinks.map((link) => link.id),
  };
}

export type EdgeCases = Awaited<ReturnType<typeof insertEdgeCases>>;
