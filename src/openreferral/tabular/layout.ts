import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SPEC_DIR } from '../spec.ts';

// The HSDS 3 / Open Referral UK 3.0 tabular layout: one CSV per table, named and ordered as the
// profile's schemas say (`path`, `datapackage_metadata.order`), with the profile's one-to-one
// (non-array, non-object) properties as columns. Our feed also emits HSDS 3.0 fields the UK profile
// lacks and our own `frontdoor_*` fields; they are extra columns after the profile's, so a tool that
// knows only the profile reads its own columns and ignores the rest, and nothing we publish is lost.
//
// NESTING says how rows make a service_full object again: which child table fills which array or
// object, through which column. The writer (write.ts) flattens along it and the reader (read.ts)
// assembles along it, so the two cannot disagree.

export type FieldType = 'string' | 'number' | 'integer' | 'boolean';

export interface Column {
  name: string;
  type: FieldType;
  /** Table Schema string formats we pass on from the profile: uuid, email, uri. */
  format?: 'uuid' | 'email' | 'uri';
  /** Where the column comes from, for the datapackage.json description. */
  origin: 'profile' | 'hsds' | 'frontdoor';
}

export interface Table {
  /** The profile's schema name (`service`, `phone` …), also the resource name in datapackage.json. */
  name: string;
  /** The file name inside the package (`services.csv`). */
  path: string;
  order: number;
  title: string;
  description: string;
  columns: Column[];
}

/** A child collection of a record: rows of `table` whose `column` holds the parent's id. */
export interface ArrayChild {
  kind: 'array';
  property: string;
  table: string;
  /** The column holding the parent's id; `link_id` for attributes. */
  column: string;
}

/** A single record that the parent refers to by its own column (a service's organization). */
export interface ObjectChild {
  kind: 'object';
  property: string;
  table: string;
  /** The parent's column holding the child's id. */
  column: string;
}

export type Child = ArrayChild | ObjectChild;

/** HSDS 3.0 fields our feed emits that the UK profile's schemas do not have (see docs/openreferral.md). */
const HSDS_COLUMNS: Record<string, Array<[string, FieldType]>> = {
  service: [
    ['alternate_name', 'string'],
    ['interpretation_services', 'string'],
    ['application_process', 'string'],
    ['fees_description', 'string'],
    ['wait_time', 'string'],
    ['eligibility_description', 'string'],
  ],
  organization: [
    ['alternate_name', 'string'],
    ['tax_status', 'string'],
    ['tax_id', 'string'],
    ['year_incorporated', 'number'],
    ['legal_status', 'string'],
  ],
  location: [
    ['url', 'string'],
    ['organization_id', 'string'],
    ['alternate_name', 'string'],
    ['transportation', 'string'],
  ],
  address: [['address_2', 'string']],
  service_at_location: [['description', 'string']],
  contact: [
    ['organization_id', 'string'],
    ['service_at_location_id', 'string'],
    ['location_id', 'string'],
    ['department', 'string'],
    ['email', 'string'],
  ],
  phone: [
    ['location_id', 'string'],
    ['service_id', 'string'],
    ['organization_id', 'string'],
    ['service_at_location_id', 'string'],
    ['extension', 'number'],
    ['type', 'string'],
  ],
  schedule: [
    ['location_id', 'string'],
    ['timezone', 'number'],
    ['until', 'string'],
    ['count', 'integer'],
    ['wkst', 'string'],
    ['byweekno', 'string'],
    ['byyearday', 'string'],
  ],
  service_area: [['description', 'string']],
  cost_option: [['currency', 'string']],
  language: [
    ['location_id', 'string'],
    ['name', 'string'],
    ['code', 'string'],
    ['note', 'string'],
  ],
  attribute: [
    ['link_entity', 'string'],
    ['value', 'string'],
  ],
  taxonomy_term: [
    ['code', 'string'],
    ['language', 'string'],
  ],
};

/** Our own properties (docs/openreferral.md, "Our own properties"). */
const FRONTDOOR_COLUMNS: Record<string, Array<[string, FieldType]>> = {
  service: [['frontdoor_summary', 'string']],
  location: [['frontdoor_council_area', 'string']],
  service_area: [['frontdoor_area_type', 'string']],
};

