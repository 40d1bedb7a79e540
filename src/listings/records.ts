import type { Kysely, Transaction } from 'kysely';
import type { Database, RecordKindName, ServiceStatus } from '../platform/db/schema.ts';
import type { Resource } from '../platform/auth/rules.ts';
import type { ResolveResult } from '../geography/service.ts';

export type Executor = Kysely<Database> | Transaction<Database>;
export type FieldValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

/** A record as it is live (published) now: what the question pages start from and authorisation is decided on. */
export interface LiveRecord {
  id: string;
  name: string;
  organizationId: string;
  organizationName: string;
  values: FieldValues;
  resource: Resource;
}

/**
 * What the versioned-edit machinery needs to know about one kind of record: its fields and how to
 * ask for them, how to check answers, and how to read and write the live row. Everything else
 * (versions, diffs, conflicts, moderation, restore) is the same for every kind and lives in the
 * listings service.
 */
export interface RecordKind {
  kind: RecordKindName;
  /** For people: "service", "organisation", "place". */
  noun: string;
  /** The URL segment: /manage/<path>/:id/edit. */
  path: string;
  fields: readonly string[];
  /**
   * Fields a version may carry that no question page asks: set by imports from another directory
   * (a service's status under moderation), applied when that version is published.
   */
  carried?: readonly string[];
  labels: Record<string, string>;
  hints: Record<string, string>;
  /** Fields asked with a textarea (rows), the rest with a one-line input. */
  textareas: Record<string, number>;
  /** Fields that are email addresses or web addresses: no spellcheck, and the right keyboard. */
  inputTypes: Record<string, 'email' | 'url'>;
  /**
   * Fields asked with checkboxes: their value is the sorted, comma-separated ids ticked (a string like
   * every other field, so versions, diffs, conflicts and restore treat it the same).
   */
  checkboxes?: Record<string, { choices(executor: Executor, organizationId: string): Promise<Choice[]>; names(executor: Executor, ids: string[]): Promise<Map<string, string>> }>;
  /** Checks that need the organisation (the places ticked must be its own). */
  checkInOrganisation?(executor: Executor, organizationId: string, values: FieldValues, current: FieldValues | undefined): Promise<FieldErrors>;
  validate(values: FieldValues): Promise<FieldErrors>;
  /**
   * Whatever writing these values needs from outside the database transaction (a location's point and
   * council area from its postcode: the postcode lookup must not run inside a transaction on PGlite).
   */
  derive(values: FieldValues): Promise<Derived>;
  load(executor: Executor, id: string): Promise<LiveRecord | undefined>;
  write(executor: Executor, id: string, values: FieldValues, derived: Derived, now: Date): Promise<void>;
  /** Creating a record of this kind for an organisation; undefined when members may not create one. */
  create?(executor: Executor, id: string, organizationId: string, values: FieldValues, derived: Derived, now: Date): Promise<void>;
  /** The council areas a record not yet created will be moderated in. */
  areasForNew(executor: Executor, organizationId: string, derived: Derived): Promise<string[]>;
  /** Services whose search documents show this record, to refresh after it is published. */
  servicesShowing(executor: Executor, id: string): Promise<string[]>;
}

export interface Choice {
  value: string;
  text: string;
}

/** A checkbox field's value as ids: the one spelling of it is sorted, unique and comma-separated. */
export function idsOf(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(',').map((id) => id.trim()).filter(Boolean))].sort();
}

