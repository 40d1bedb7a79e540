import type { DeliveryMode } from '../../platform/db/schema.ts';

// The kinds of organisation that run the demo directory's services. Names are invented, built from
// real place names; templates use {town}, {area} and {saint}.

export type LegalForm = 'charity' | 'community' | 'housing' | 'church' | 'cic' | 'trust';

export interface OrganisationArchetype {
  key: string;
  names: readonly string[];
  /** [Gaelic name, English alternate name] for Gaelic-speaking areas. */
  gaelicNames?: ReadonlyArray<readonly [string, string]>;
  about: readonly string[];
  /** The service every organisation of this kind runs; listed first. */
  core?: string;
  /** Other kinds of service it may run, by weight. */
  kinds: ReadonlyArray<readonly [string, number]>;
  /** How many services, fewest and most. */
  services: readonly [number, number];
  legal: LegalForm;
  /** How common this kind of organisation is, relative to the others. */
  weight: number;
}

export const ORGANISATION_ARCHETYPES: readonly OrganisationArchetype[] = [
  {
    key: 'carers-centre',
    names: ["{town} Carers' Centre", "{area} Carers' Centre", 'Carers of {area}', "{area} Carers' Network", "{town} & District Carers' Centre"],
    about: [
      'We are an independent local charity supporting unpaid carers of all ages. Carers set up the centre, carers sit on our board, and everything we do starts from what carers tell us they need.',
      "Since we opened, thousands of carers have come through our door. We are funded by the health and social care partnership, the National Lottery Community Fund and local fundraising, and every service is free.",
    ],
    core: 'carers-centre',
    kinds: [['young-carers', 3], ['short-breaks', 3], ['dementia-carers-group', 2], ['bereavement', 1], ['welfare-rights', 1]],
    services: [3, 6],
    legal: 'charity',
    weight: 0.6,
  },
  {
    key: 'older-people',
    names: ['Age & Opportunity {area}', "{town} Senior Citizens' Association", 'Golden Years {town}', '{town} Over-60s Forum', 'Later Life {area}', "{town} Older People's Network"],
    gaelicNames: [['Cuideachd {baile}', 'Companionship {town}']],
    about: [
      'We help older people in {area} live the lives they want, with friendship, activity and practical help. Most of our work is done by volunteers, many of them over 70 themselves.',
      'Our charity began as a single lunch club in a church hall and now runs groups, classes and clubs across {area}. We believe nobody should be lonely in later life.',
    ],
    core: 'sheltered-lunch-club',
    kinds: [
      ['sheltered-social-hub', 3], ['lunch-club', 3], ['tea-dance', 2], ['befriending', 2], ['phone-befriending', 1],
      ['strength-balance', 2], ['digital-drop-in', 1], ['knit-natter', 1], ['dance-class', 1], ['walking-group', 1],
    ],
    services: [3, 8],
    legal: 'charity',
    weight: 1.2,
  },
  {
    key: 'housing',
    names: ['{area} Housing Association', '{town} Housing Co-operative', '{town} & District Housing Association', 'Hearth Homes {area}'],
    about: [
      'We are a not-for-profit housing association providing affordable homes, including sheltered and amenity housing for older people. Our tenants elect our committee.',
      'As a community-controlled housing association we own and manage homes in and around {town}, and we put as much into our tenants\' wellbeing as into their buildings.',
    ],
    core: 'sheltered-social-hub',
    kinds: [['sheltered-lunch-club', 4], ['sheltered-social-hub', 2], ['digital-drop-in', 1], ['energy-advice', 1], ['welfare-rights', 1]],
    services: [3, 5],
    legal: 'housing',
    weight: 0.6,
  },
  {
    key: 'dementia',
    names: ['Dementia Friendly {town}', '{area} Dementia Link', '{town} Memory Café Group', 'Remember Together {area}'],
    gaelicNames: [['Ceòl is Cuimhne {baile}', 'Music and Memory {town}']],
    about: [
      'We are local people working to make {town} a place where people living with dementia, and those who care for them, feel understood, welcomed and able to keep doing the things they love.',
      'Our volunteers have trained hundreds of shop staff, bus drivers and bank tellers as Dementia Friends, and we run groups where people with Alzheimer\'s and other dementias can enjoy themselves without worrying about getting things wrong.',
    ],
    core: 'memory-cafe',
    kinds: [['dementia-pds', 1], ['singing-for-memory', 3], ['dementia-carers-group', 3], ['dementia-friendly-walk', 2], ['memory-cafe', 1]],
    services: [2, 5],
    legal: 'charity',
    weight: 0.7,
  },
  {
    key: 'heart-lung',
    names: ['{area} Heart & Lung Support', '{town} Cardiac Club', 'Better Breathing {area}', '{area} Heart Support Group'],
    gaelicNames: [['Cridhe Làidir {baile}', 'Strong Heart {town}']],
    about: [
      'We were set up by people who had been through cardiac rehabilitation and did not want the support to stop at the hospital door. We now help people living with heart and lung conditions across {area}.',
      'Our members live with heart failure, angina, COPD and other long-term conditions. Together we exercise, learn and look out for each other.',
    ],
    kinds: [
      ['cardiac-exercise', 3], ['heart-failure-self-management', 2], ['copd-group', 3], ['singing-lung-health', 2], ['stroke-club', 1], ['long-covid-group', 1],
    ],
    services: [2, 5],
    legal: 'charity',
    weight: 0.6,
  },
  {
    key: 'sight-loss',
    names: ['{area} Sight Loss Society', '{area} Visual Impairment Network', '{town} Society for the Blind', 'Seeing Ahead {area}'],
    gaelicNames: [['Sùil air Adhart {area}', 'Looking Forward {area}']],
    about: [
      'Founded over a century ago as a workshop for blind people, we now support people of all ages with sight loss across {area} to live independently and confidently.',
      'We are a local sight loss charity. We run the eye clinic liaison service at the local hospital where there is one, a resource centre, and social groups across the area.',
    ],
    core: 'sight-loss-group',
    kinds: [['eclo', 4], ['sight-loss-resource', 3], ['talking-newspaper', 2], ['sight-loss-group', 1]],
    services: [2, 4],
    legal: 'charity',
    weight: 0.45,
  },
  {
    key: 'mental-health',
    names: ['{area} Association for Mental Health', '{town} Wellbeing Network', 'Open Door {town}', 'Lighthouse {area}', 'Headroom {town}'],
    gaelicNames: [['Inntinn Fallain {baile}', 'Healthy Mind {town}']],
    about: [
      'We support people in {area} with their mental health and wellbeing, through peer support, activity and a place to belong. Many of our staff and volunteers have their own lived experience of mental ill health.',
      'Our mental health charity believes recovery is possible for everyone. We work alongside community mental health teams but are independent of them.',
    ],
    core: 'peer-support',
    kinds: [['smi-physical-activity', 4], ['wellbeing-cafe', 3], ['anxiety-course', 2], ['advocacy', 1], ['suicide-awareness', 1]],
    services: [3, 5],
    legal: 'charity',
    weight: 0.6,
  },
  {
    key: 'care-employability',
    names: ['{area} Care Academy', 'Skills & Care {area}', 'Routes into Care {area}', '{area} Works', 'Careers in Care {area}'],
    gaelicNames: [['Cothrom Ùr {area}', 'New Opportunity {area}']],
    about: [
      'We help people in {area} into good jobs, with a particular focus on social care, where local employers have hundreds of vacancies. We work with care providers, colleges and the council\'s employability partnership.',
      'Our training centre is an SQA-approved centre delivering care qualifications, and our keyworkers support people facing barriers to work, from disability to a criminal record.',
    ],
    core: 'care-pre-employment',
    kinds: [['care-svq', 3], ['employability', 3], ['digital-drop-in', 1], ['esol', 1]],
    services: [2, 5],
    legal: 'charity',
    weight: 0.45,
  },
  {
    key: 'development-trust',
    names: ['{town} Development Trust', '{town} Community Hub', '{town} Community Association', '{town} Community Trust'],
    gaelicNames: [['Taigh Cèilidh {baile}', 'Ceilidh House {town}'], ['Urras {baile}', '{town} Trust']],
    about: [
      'We are a community-owned development trust. Local people are our members and elect our board, and we run projects that {town} has told us it needs, paid for partly by our community wind turbine.',
      'Our community hub is a busy building in the middle of {town}, home to a café, a pantry, groups and classes for all ages.',
    ],
    kinds: [
      ['community-cafe', 4], ['community-pantry', 3], ['mens-shed', 2], ['walking-group', 2], ['digital-drop-in', 2], ['youth-club', 2],
      ['knit-natter', 2], ['lunch-club', 2], ['parent-toddler', 1], ['dial-a-ride', 1], ['gaelic-cafe', 1],
    ],
    services: [3, 7],
    legal: 'community',
    weight: 1.0,
  },
  {
    key: 'leisure',
    names: ['Active {area} Trust', '{area} Leisure & Culture', 'Live Well {area}', 'Move More {area}'],
    gaelicNames: [['Ceum air Cheum {area}', 'Step by Step {area}']],
    about: [
      'We are the charitable trust that runs leisure centres, swimming pools and community sport across {area}, reinvesting every penny in getting more people active.',
      'We believe physical activity is for everyone. Alongside our leisure centres we run a programme of gentle and supported activity for older people and people living with health conditions.',
    ],
    core: 'walking-group',
    kinds: [
      ['strength-balance', 3], ['walking-football', 3], ['aquafit', 3], ['dance-class', 3], ['smi-physical-activity', 2], ['cardiac-exercise', 2], ['walking-group', 1],
    ],
    services: [3, 8],
    legal: 'trust',
    weight: 0.45,
  },
  {
    key: 'advice',
    names: ['{town} Advice Centre', '{area} Money Advice Project', '{area} Advice & Rights', '{town} Welfare Rights Unit'],
    about: [
      'We provide free, confidential and impartial advice to anyone who lives or works in {area}. Our advisers are accredited under the Scottish National Standards for Information and Advice Providers.',
      'Money worries affect health, relationships and work. We have been helping people in {town} claim what they are owed and get on top of debt for over thirty years.',
    ],
    core: 'welfare-rights',
    kinds: [['debt-advice', 4], ['energy-advice', 3], ['polish-advice', 1], ['welfare-rights', 1]],
    services: [2, 5],
    legal: 'charity',
    weight: 0.55,
  },
  {
    key: 'church',
    names: ["St {saint}'s Parish Church", '{town} Parish Church', "St {saint}'s Church", '{town} Old Parish Church'],
    about: [
      'We are a Church of Scotland congregation in the heart of {town}. Our halls are busy every day of the week with groups for the whole community, whatever their faith or none.',
      "Our church has served {town} for generations, and we see caring for our neighbours as part of what it means to be a church.",
    ],
    kinds: [['lunch-club', 4], ['community-cafe', 3], ['food-bank', 2], ['bereavement', 1], ['parent-toddler', 2], ['knit-natter', 1], ['tea-dance', 1]],
    services: [2, 3],
    legal: 'church',
    weight: 0.7,
  },
  {
    key: 'music-dance',
    names: ['Sing for Joy {town}', '{town} Community Choir', 'Dance Base {town}', '{area} Dance & Movement'],
    gaelicNames: [['Dannsa Còmhla {baile}', 'Dance Together {town}']],
    about: [
      'We bring people together through music and dance, for the joy of it and for what it does for health and wellbeing. No auditions, no experience needed.',
    ],
    kinds: [['dance-class', 3], ['singing-for-memory', 2], ['singing-lung-health', 2], ['tea-dance', 2]],
    services: [2, 3],
    legal: 'community',
    weight: 0.4,
  },
  {
    key: 'transport',
    names: ['{area} Community Transport', '{town} Dial-a-Ride', '{area} Rural Transport Association'],
    about: ['We provide accessible, affordable transport for people who cannot use buses or have no bus to use, so nobody in {area} is cut off.'],
    core: 'dial-a-ride',
    kinds: [['dial-a-ride', 1]],
    services: [1, 2],
    legal: 'charity',
    weight: 0.3,
  },
  {
    key: 'advocacy',
    names: ['{area} Independent Advocacy', '{area} Advocacy Project', 'Speak Up {area}'],
    about: ['We provide free, independent advocacy so that people in {area} can be heard in decisions about their lives.'],
    core: 'advocacy',
    kinds: [['advocacy', 1]],
    services: [1, 2],
    legal: 'charity',
    weight: 0.3,
  },
  {
    key: 'womens',
    names: ["{area} Women's Support Service", "{town} Women's Centre", "{area} Women's Safety Network"],
    about: ['We support women and children affected by domestic abuse, and work to end violence against women in {area}.'],
    core: 'domestic-abuse',
    kinds: [['south-asian-womens-health', 1], ['domestic-abuse', 1]],
    services: [1, 2],
    legal: 'charity',
    weight: 0.3,
  },
  {
    key: 'recovery',
    names: ['{town} Recovery Café', 'Recovery {area}', '{town} Recovery Community'],
    about: ['We are a recovery community run by and for people in recovery from drugs and alcohol, and their families.'],
    core: 'recovery-cafe',
    kinds: [['recovery-walk', 3], ['peer-support', 1], ['homelessness-drop-in', 1]],
    services: [2, 3],
    legal: 'charity',
    weight: 0.35,
  },
  {
    key: 'food',
    names: ['{town} Food Bank', '{town} Community Pantry', '{town} Community Food Project'],
    about: ['We make sure nobody in {town} goes hungry, and work to end the need for emergency food.'],
    kinds: [['food-bank', 3], ['community-pantry', 3], ['energy-advice', 1]],
    services: [1, 2],
    legal: 'charity',
    weight: 0.5,
  },
  {
    key: 'mens-shed',
    names: ["{town} Men's Shed"],
    about: ['We are a Men\'s Shed: a community workshop run by our members, a place to share skills, make friends and feel useful.'],
    core: 'mens-shed',
    kinds: [['mens-shed', 1]],
    services: [1, 1],
    legal: 'community',
    weight: 0.3,
  },
  {
    key: 'stroke-club',
    names: ['{town} Stroke Club', '{area} Stroke Survivors\' Network', 'Life After Stroke {town}'],
    about: ['We are a volunteer-led club for people who have had a stroke and the families who support them, meeting every week since the club was founded.'],
    core: 'stroke-club',
    kinds: [['walking-group', 1], ['dance-class', 1], ['singing-lung-health', 1]],
    services: [1, 2],
    legal: 'community',
    weight: 0.2,
  },
  {
    key: 'diabetes',
    names: ['{area} Diabetes Support Group', '{town} Diabetes Network'],
    about: ['We are run by and for people living with diabetes, working alongside the local diabetes specialist nurses.'],
    core: 'diabetes-education',
    kinds: [['walking-group', 1], ['south-asian-womens-health', 1]],
    services: [1, 2],
    legal: 'community',
    weight: 0.15,
  },
  {
    key: 'cancer',
    names: ['{town} Cancer Support Group', '{area} Cancer Support Centre', 'Harbour Light Cancer Support {area}'],
    about: ['We offer a warm welcome, information and emotional support to anyone affected by cancer, alongside the treatment and care of the NHS.'],
    core: 'cancer-drop-in',
    kinds: [['bereavement', 1], ['walking-group', 1], ['welfare-rights', 1]],
    services: [1, 3],
    legal: 'charity',
    weight: 0.2,
  },
  {
    key: 'long-covid',
    names: ['Long COVID {area}', '{area} Long COVID Network'],
    about: ['We are a peer-led group started during the pandemic by people living with long COVID who could not find support.'],
    core: 'long-covid-group',
    kinds: [['peer-support', 1]],
    services: [1, 2],
    legal: 'community',
    weight: 0.06,
  },
  {
    key: 'deaf',
    names: ['{area} Deaf Club', '{area} Hearing Support', '{area} Deaf & Hard of Hearing Society'],
    about: ['We support Deaf people and people with hearing loss across {area}, and campaign for better access to services in BSL.'],
    kinds: [['bsl-coffee-morning', 2], ['hearing-aid-clinic', 3]],
    services: [1, 3],
    legal: 'charity',
    weight: 0.25,
  },
  {
    key: 'communities',
    names: ['{town} New Scots Welcome', '{area} Multicultural Association', '{town} Intercultural Hub', '{area} Community Connections'],
    about: ['We bring together people of every background in {area}, and help people who are new to Scotland settle, find support and feel at home.'],
    kinds: [['new-scots-cafe', 3], ['esol', 3], ['south-asian-womens-health', 2], ['polish-advice', 2]],
    services: [2, 3],
    legal: 'charity',
    weight: 0.3,
  },
  {
    key: 'families-youth',
    names: ['{town} Youth Project', '{town} Family Centre', '{town} Youth & Community Trust'],
    about: ['We work with children, young people and families in {town}, offering fun, support and a safe place to be.'],
    kinds: [['youth-club', 3], ['parent-toddler', 3], ['young-carers', 1]],
    services: [2, 3],
    legal: 'charity',
    weight: 0.45,
  },
  {
    key: 'volunteer-centre',
    names: ['Volunteer {area}', '{area} Third Sector Interface', '{area} Voluntary Action'],
    about: ['We support volunteering and the voluntary sector in {area}, helping local charities and community groups thrive.'],
    core: 'volunteering',
    kinds: [['digital-drop-in', 1], ['employability', 1]],
    services: [1, 2],
    legal: 'charity',
    weight: 0.25,
  },
  {
    key: 'lgbt',
    names: ['{town} LGBT+ Network', '{area} Rainbow Group', 'Out in {area}'],
    about: ['We are a volunteer-run LGBTQI+ community group. Everything we do is shaped by our members.'],
    core: 'lgbt-social',
    kinds: [['peer-support', 1], ['walking-group', 1]],
    services: [1, 2],
    legal: 'community',
    weight: 0.12,
  },
  {
    key: 'veterans',
    names: ["{town} Veterans' Association", "{area} Veterans' Hub"],
    about: ['We are run by veterans for veterans and their families, so nobody who has served has to face civilian life alone.'],
    core: 'veterans-breakfast',
    kinds: [['walking-group', 1], ['mens-shed', 1], ['peer-support', 1]],
    services: [1, 3],
    legal: 'community',
    weight: 0.15,
  },
  {
    key: 'bereavement',
    names: ['{town} Bereavement Support', '{area} Bereavement Service', 'Cairn Bereavement Care {area}'],
    about: ['We are a small charity offering bereavement support from trained volunteers to anyone in {area} who has lost someone.'],
    core: 'bereavement',
    kinds: [['walking-group', 1], ['peer-support', 1]],
    services: [1, 2],
    legal: 'charity',
    weight: 0.12,
  },
  {
    key: 'learning-disability',
    names: ['{area} Learning Disability Forum', 'Include Us {area}', '{town} Day Opportunities'],
    about: ['We support adults with learning disabilities to live full lives in their own communities, with friendship, learning and work.'],
    core: 'day-opportunities',
    kinds: [['dance-class', 1], ['employability', 1], ['walking-group', 1], ['digital-drop-in', 1]],
    services: [1, 3],
    legal: 'charity',
    weight: 0.15,
  },
  {
    key: 'gaelic',
    names: ['Comann nam Pàrant {baile}', 'Cèilidh Còmhla {baile}', 'Fàilte {baile}'],
    about: [
      'We are a Gaelic community organisation. We bring Gaelic speakers and learners together and help families, young and old, use the language every day.',
    ],
    kinds: [['gaelic-parents', 3], ['gaelic-cafe', 3], ['singing-for-memory', 1], ['parent-toddler', 1]],
    services: [1, 2],
    legal: 'community',
    weight: 0,
  },
  {
    key: 'handyperson',
    names: ['{area} Handyperson Service', '{area} Care & Repair', 'Safe at Home {area}'],
    about: ['We help older and disabled people in {area} stay safe, warm and independent in their own homes.'],
    core: 'handyperson',
    kinds: [['energy-advice', 1]],
    services: [1, 2],
    legal: 'charity',
    weight: 0.25,
  },
];