/**
 * Columns our feed always emits, as an empty string when it holds no value (the profile requires
 * them: service.ts `withRequiredDescription`, an address's `state_province`). In a CSV file an empty
 * cell cannot say "empty string" apart from "no value", so in these columns it means the first and
 * everywhere else the second (the feed never emits "" anywhere else).
 */
export const ALWAYS_PRESENT: ReadonlySet<string> = new Set([
  'organization.description',
  'taxonomy.description',
  'taxonomy_term.description',
  'address.state_province',
]);

export const NESTING: Record<string, Child[]> = {
  service: [
    { kind: 'object', property: 'organization', table: 'organization', column: 'organization_id' },
    { kind: 'array', property: 'phones', table: 'phone', column: 'service_id' },
    { kind: 'array', property: 'schedules', table: 'schedule', column: 'service_id' },
    { kind: 'array', property: 'service_areas', table: 'service_area', column: 'service_id' },
    { kind: 'array', property: 'service_at_locations', table: 'service_at_location', column: 'service_id' },
    { kind: 'array', property: 'languages', table: 'language', column: 'service_id' },
    { kind: 'array', property: 'funding', table: 'funding', column: 'service_id' },
    { kind: 'array', property: 'cost_options', table: 'cost_option', column: 'service_id' },
    { kind: 'array', property: 'contacts', table: 'contact', column: 'service_id' },
    { kind: 'array', property: 'attributes', table: 'attribute', column: 'link_id' },
  ],
  organization: [
    { kind: 'array', property: 'organization_identifiers', table: 'organization_identifier', column: 'organization_id' },
    { kind: 'array', property: 'attributes', table: 'attribute', column: 'link_id' },
  ],
  service_at_location: [
    { kind: 'object', property: 'location', table: 'location', column: 'location_id' },
    { kind: 'array', property: 'schedules', table: 'schedule', column: 'service_at_location_id' },
    { kind: 'array', property: 'phones', table: 'phone', column: 'service_at_location_id' },
    { kind: 'array', property: 'contacts', table: 'contact', column: 'service_at_location_id' },
  ],
  location: [
    { kind: 'array', property: 'addresses', table: 'address', column: 'location_id' },
    { kind: 'array', property: 'accessibility', table: 'accessibility', column: 'location_id' },
    { kind: 'array', property: 'attributes', table: 'attribute', column: 'link_id' },
    { kind: 'array', property: 'phones', table: 'phone', column: 'location_id' },
    { kind: 'array', property: 'schedules', table: 'schedule', column: 'location_id' },
    { kind: 'array', property: 'contacts', table: 'contact', column: 'location_id' },
    { kind: 'array', property: 'languages', table: 'language', column: 'location_id' },
  ],
  contact: [{ kind: 'array', property: 'phones', table: 'phone', column: 'contact_id' }],
  phone: [{ kind: 'array', property: 'languages', table: 'language', column: 'phone_id' }],
  attribute: [{ kind: 'object', property: 'taxonomy_term', table: 'taxonomy_term', column: 'taxonomy_term_id' }],
};

/**
 * Records our export writes once each in a pass of their own (they are shared by many services), so
 * flattening a service stops at them: the service carries only their id.
 */
export const SHARED_TABLES = new Set(['organization', 'location', 'taxonomy_term']);

/** `attributes` rows name their parent's kind in `link_entity` (HSDS 3.0); these are ours. */
export const LINK_ENTITY: Record<string, string> = { service: 'service', organization: 'organization', location: 'location' };

interface ProfileSchema {
  name: string;
  title?: string;
  description?: string;
  path: string;
  datapackage_metadata?: { order?: number };
  properties: Record<string, { type?: string; format?: string; $ref?: string }>;
}

