import type { Kysely } from 'kysely';
import { stableUuid } from '../../ids.ts';

// Reference data every installation has: Scotland's council areas with their health and social care
// partnership and health board, and Frontdoor's three taxonomies. Ids are name-based so that every
// installation, and the ORUK feed it publishes, uses the same id for the same term.
// Later changes to these lists go in new migrations (or through the admin pages), never here.

const COUNCIL_AREAS: Array<[name: string, partnership: string, healthBoard: string]> = [
  ['Aberdeen City', 'Aberdeen City Health and Social Care Partnership', 'NHS Grampian'],
  ['Aberdeenshire', 'Aberdeenshire Health and Social Care Partnership', 'NHS Grampian'],
  ['Angus', 'Angus Health and Social Care Partnership', 'NHS Tayside'],
  ['Argyll and Bute', 'Argyll and Bute Health and Social Care Partnership', 'NHS Highland'],
  ['City of Edinburgh', 'Edinburgh Health and Social Care Partnership', 'NHS Lothian'],
  ['Clackmannanshire', 'Clackmannanshire and Stirling Health and Social Care Partnership', 'NHS Forth Valley'],
  ['Dumfries and Galloway', 'Dumfries and Galloway Health and Social Care Partnership', 'NHS Dumfries and Galloway'],
  ['Dundee City', 'Dundee Health and Social Care Partnership', 'NHS Tayside'],
  ['East Ayrshire', 'East Ayrshire Health and Social Care Partnership', 'NHS Ayrshire and Arran'],
  ['East Dunbartonshire', 'East Dunbartonshire Health and Social Care Partnership', 'NHS Greater Glasgow and Clyde'],
  ['East Lothian', 'East Lothian Health and Social Care Partnership', 'NHS Lothian'],
  ['East Renfrewshire', 'East Renfrewshire Health and Social Care Partnership', 'NHS Greater Glasgow and Clyde'],
  ['Falkirk', 'Falkirk Health and Social Care Partnership', 'NHS Forth Valley'],
  ['Fife', 'Fife Health and Social Care Partnership', 'NHS Fife'],
  ['Glasgow City', 'Glasgow City Health and Social Care Partnership', 'NHS Greater Glasgow and Clyde'],
  ['Highland', 'Highland Health and Social Care Partnership', 'NHS Highland'],
  ['Inverclyde', 'Inverclyde Health and Social Care Partnership', 'NHS Greater Glasgow and Clyde'],
  ['Midlothian', 'Midlothian Health and Social Care Partnership', 'NHS Lothian'],
  ['Moray', 'Moray Health and Social Care Partnership', 'NHS Grampian'],
  ['Na h-Eileanan Siar', 'Western Isles Health and Social Care Partnership', 'NHS Western Isles'],
  ['North Ayrshire', 'North Ayrshire Health and Social Care Partnership', 'NHS Ayrshire and Arran'],
  ['North Lanarkshire', 'North Lanarkshire Health and Social Care Partnership', 'NHS Lanarkshire'],
  ['Orkney Islands', 'Orkney Health and Social Care Partnership', 'NHS Orkney'],
  ['Perth and Kinross', 'Perth and Kinross Health and Social Care Partnership', 'NHS Tayside'],
  ['Renfrewshire', 'Renfrewshire Health and Social Care Partnership', 'NHS Greater Glasgow and Clyde'],
  ['Scottish Borders', 'Scottish Borders Health and Social Care Partnership', 'NHS Borders'],
  ['Shetland Islands', 'Shetland Health and Social Care Partnership', 'NHS Shetland'],
  ['South Ayrshire', 'South Ayrshire Health and Social Care Partnership', 'NHS Ayrshire and Arran'],
  ['South Lanarkshire', 'South Lanarkshire Health and Social Care Partnership', 'NHS Lanarkshire'],
  ['Stirling', 'Clackmannanshire and Stirling Health and Social Care Partnership', 'NHS Forth Valley'],
  ['West Dunbartonshire', 'West Dunbartonshire Health and Social Care Partnership', 'NHS Greater Glasgow and Clyde'],
  ['West Lothian', 'West Lothian Health and Social Care Partnership', 'NHS Lothian'],
];

type TermTree = Array<[code: string, name: string, children?: Array<[code: string, name: string]>]>;