export const ARCHETYPE_BY_KEY: ReadonlyMap<string, OrganisationArchetype> = new Map(ORGANISATION_ARCHETYPES.map((archetype) => [archetype.key, archetype]));

/** Organisations created in every run, by name, so the demo always shows these examples. */
export interface FeaturedOrganisation {
  councilArea: string;
  archetype: string;
  name: string;
  alternateName?: string;
  town: string;
  /** Replaces the archetype's core service. */
  core?: string;
}

export const FEATURED_ORGANISATIONS: readonly FeaturedOrganisation[] = [
  { councilArea: 'North Ayrshire', archetype: 'carers-centre', name: "Irvine Carers' Centre", town: 'Irvine' },
  { councilArea: 'North Ayrshire', archetype: 'older-people', name: 'Arran Lunch Club', town: 'Brodick', core: 'lunch-club' },
  { councilArea: 'North Ayrshire', archetype: 'dementia', name: 'Dementia Friendly Kilwinning', town: 'Kilwinning' },
  { councilArea: 'Fife', archetype: 'older-people', name: 'Age & Opportunity Fife', town: 'Kirkcaldy' },
  { councilArea: 'Na h-Eileanan Siar', archetype: 'dementia', name: 'Ceòl is Cuimhne', alternateName: 'Music and Memory', town: 'Stornoway', core: 'singing-for-memory' },
  { councilArea: 'Na h-Eileanan Siar', archetype: 'gaelic', name: 'Comann nam Pàrant', alternateName: "The Parents' Association", town: 'Stornoway', core: 'gaelic-parents' },
  { councilArea: 'Highland', archetype: 'older-people', name: "Skye Older People's Network", town: 'Portree' },
  { councilArea: 'Glasgow City', archetype: 'carers-centre', name: "Glasgow South Carers' Centre", town: 'Govanhill' },
  { councilArea: 'City of Edinburgh', archetype: 'older-people', name: 'Leith Lunch & Social Club', town: 'Leith', core: 'lunch-club' },
];