function profileTables(): Table[] {
  const dir = path.join(SPEC_DIR, 'schema');
  const files = ['accessibility', 'address', 'attribute', 'contact', 'cost_option', 'funding', 'language', 'location', 'organization',
    'organization_identifier', 'phone', 'schedule', 'service', 'service_area', 'service_at_location', 'taxonomy', 'taxonomy_term'];
  const tables = files.map((file): Table => {
    const schema = JSON.parse(readFileSync(path.join(dir, `${file}.json`), 'utf8')) as ProfileSchema;
    const columns: Column[] = [];
    for (const [name, property] of Object.entries(schema.properties)) {
      if (property.$ref || property.type === 'array' || property.type === 'object') continue;
      const type = (property.type === 'number' || property.type === 'integer' || property.type === 'boolean' ? property.type : 'string') as FieldType;
      const format = property.format === 'uuid' || property.format === 'email' || property.format === 'uri' ? property.format : undefined;
      columns.push({ name, type, ...(format ? { format } : {}), origin: 'profile' });
    }
    const known = new Set(columns.map((column) => column.name));
    for (const [name, type] of HSDS_COLUMNS[file] ?? []) {
      if (!known.has(name)) columns.push({ name, type, ...(name.endsWith('_id') ? { format: 'uuid' as const } : {}), origin: 'hsds' });
    }
    for (const [name, type] of FRONTDOOR_COLUMNS[file] ?? []) columns.push({ name, type, origin: 'frontdoor' });
    return {
      name: file,
      path: schema.path,
      order: schema.datapackage_metadata?.order ?? 99,
      title: schema.title ?? file,
      description: schema.description ?? '',
      columns,
    };
  });
  return tables.sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : 1));
}

/** Every table of the package, in the profile's order. */
export const TABLES: readonly Table[] = profileTables();
export const TABLES_BY_NAME: ReadonlyMap<string, Table> = new Map(TABLES.map((table) => [table.name, table]));

export function table(name: string): Table {
  const found = TABLES_BY_NAME.get(name);
  if (!found) throw new Error(`No table "${name}" in the tabular layout.`);
  return found;
}

/**
 * The columns that tie a row to the record it belongs under (from NESTING), as `table -> column ->
 * referenced table`: the package's declared foreign keys, and what the reader checks. Other *_id
 * columns (a location's owner, a parent organisation, a term's parent) are passed on unchecked: they
 * may name records that have no published service and so are not in the package.
 */
export const FOREIGN_KEYS: ReadonlyMap<string, ReadonlyMap<string, string>> = (() => {
  const keys = new Map<string, Map<string, string>>();
  const add = (from: string, column: string, to: string) => {
    if (column === 'link_id') return;
    if (!keys.has(from)) keys.set(from, new Map());
    keys.get(from)!.set(column, to);
  };
  for (const [parent, children] of Object.entries(NESTING)) {
    for (const child of children) {
      if (child.kind === 'array') add(child.table, child.column, parent);
      else add(parent, child.column, child.table);
    }
  }
  return keys;
})();

/** The datapackage.json of our export: fixed content (no creation time), so two exports are byte-identical. */
export function dataPackageDescriptor(): Record<string, unknown> {
  return {
    profile: 'tabular-data-package',
    name: 'frontdoor-openreferral-uk',
    title: 'Frontdoor directory: Open Referral UK 3.0 tabular data package',
    description:
      'Every published service, as the tables of the Open Referral UK 3.0 profile (HSDS 3.0). Columns after the ' +
      "profile's own are HSDS 3.0 fields the profile lacks, and Frontdoor's own fields (named frontdoor_*).",
    homepage: 'https://open-referral-uk-profile.readthedocs.io/en/latest/',
    resources: TABLES.map((entry) => ({
      name: entry.name,
      path: entry.path,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      title: entry.title,
      schema: {
        fields: entry.columns.map((column) => ({
          name: column.name,
          type: column.type,
          ...(column.format ? { format: column.format } : {}),
          ...(column.origin === 'profile' ? {} : { description: column.origin === 'hsds' ? 'HSDS 3.0 field, not in the UK profile' : 'Frontdoor extension' }),
        })),
        primaryKey: 'id',
        foreignKeys: [...(FOREIGN_KEYS.get(entry.name) ?? new Map<string, string>())].map(([column, target]) => ({
          fields: column,
          reference: { resource: target, fields: 'id' },
        })),
        missingValues: [''],
      },
    })),
  };
}