const CATEGORIES: TermTree = [
  ['social-connection', 'Social connection', [
    ['lunch-clubs', 'Lunch clubs'],
    ['social-groups', 'Social groups and community hubs'],
    ['befriending', 'Befriending'],
  ]],
  ['health-conditions', 'Living with a health condition', [
    ['dementia', 'Dementia'],
    ['heart-conditions', 'Heart conditions'],
    ['stroke', 'Stroke'],
    ['diabetes', 'Diabetes'],
    ['respiratory', 'Chest and breathing conditions'],
    ['cancer-support', 'Cancer support'],
    ['sight-loss', 'Sight loss'],
    ['hearing-loss', 'Deafness and hearing loss'],
    ['long-covid', 'Long COVID'],
  ]],
  ['mental-health', 'Mental health and wellbeing', [
    ['mental-health-support', 'Mental health support'],
    ['bereavement', 'Bereavement'],
    ['drugs-alcohol', 'Drugs and alcohol'],
    ['suicide-prevention', 'Suicide prevention'],
  ]],
  ['physical-activity', 'Physical activity', [
    ['walking-groups', 'Walking groups'],
    ['exercise-classes', 'Exercise classes'],
    ['dance', 'Dance'],
    ['swimming', 'Swimming'],
  ]],
  ['carers', 'Support for carers', [
    ['carers-centres', "Carers' centres"],
    ['short-breaks', 'Short breaks and respite'],
  ]],
  ['money', 'Money, benefits and food', [
    ['welfare-rights', 'Welfare rights and benefits'],
    ['debt-advice', 'Debt advice'],
    ['food', 'Food banks and community pantries'],
    ['fuel-poverty', 'Energy and fuel costs'],
  ]],
  ['housing', 'Housing and homelessness', [
    ['homelessness', 'Homelessness'],
    ['sheltered-housing', 'Sheltered and supported housing'],
  ]],
  ['work-learning', 'Work, learning and volunteering', [
    ['employability', 'Employability'],
    ['care-sector-training', 'Care sector jobs and training'],
    ['volunteering', 'Volunteering'],
    ['digital-skills', 'Digital skills'],
    ['adult-learning', 'Adult learning'],
  ]],
  ['families', 'Children, young people and families', [
    ['parenting', 'Parenting support'],
    ['youth-work', 'Youth work'],
  ]],
  ['safety', 'Safety and abuse', [
    ['domestic-abuse', 'Domestic abuse'],
    ['sexual-violence', 'Rape and sexual violence'],
  ]],
  ['independent-living', 'Independent living', [
    ['help-at-home', 'Help at home'],
    ['equipment-adaptations', 'Equipment and adaptations'],
    ['community-transport', 'Community transport'],
    ['advocacy', 'Advocacy'],
  ]],
];

const CLIENT_GROUPS: TermTree = [
  ['older-people', 'Older people'],
  ['adults', 'Adults'],
  ['children', 'Children'],
  ['young-people', 'Young people'],
  ['families', 'Families'],
  ['carers', 'Unpaid carers'],
  ['people-living-with-dementia', 'People living with dementia'],
  ['people-with-long-term-conditions', 'People with long-term conditions'],
  ['people-with-mental-health-conditions', 'People with mental health conditions'],
  ['people-with-learning-disabilities', 'People with learning disabilities'],
  ['people-with-physical-disabilities', 'People with physical disabilities'],
  ['people-with-sight-loss', 'People with sight loss'],
  ['people-who-are-deaf', 'People who are deaf or have hearing loss'],
  ['people-in-recovery', 'People in recovery from drugs or alcohol'],
  ['people-experiencing-homelessness', 'People experiencing homelessness'],
  ['veterans', 'Veterans and armed forces families'],
  ['lgbtqi', 'LGBTQI+ people'],
  ['minority-ethnic', 'Minority ethnic communities'],
  ['refugees', 'Refugees and people seeking asylum'],
  ['women', 'Women'],
  ['men', 'Men'],
  ['job-seekers', 'People looking for work'],
];

const ACCESSIBILITY: TermTree = [
  ['step-free-access', 'Step-free access'],
  ['wheelchair-accessible', 'Wheelchair accessible'],
  ['accessible-toilet', 'Accessible toilet'],
  ['changing-places-toilet', 'Changing Places toilet'],
  ['hearing-loop', 'Hearing loop'],
  ['bsl', 'British Sign Language available'],
  ['large-print', 'Large print and easy read information'],
  ['quiet-space', 'Quiet space'],
  ['assistance-dogs', 'Assistance dogs welcome'],
  ['accessible-parking', 'Accessible parking'],
  ['public-transport', 'Near public transport'],
];

export const TAXONOMIES = [
  { key: 'categories', name: 'Frontdoor categories', description: 'What a service offers.', terms: CATEGORIES },
  { key: 'client-groups', name: 'Frontdoor client groups', description: 'Who a service is for.', terms: CLIENT_GROUPS },
  { key: 'accessibility', name: 'Frontdoor accessibility features', description: 'How accessible a place is.', terms: ACCESSIBILITY },
] as const;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export async function up(db: Kysely<any>): Promise<void> {
  await db
    .insertInto('council_area')
    .values(COUNCIL_AREAS.map(([name, partnership, healthBoard]) => ({
      code: slug(name),
      name,
      partnership_name: partnership,
      health_board_name: healthBoard,
    })))
    .execute();

  for (const taxonomy of TAXONOMIES) {
    const taxonomyId = stableUuid('frontdoor:taxonomy', taxonomy.key);
    await db.insertInto('taxonomy').values({ id: taxonomyId, name: taxonomy.name, description: taxonomy.description, version: '1' }).execute();
    const rows: Array<Record<string, unknown>> = [];
    for (const [code, name, children] of taxonomy.terms) {
      const parentId = stableUuid(`frontdoor:term:${taxonomy.key}`, code);
      rows.push({ id: parentId, taxonomy_id: taxonomyId, code, name, parent_id: null, language: 'en' });
      for (const [childCode, childName] of children ?? []) {
        rows.push({
          id: stableUuid(`frontdoor:term:${taxonomy.key}`, childCode),
          taxonomy_id: taxonomyId,
          code: childCode,
          name: childName,
          parent_id: parentId,
          language: 'en',
        });
      }
    }
    await db.insertInto('taxonomy_term').values(rows).execute();
  }
}