/** Scotland-wide charities that run the required support wherever no local organisation does. */
export interface NationalProvider {
  key: string;
  name: string;
  about: readonly string[];
  founded: number;
  /** Kinds of local service it runs; the first is the one it fills gaps with. */
  kinds: readonly string[];
  /** Headquarters: a town in a council area. */
  councilArea: string;
  town: string;
}

export const NATIONAL_PROVIDERS: readonly NationalProvider[] = [
  {
    key: 'dementia',
    name: 'Dementia Together Scotland',
    about: [
      'Dementia Together Scotland is a national charity that makes sure nobody faces dementia alone. We provide post-diagnostic support in partnership with health and social care partnerships, run a 24-hour helpline, and campaign for the rights of people living with dementia and their carers.',
      'Our link workers, dementia advisers and volunteers work in communities from the Borders to Shetland. People living with dementia sit on our board and shape everything we do.',
    ],
    founded: 1987,
    kinds: ['dementia-pds', 'memory-cafe', 'dementia-carers-group'],
    councilArea: 'City of Edinburgh',
    town: 'Edinburgh',
  },
  {
    key: 'sight-loss',
    name: 'Clearview Sight Loss Scotland',
    about: [
      'Clearview supports people across Scotland who are blind or partially sighted. Our eye clinic liaison officers work in hospital eye departments, our rehabilitation workers help people stay independent at home, and our advice line answers thousands of calls a year.',
    ],
    founded: 1921,
    kinds: ['eclo', 'sight-loss-resource'],
    councilArea: 'Glasgow City',
    town: 'Glasgow',
  },
  {
    key: 'heart',
    name: 'Heartstrong Scotland',
    about: [
      'Heartstrong Scotland helps people living with heart failure, heart disease, stroke and chest conditions such as COPD to live well. We run self-management programmes with NHS boards, support local groups and offer a nurse-led advice line.',
    ],
    founded: 1979,
    kinds: ['heart-failure-self-management', 'cardiac-exercise', 'copd-group'],
    councilArea: 'City of Edinburgh',
    town: 'Edinburgh',
  },
  {
    key: 'active-minds',
    name: 'Active Minds Scotland',
    about: [
      'Active Minds Scotland works to close the mortality gap for people with severe mental illness by making physical activity accessible, enjoyable and routine. We train coaches, partner with leisure trusts and community mental health teams, and run programmes across Scotland.',
    ],
    founded: 2012,
    kinds: ['smi-physical-activity', 'walking-group'],
    councilArea: 'Glasgow City',
    town: 'Glasgow',
  },
  {
    key: 'care-futures',
    name: 'Care Futures Scotland',
    about: [
      'Care Futures Scotland is a social enterprise and charity that recruits, trains and supports people into careers in social care. We work with care providers, colleges and employability partnerships in every part of Scotland.',
    ],
    founded: 2016,
    kinds: ['care-pre-employment', 'care-svq'],
    councilArea: 'Stirling',
    town: 'Stirling',
  },
];