export interface Derived {
  point?: { latitude: number; longitude: number; councilAreaCode: string | null };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WEB = /^https?:\/\/[^\s]+\.[^\s]+$/;
const EMAIL_MESSAGE = 'Enter an email address in the correct format, like name@example.org';
const WEB_MESSAGE = 'Enter a website address starting with https://';

const text = (value: unknown): string => (typeof value === 'string' ? value : value == null ? '' : String(value));
const orNull = (value: string): string | null => (value === '' ? null : value);

function checkName(errors: FieldErrors, value: string, noun: string): void {
  if (!value.trim()) errors.name = `Enter the name of the ${noun}`;
  else if (value.length > 200) errors.name = 'The name must be 200 characters or fewer';
}

export async function organisationAreas(executor: Executor, organizationId: string): Promise<string[]> {
  const rows = await executor.selectFrom('location').select('council_area_code').distinct().where('organization_id', '=', organizationId).where('council_area_code', 'is not', null).execute();
  return rows.map((row) => row.council_area_code!);
}

/** A service is moderated where its places are; one with no places of its own (a helpline) where its organisation has places. */
export async function councilAreasOfService(executor: Executor, serviceId: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('service_at_location')
    .innerJoin('location', 'location.id', 'service_at_location.location_id')
    .select('location.council_area_code')
    .where('service_at_location.service_id', '=', serviceId)
    .where('location.council_area_code', 'is not', null)
    .distinct()
    .execute();
  if (rows.length > 0) return rows.map((row) => row.council_area_code!);
  const organisation = await executor
    .selectFrom('location')
    .innerJoin('service', 'service.organization_id', 'location.organization_id')
    .select('location.council_area_code')
    .where('service.id', '=', serviceId)
    .where('location.council_area_code', 'is not', null)
    .distinct()
    .execute();
  return organisation.map((row) => row.council_area_code!);
}

export const SERVICE_FIELDS = ['name', 'summary', 'description', 'email', 'url'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organisation's published places: where its services may say they are delivered. */
async function organisationPlaces(executor: Executor, organizationId: string): Promise<Choice[]> {
  const rows = await executor.selectFrom('location').select(['id', 'name']).where('organization_id', '=', organizationId).orderBy('name').orderBy('id').limit(500).execute();
  return rows.map((row) => ({ value: row.id, text: row.name || 'Unnamed place' }));
}

async function placeNames(executor: Executor, ids: string[]): Promise<Map<string, string>> {
  const valid = ids.filter((id) => UUID.test(id));
  if (valid.length === 0) return new Map();
  const rows = await executor.selectFrom('location').select(['id', 'name']).where('id', 'in', valid).execute();
  return new Map(rows.map((row) => [row.id, row.name || 'Unnamed place']));
}

/** Makes the service's service_at_location rows the places listed (of its own organisation), leaving the others' details alone. */
async function linkPlaces(executor: Executor, serviceId: string, organizationId: string, value: string | undefined): Promise<void> {
  const wanted = idsOf(value).filter((id) => UUID.test(id));
  const own = wanted.length === 0 ? [] : (await executor.selectFrom('location').select('id').where('organization_id', '=', organizationId).where('id', 'in', wanted).execute()).map((row) => row.id);
  const existing = (await executor.selectFrom('service_at_location').select('location_id').where('service_id', '=', serviceId).execute()).map((row) => row.location_id);
  const gone = existing.filter((id) => !wanted.includes(id));
  if (gone.length > 0) await executor.deleteFrom('service_at_location').where('service_id', '=', serviceId).where('location_id', 'in', gone).execute();
  const added = own.filter((id) => !existing.includes(id));
  if (added.length > 0) await executor.insertInto('service_at_location').values(added.map((location_id) => ({ service_id: serviceId, location_id }))).execute();
}

export const serviceKind: RecordKind = {
  kind: 'service',
  noun: 'service',
  path: 'services',
  fields: [...SERVICE_FIELDS, 'locations'],
  carried: ['status'],
  labels: { name: 'Name', summary: 'Summary', description: 'Description', email: 'Email address', url: 'Website', locations: 'Where it is delivered' },
  hints: { summary: 'One or two sentences shown in search results.', locations: 'Tick the organisation’s places where people use the service. Tick none for a service with no place of its own, like a helpline.' },
  textareas: { summary: 2, description: 6 },
  inputTypes: { email: 'email', url: 'url' },
  checkboxes: { locations: { choices: organisationPlaces, names: placeNames } },
  async checkInOrganisation(executor, organizationId, values, current) {
    // A link made elsewhere (an import) to another organisation's place may stay; a new one may not.
    const allowed = new Set([...(await organisationPlaces(executor, organizationId)).map((choice) => choice.value), ...idsOf(current?.locations)]);
    const errors: FieldErrors = {};
    if (!idsOf(values.locations).every((id) => allowed.has(id))) errors.locations = 'Tick only places of this organisation';
    return errors;
  },
  async validate(values) {
    const errors: FieldErrors = {};
    checkName(errors, values.name ?? '', 'service');
    if ((values.summary ?? '').length > 500) errors.summary = 'The summary must be 500 characters or fewer';
    if (values.email && !EMAIL.test(values.email)) errors.email = EMAIL_MESSAGE;
    if (values.url && !WEB.test(values.url)) errors.url = WEB_MESSAGE;
    return errors;
  },
  async derive() {
    return {};
  },
  async load(executor, id) {
    const row = await executor
      .selectFrom('service')
      .innerJoin('organization', 'organization.id', 'service.organization_id')
      .select(['service.id', 'service.organization_id', 'organization.name as organization_name', ...SERVICE_FIELDS.map((f) => `service.${f}` as const)])
      .where('service.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const values: FieldValues = Object.fromEntries(SERVICE_FIELDS.map((f) => [f, text(row[f])]));
    values.locations = idsOf((await executor.selectFrom('service_at_location').select('location_id').where('service_id', '=', id).execute()).map((r) => r.location_id).join(',')).join(',');
    return { id: row.id, name: row.name, organizationId: row.organization_id, organizationName: row.organization_name, values, resource: { organizationId: row.organization_id, councilAreaCodes: await councilAreasOfService(executor, id) } };
  },
  async write(executor, id, values, _derived, now) {
    await executor
      .updateTable('service')
      .set({ name: values.name!, summary: values.summary ?? '', description: values.description ?? '', email: orNull(values.email ?? ''), url: orNull(values.url ?? ''), ...(values.status ? { status: values.status as ServiceStatus } : {}), updated_at: now })
      .where('id', '=', id)
      .execute();
    const row = await executor.selectFrom('service').select('organization_id').where('id', '=', id).executeTakeFirstOrThrow();
    await linkPlaces(executor, id, row.organization_id, values.locations);
  },
  async create(executor, id, organizationId, values, _derived, now) {
    // A new listing has just been checked by the person who wrote it: its review cycle starts today.
    await executor
      .insertInto('service')
      .values({ id, organization_id: organizationId, name: values.name!, summary: values.summary ?? '', description: values.description ?? '', email: orNull(values.email ?? ''), url: orNull(values.url ?? ''), status: 'active', last_reviewed_at: now.toISOString().slice(0, 10), created_at: now, updated_at: now })
      .execute();
    await linkPlaces(executor, id, organizationId, values.locations);
  },
  areasForNew: (executor, organizationId) => organisationAreas(executor, organizationId),
  async servicesShowing(_executor, id) {
    return [id];
  },
};

export const ORGANISATION_FIELDS = ['name', 'description', 'email', 'website'] as const;

export const organisationKind: RecordKind = {
  kind: 'organization',
  noun: 'organisation',
  path: 'organisations',
  fields: ORGANISATION_FIELDS,
  labels: { name: 'Name', description: 'Description', email: 'Email address', website: 'Website' },
  hints: { description: 'What the organisation does, for whom and where.', email: 'Moderators compare this with the addresses of people who claim the organisation.' },
  textareas: { description: 6 },
  inputTypes: { email: 'email', website: 'url' },
  async validate(values) {
    const errors: FieldErrors = {};
    checkName(errors, values.name ?? '', 'organisation');
    if ((values.description ?? '').length > 5000) errors.description = 'The description must be 5,000 characters or fewer';
    if (values.email && !EMAIL.test(values.email)) errors.email = EMAIL_MESSAGE;
    if (values.website && !WEB.test(values.website)) errors.website = WEB_MESSAGE;
    return errors;
  },
  async derive() {
    return {};
  },
  async load(executor, id) {
    const row = await executor.selectFrom('organization').select(['id', ...ORGANISATION_FIELDS]).where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const values = Object.fromEntries(ORGANISATION_FIELDS.map((f) => [f, text(row[f])]));
    return { id: row.id, name: row.name, organizationId: row.id, organizationName: row.name, values, resource: { organizationId: row.id, councilAreaCodes: await organisationAreas(executor, row.id) } };
  },
  async write(executor, id, values, _derived, now) {
    await executor
      .updateTable('organization')
      .set({ name: values.name!, description: values.description ?? '', email: orNull(values.email ?? ''), website: orNull(values.website ?? ''), updated_at: now })
      .where('id', '=', id)
      .execute();
  },
  async create(executor, id, _organizationId, values, _derived, now) {
    // A proposed organisation already has its row, unlisted, so that its pending version can point at
    // it; publishing it lists it. (A row that is not there yet is made.)
    const set = { name: values.name!, description: values.description ?? '', email: orNull(values.email ?? ''), website: orNull(values.website ?? ''), listed: true, updated_at: now };
    await executor.insertInto('organization').values({ id, ...set, created_at: now }).onConflict((oc) => oc.column('id').doUpdateSet(set)).execute();
  },
  areasForNew: (executor, organizationId) => organisationAreas(executor, organizationId),
  async servicesShowing(executor, id) {
    // The organisation's name is in each of its services' search documents.
    return (await executor.selectFrom('service').select('id').where('organization_id', '=', id).execute()).map((row) => row.id);
  },
};

/**
 * The question pages for proposing an organisation: its own fields, and where it works, which only
 * decides whose desk the proposal goes to (an organisation's areas come from its places afterwards).
 */
export function proposedOrganisationKind(places: { resolve(input: string): Promise<ResolveResult> }) {
  const kind = {
    ...organisationKind,
    fields: [...ORGANISATION_FIELDS, 'area'] as readonly string[],
    labels: { ...organisationKind.labels, area: 'Where it works' },
    hints: { ...organisationKind.hints, area: 'A postcode or a council area, like KA12 8AA or North Ayrshire. It decides which moderators check the organisation.' },
    async validate(values: FieldValues): Promise<FieldErrors> {
      const errors = await organisationKind.validate(values);
      if (!(values.area ?? '').trim()) errors.area = 'Enter a postcode or council area';
      else if (!(await kind.councilArea(values.area!))) errors.area = 'Enter a full postcode, like KA12 8AA, or the name of a council area in Scotland';
      return errors;
    },
    async councilArea(area: string): Promise<string | null> {
      const found = await places.resolve(area);
      return found.ok ? (found.place.councilArea?.code ?? null) : null;
    },
  };
  return kind;
}

export const LOCATION_FIELDS = ['name', 'description', 'address_1', 'city', 'postal_code', 'transportation'] as const;

/** A place: its address lives in the address table (the first one is the one shown), its point and council area come from the postcode. */
export function locationKind(places: { resolve(input: string): Promise<ResolveResult> }): RecordKind {
  async function pointOf(postcode: string): Promise<ResolveResult> {
    return places.resolve(postcode);
  }
  return {
    kind: 'location',
    noun: 'place',
    path: 'locations',
    fields: LOCATION_FIELDS,
    labels: { name: 'Name', description: 'Description', address_1: 'Building and street', city: 'Town or city', postal_code: 'Postcode', transportation: 'Getting there' },
    hints: { name: 'For example, the name of the building.', postal_code: 'Search uses it to find the place: enter the full postcode.', transportation: 'Buses, parking and step-free access.' },
    textareas: { description: 4, transportation: 2 },
    inputTypes: {},
    async validate(values) {
      const errors: FieldErrors = {};
      checkName(errors, values.name ?? '', 'place');
      const address = [values.address_1, values.city, values.postal_code].map((v) => (v ?? '').trim());
      if (address.some((v) => v !== '')) {
        if (!address[0]) errors.address_1 = 'Enter the building and street';
        if (!address[1]) errors.city = 'Enter the town or city';
        if (!address[2]) errors.postal_code = 'Enter the postcode';
      }
      if (address[2]) {
        const found = await pointOf(address[2]);
        if (!found.ok || found.place.kind !== 'postcode') errors.postal_code = 'Enter a full postcode, like KA12 8AA';
      }
      return errors;
    },
    async derive(values) {
      if (!values.postal_code) return {};
      const found = await pointOf(values.postal_code);
      if (!found.ok || found.place.kind !== 'postcode') return {};
      return { point: { latitude: found.place.latitude, longitude: found.place.longitude, councilAreaCode: found.place.councilArea?.code ?? null } };
    },
    async load(executor, id) {
      const row = await executor
        .selectFrom('location')
        .innerJoin('organization', 'organization.id', 'location.organization_id')
        .select(['location.id', 'location.organization_id', 'location.name', 'location.description', 'location.transportation', 'location.council_area_code', 'organization.name as organization_name'])
        .where('location.id', '=', id)
        .executeTakeFirst();
      if (!row || !row.organization_id) return undefined;
      const address = await executor.selectFrom('address').select(['address_1', 'city', 'postal_code']).where('location_id', '=', id).orderBy('id').limit(1).executeTakeFirst();
      const values: FieldValues = {
        name: text(row.name),
        description: text(row.description),
        address_1: text(address?.address_1),
        city: text(address?.city),
        postal_code: text(address?.postal_code),
        transportation: text(row.transportation),
      };
      const areas = row.council_area_code ? [row.council_area_code] : await organisationAreas(executor, row.organization_id);
      return { id: row.id, name: row.name || 'Unnamed place', organizationId: row.organization_id, organizationName: row.organization_name, values, resource: { organizationId: row.organization_id, councilAreaCodes: areas } };
    },
    async write(executor, id, values, derived, now) {
      await executor
        .updateTable('location')
        .set({
          name: values.name!,
          description: orNull(values.description ?? ''),
          transportation: orNull(values.transportation ?? ''),
          // A postcode that cannot be placed (a restored old version, say) keeps the point the place had.
          ...(derived.point ? { latitude: derived.point.latitude, longitude: derived.point.longitude, council_area_code: derived.point.councilAreaCode } : {}),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      const address = await executor.selectFrom('address').select('id').where('location_id', '=', id).orderBy('id').limit(1).executeTakeFirst();
      const lines = { address_1: values.address_1 ?? '', city: values.city ?? '', postal_code: values.postal_code ?? '' };
      if (!lines.address_1 && !lines.city && !lines.postal_code) {
        if (address) await executor.deleteFrom('address').where('id', '=', address.id).execute();
      } else if (address) {
        await executor.updateTable('address').set(lines).where('id', '=', address.id).execute();
      } else {
        await executor.insertInto('address').values({ location_id: id, ...lines }).execute();
      }
    },
    async create(executor, id, organizationId, values, derived, now) {
      await executor
        .insertInto('location')
        .values({
          id,
          organization_id: organizationId,
          name: values.name!,
          description: orNull(values.description ?? ''),
          transportation: orNull(values.transportation ?? ''),
          latitude: derived.point?.latitude ?? null,
          longitude: derived.point?.longitude ?? null,
          council_area_code: derived.point?.councilAreaCode ?? null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (values.address_1 || values.city || values.postal_code) {
        await executor.insertInto('address').values({ location_id: id, address_1: values.address_1 ?? '', city: values.city ?? '', postal_code: values.postal_code ?? '' }).execute();
      }
    },
    async areasForNew(executor, organizationId, derived) {
      const own = derived.point?.councilAreaCode;
      const areas = await organisationAreas(executor, organizationId);
      return own ? [...new Set([own, ...areas])] : areas;
    },
    async servicesShowing(executor, id) {
      return (await executor.selectFrom('service_at_location').select('service_id').where('location_id', '=', id).execute()).map((row) => row.service_id);
    },
  };
}

export type RecordKinds = Record<RecordKindName, RecordKind>;

export function recordKinds(places: { resolve(input: string): Promise<ResolveResult> }): RecordKinds {
  return { service: serviceKind, organization: organisationKind, location: locationKind(places) };
}

/** Every kind's labels in one table, for pages (the desk) that show edits of several kinds. */
export function allLabels(kinds: RecordKinds): Record<string, string> {
  return Object.assign({}, ...Object.values(kinds).map((kind) => kind.labels));
}