export interface NationalHelpline {
  /**
   * Who runs it. A name that matches a national provider or an earlier helpline's organisation
   * shares that organisation, and then only the name is needed.
   */
  organisation: { name: string; alternateName?: string; about?: string; founded?: number; legal?: LegalForm };
  name: string;
  alternateName?: string;
  summary: string;
  description: readonly string[];
  categories: readonly string[];
  clientGroups: readonly string[];
  area: 'scotland' | 'uk';
  deliveryModes: readonly DeliveryMode[];
  hours: 'always' | 'extended' | 'daytime' | 'evenings';
  /** Video relay and text services get those phone types. */
  phoneType?: 'voice' | 'video' | 'text';
  languages?: readonly string[];
}

export const NATIONAL_HELPLINES: readonly NationalHelpline[] = [
  {
    organisation: { name: 'Dementia Together Scotland' },
    name: 'Dementia Together Helpline',
    summary: 'Free 24-hour helpline for anyone living with dementia, their families, carers and professionals.',
    description: [
      'Whatever time of day or night, our trained advisers are here to listen and help: with a new diagnosis, changes in behaviour, caring at home, power of attorney, or simply when you need to talk to someone who understands dementia.',
      'We can tell you about post-diagnostic support, memory cafés and carers\' groups where you live, and send information in the post or by email.',
    ],
    categories: ['dementia'],
    clientGroups: ['people-living-with-dementia', 'carers'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'always',
  },
  {
    organisation: { name: 'Clearview Sight Loss Scotland' },
    name: 'Sight Loss Advice Line',
    summary: 'Advice and emotional support for anyone affected by sight loss, from diagnosis onwards.',
    description: [
      'Call our advice line if you or someone close to you is losing their sight. Our advisers, several of whom have sight loss themselves, can explain eye conditions, registration, benefits and technology, and connect you with an eye clinic liaison officer or a local group.',
    ],
    categories: ['sight-loss'],
    clientGroups: ['people-with-sight-loss', 'carers'],
    area: 'uk',
    deliveryModes: ['phone', 'online'],
    hours: 'extended',
  },
  {
    organisation: { name: 'Heartstrong Scotland' },
    name: 'Heart, Chest & Stroke Advice Line',
    summary: 'A nurse-led advice line for people with heart failure, heart disease, COPD and other chest conditions, and stroke.',
    description: [
      'Our advice line nurses have time to talk things through: what a diagnosis of heart failure or COPD means, how to manage breathlessness, what medicines do, and where to find a self-management programme or exercise class near you. Calls are free from landlines and mobiles.',
    ],
    categories: ['heart-conditions', 'respiratory', 'stroke'],
    clientGroups: ['people-with-long-term-conditions', 'carers'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'daytime',
  },
  {
    organisation: { name: 'Care Futures Scotland' },
    name: 'Care Careers Advice Line and Jobs Board',
    summary: 'Free advice on starting a career in social care, and an online board of care jobs across Scotland.',
    description: [
      'Not sure whether a job in care is for you? Talk to our careers advisers about what the work involves, pay and conditions, qualifications, the PVG scheme and SSSC registration, and find training and vacancies near you.',
    ],
    categories: ['care-sector-training', 'employability'],
    clientGroups: ['job-seekers', 'young-people', 'adults'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'daytime',
  },
  {
    organisation: { name: 'Carers Together Scotland', about: 'Carers Together Scotland is the national charity for unpaid carers, working with local carers\' centres in every part of Scotland.', founded: 1994, legal: 'charity' },
    name: "Carers' Line",
    summary: "Information and a listening ear for unpaid carers anywhere in Scotland, and a link to your local carers' centre.",
    description: [
      'If you look after someone, our Carers\' Line can help you understand your rights, find your local carers\' centre and get the support you are entitled to, including a carer support plan and Carer Support Payment.',
    ],
    categories: ['carers-centres', 'welfare-rights'],
    clientGroups: ['carers'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'daytime',
  },
  {
    organisation: { name: 'Carers Together Scotland' },
    name: 'Young Carers Text & Chat',
    summary: 'Online chat and text support for young carers aged 12 to 25.',
    description: ['Young carers can chat online or text a trained support worker about anything, from school and exams to worries at home. We can also help you find a young carers\' group near you.'],
    categories: ['carers-centres', 'youth-work'],
    clientGroups: ['carers', 'young-people'],
    area: 'scotland',
    deliveryModes: ['online'],
    hours: 'evenings',
    phoneType: 'text',
  },
  {
    organisation: { name: 'Evening Star', about: 'Evening Star is a charity working to end loneliness among older people across the UK.', founded: 2010, legal: 'charity' },
    name: 'Evening Star Friendship Line',
    summary: 'A free, confidential friendship line for older people, open day and night, every day of the year.',
    description: ['Whether you want a chat, some information or are feeling lonely, call anytime. We can also arrange a weekly friendship call from a volunteer.'],
    categories: ['befriending'],
    clientGroups: ['older-people'],
    area: 'uk',
    deliveryModes: ['phone'],
    hours: 'always',
  },
  {
    organisation: { name: 'Night Owl Listening Service', about: 'Night Owl is a volunteer-run listening service for anyone who is struggling to cope.', founded: 1968, legal: 'charity' },
    name: 'Night Owl Listening Line',
    summary: 'Round-the-clock emotional support for anyone who is struggling, including people having thoughts of suicide.',
    description: ['Our trained volunteers listen without judging or telling you what to do. You can call, email or chat online, at any time of the day or night.'],
    categories: ['mental-health-support', 'suicide-prevention'],
    clientGroups: ['adults', 'young-people'],
    area: 'uk',
    deliveryModes: ['phone', 'online'],
    hours: 'always',
  },
  {
    organisation: { name: 'Talk It Through Scotland', about: 'Talk It Through Scotland offers free, confidential listening and signposting for people in Scotland feeling low, stressed or anxious.', founded: 2004, legal: 'charity' },
    name: 'Talk It Through Listening Line',
    summary: 'An evening and weekend listening line for people in Scotland feeling low, anxious or stressed.',
    description: ['If you are feeling down or can\'t see a way forward, call us. Our advisers listen and can tell you about support where you live.'],
    categories: ['mental-health-support'],
    clientGroups: ['adults', 'people-with-mental-health-conditions'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'evenings',
  },
  {
    organisation: { name: 'Safer Homes Scotland', about: 'Safer Homes Scotland runs a national helpline for anyone affected by domestic abuse or forced marriage.', founded: 1998, legal: 'charity' },
    name: 'Safer Homes Domestic Abuse & Forced Marriage Helpline',
    summary: 'A 24-hour helpline for anyone experiencing domestic abuse or forced marriage, and for worried friends, family and professionals.',
    description: ['Our helpline is free, confidential and open 24 hours a day. We can talk through your options, help you plan for your safety and put you in touch with local support and refuge.'],
    categories: ['domestic-abuse'],
    clientGroups: ['women', 'adults'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'always',
    languages: ['ur', 'pl', 'ar'],
  },
  {
    organisation: { name: 'Clearway Scotland', about: 'Clearway supports survivors of rape and sexual violence across Scotland.', founded: 1991, legal: 'charity' },
    name: 'Clearway Support Line',
    summary: 'Free support for anyone affected by rape or sexual violence, at any time in their life.',
    description: ['Whether it happened recently or a long time ago, our support workers can listen, give information and help you decide what to do next, including whether to report to the police.'],
    categories: ['sexual-violence'],
    clientGroups: ['adults', 'women', 'young-people'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'extended',
  },
  {
    organisation: { name: 'Recovery Road Scotland', about: 'Recovery Road connects people affected by drugs and alcohol with support and recovery communities across Scotland.', founded: 2009, legal: 'charity' },
    name: 'Recovery Road Helpline',
    summary: 'Confidential information and advice about drugs and alcohol, for anyone who uses them and for worried families.',
    description: ['Call or chat online for honest information about drugs and alcohol, help to find treatment and recovery communities near you, and support for families.'],
    categories: ['drugs-alcohol'],
    clientGroups: ['people-in-recovery', 'families', 'adults'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'extended',
  },
  {
    organisation: { name: 'Lighthouse Cancer Support', about: 'Lighthouse offers information and emotional support to anyone affected by cancer across the UK.', founded: 1983, legal: 'charity' },
    name: 'Lighthouse Cancer Support Line',
    summary: 'Specialist cancer nurses and advisers for anyone affected by cancer, including help with money and work.',
    description: ['Our nurses answer questions about diagnosis, treatment and side effects, and our money advisers help with benefits, grants and work.'],
    categories: ['cancer-support'],
    clientGroups: ['people-with-long-term-conditions', 'carers'],
    area: 'uk',
    deliveryModes: ['phone', 'online'],
    hours: 'extended',
  },
  {
    organisation: { name: 'Rainbow Line Scotland', about: 'Rainbow Line is Scotland\'s LGBTQI+ helpline, staffed by LGBTQI+ volunteers.', founded: 1976, legal: 'charity' },
    name: 'Rainbow Line',
    summary: 'A helpline for LGBTQI+ people in Scotland and those supporting them.',
    description: ['Talk to someone who understands about coming out, relationships, gender identity, discrimination or anything else on your mind.'],
    categories: ['mental-health-support'],
    clientGroups: ['lgbtqi'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'evenings',
  },
  {
    organisation: { name: 'Forces Families Line', about: 'Forces Families Line supports veterans and families of the armed forces across the UK.', founded: 2001, legal: 'charity' },
    name: 'Forces Families Line',
    summary: 'Free, confidential support for veterans, serving personnel and their families.',
    description: ['From mental health and housing to money and relationships, our advisers understand military life and can connect you with specialist help.'],
    categories: ['mental-health-support', 'welfare-rights'],
    clientGroups: ['veterans', 'families'],
    area: 'uk',
    deliveryModes: ['phone', 'online'],
    hours: 'always',
  },
  {
    organisation: { name: 'Warm Homes Scotland', about: 'Warm Homes Scotland gives free impartial advice on energy bills and keeping homes warm.', founded: 2008, legal: 'charity' },
    name: 'Warm Homes Advice Line',
    summary: 'Free advice on energy bills, debt with your supplier, and grants for heating and insulation.',
    description: ['Our advisers can help you understand your bills, deal with your energy supplier, and apply for grants and schemes that could make your home warmer and cheaper to heat.'],
    categories: ['fuel-poverty'],
    clientGroups: ['adults', 'older-people', 'families'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'daytime',
  },
  {
    organisation: { name: 'SignLink Scotland', about: 'SignLink provides video relay so Deaf BSL users can contact public services.', founded: 2015, legal: 'cic' },
    name: 'SignLink Video Relay',
    summary: 'A free video relay service so Deaf BSL users can phone public services, charities and GPs through an online interpreter.',
    description: ['Connect to a qualified BSL interpreter by video on your phone, tablet or computer, and they will relay your call. Hearing people can also use SignLink to call a Deaf BSL user.'],
    categories: ['hearing-loss'],
    clientGroups: ['people-who-are-deaf'],
    area: 'scotland',
    deliveryModes: ['online'],
    hours: 'extended',
    phoneType: 'video',
    languages: ['bfi'],
  },
  {
    organisation: { name: 'Bereavement Listening Line', about: 'A national charity offering bereavement support by phone and online.', founded: 1985, legal: 'charity' },
    name: 'Bereavement Listening Line',
    summary: 'A national bereavement helpline for anyone grieving the death of someone close.',
    description: ['Our trained volunteers offer a listening ear and information about local bereavement services, including support after a death by suicide.'],
    categories: ['bereavement'],
    clientGroups: ['adults', 'older-people'],
    area: 'uk',
    deliveryModes: ['phone', 'online'],
    hours: 'extended',
  },
  {
    organisation: { name: 'Taic', alternateName: 'Taic Gaelic Listening Service', about: 'Taic (support) offers a listening line in Scottish Gaelic for Gaelic speakers across Scotland.', founded: 2019, legal: 'community' },
    name: 'Loidhne Taic',
    alternateName: 'Taic Gaelic listening line',
    summary: 'A listening line in Gaelic for native speakers and learners who would rather talk in Gaelic.',
    description: ['Uaireannan tha e nas fhasa bruidhinn sa chànan agad fhèin. Our volunteers listen in Gaelic or English, in confidence, to whatever is on your mind.'],
    categories: ['mental-health-support', 'befriending'],
    clientGroups: ['adults', 'older-people'],
    area: 'scotland',
    deliveryModes: ['phone'],
    hours: 'evenings',
    languages: ['gd'],
  },
  {
    organisation: { name: 'Pennywise Scotland', about: 'Pennywise offers free debt and money advice to people across Scotland.', founded: 2006, legal: 'charity' },
    name: 'Pennywise Money Helpline',
    summary: 'Free debt advice by phone and online, from budgeting to formal debt solutions.',
    description: ['Our accredited money advisers help with priority debts such as rent, council tax and energy, and can set up a Debt Arrangement Scheme or other solution.'],
    categories: ['debt-advice'],
    clientGroups: ['adults', 'families'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'daytime',
    languages: ['pl'],
  },
  {
    organisation: { name: 'Family Matters Scotland', about: 'Family Matters supports parents and carers of children of all ages across Scotland.', founded: 1999, legal: 'charity' },
    name: 'Family Matters Helpline',
    summary: 'Support for parents and carers about anything to do with their children, from toddler tantrums to teenage worries.',
    description: ['Talk to a trained parenting adviser by phone, webchat or email. No problem is too big or too small.'],
    categories: ['parenting'],
    clientGroups: ['families'],
    area: 'scotland',
    deliveryModes: ['phone', 'online'],
    hours: 'extended',
  },
];
