import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The Open Referral UK 3.0 profile as shipped in data/openreferral-uk-3.0/ (CC BY-SA 4.0, never
// edited there), and the corrected OpenAPI document Frontdoor serves, built from the profile's own
// document by the named corrections below so that each fix is visible, tested and listed in the docs.

export const SPEC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'openreferral-uk-3.0');
const SCHEMA_DIR = path.join(SPEC_DIR, 'schema');

/** Where the profile's document points its $refs; ours point at the copies this app serves. */
const UPSTREAM_SCHEMA_BASE = 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/';
/** Relative to the served document (/openreferral/openapi.json), so they resolve against this app. */
const LOCAL_SCHEMA_BASE = 'schema/';

export const PROFILE_URL = 'https://open-referral-uk-profile.readthedocs.io/en/latest/';
export const HSDS_VERSION = '3.0';

type Json = any;

function readJson(file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function listJsonFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) return listJsonFiles(full, `${prefix}${entry}/`);
      return entry.endsWith('.json') && entry !== 'openapi.json' ? [`${prefix}${entry}`] : [];
    });
}

let schemaCache: Map<string, string> | undefined;

/**
 * The profile's JSON Schemas by path under schema/ ("service.json", "compiled/service.json"), as the
 * exact bytes of the files, for serving at /openreferral/schema/{path}.
 */
export function profileSchemaFiles(): Map<string, string> {
  schemaCache ??= new Map(listJsonFiles(SCHEMA_DIR).map((file) => [file, readFileSync(path.join(SCHEMA_DIR, file), 'utf8')]));
  return schemaCache;
}

/** The profile's OpenAPI document exactly as published. */
export function profileOpenApiDocument(): Json {
  return readJson(path.join(SCHEMA_DIR, 'openapi.json'));
}

export interface Correction {
  id: string;
  /** One sentence for the docs: what was wrong and what we serve instead. */
  summary: string;
  apply(document: Json): void;
}

const ERROR_RESPONSE = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const pageOf = (itemRef: string) => ({
  type: 'object',
  required: ['contents'],
  properties: { contents: { type: 'array', items: { $ref: itemRef } } },
  allOf: [{ $ref: '#/components/schemas/Page' }],
});

function listResponse(description: string, itemRef: string) {
  return { 200: { description, content: { 'application/json': { schema: pageOf(itemRef) } } } };
}

function walk(node: Json, visit: (object: Record<string, Json>) => void): void {
  if (Array.isArray(node)) node.forEach((item) => walk(item, visit));
  else if (node && typeof node === 'object') {
    visit(node);
    Object.values(node).forEach((value) => walk(value, visit));
  }
}

const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });

export const CORRECTIONS: Correction[] = [
  {
    id: 'openapi-3.1',
    summary:
      'The document declares "openapi": "3.0.0" but uses the OpenAPI 3.1 field jsonSchemaDialect and JSON Schema 2020-12 schemas; ours declares 3.1.0.',
    apply(document) {
      document.openapi = '3.1.0';
    },
  },
  {
    id: 'licence',
    summary:
      'The licence is named as CC BY-SA 4.0 but its URL pointed at CC BY 4.0; ours links the ShareAlike licence and gives its SPDX identifier.',
    apply(document) {
      document.info.license = {
        name: 'Creative Commons Attribution Share-Alike 4.0 license',
        identifier: 'CC-BY-SA-4.0',
      };
    },
  },
  {
    id: 'offline-refs',
    summary:
      'Response schemas were $refs to raw.githubusercontent.com; ours are relative ($ref "schema/compiled/service.json") and resolve against this server, which serves unmodified copies of the profile\'s schemas under /openreferral/schema/.',
    apply(document) {
      walk(document, (object) => {
        if (typeof object.$ref === 'string' && object.$ref.startsWith(UPSTREAM_SCHEMA_BASE)) {
          object.$ref = LOCAL_SCHEMA_BASE + object.$ref.slice(UPSTREAM_SCHEMA_BASE.length);
        }
      });
    },
  },
  {
    id: 'service-at-location-schema',
    summary:
      '/service_at_locations/{id} was documented as returning a service (compiled/service.json) and its id as "the id of the service"; ours returns and documents compiled/service_at_location.json.',
    apply(document) {
      const item = document.paths['/service_at_locations/{id}'];
      item.get.responses['200'].content['application/json'].schema.$ref = `${LOCAL_SCHEMA_BASE}compiled/service_at_location.json`;
      item.parameters[0].description = 'The id of the service_at_location that the request is intended to retrieve.';
    },
  },
  {
    id: 'time-type',
    summary:
      'start_time and end_time had "type": "time", which is not a JSON Schema type; ours are strings HH:MM or HH:MM:SS (local time in Scotland, 24-hour clock).',
    apply(document) {
      for (const name of ['start_time', 'end_time']) {
        document.components.parameters[name].schema = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$', examples: ['09:00'] };
      }
      document.components.parameters.start_time.description =
        'Return services with a schedule that opens at or after this time (HH:MM or HH:MM:SS).';
      document.components.parameters.end_time.description =
        'Return services with a schedule that closes at or before this time (HH:MM or HH:MM:SS).';
    },
  },
  {
    id: 'date-time-format',
    summary: 'modified_after had "format": "datetime", which is not a JSON Schema format; ours is "date-time" (RFC 3339), and a plain date is accepted too.',
    apply(document) {
      document.components.parameters.modified_after.schema = {
        type: 'string',
        format: 'date-time',
        examples: ['2026-01-31T00:00:00Z'],
        description: 'An RFC 3339 date-time; a plain date (2026-01-31) means its first moment in UTC.',
      };
    },
  },
  {
    id: 'proximity-number',
    summary: 'proximity, a distance in metres, was typed as a string; ours is a number (at most 1,000,000 metres) and needs postcode.',
    apply(document) {
      document.components.parameters.proximity.schema = { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 };
      document.components.parameters.proximity.description =
        'With postcode: only return results whose location lies within this many metres of the centroid of the postcode.';
    },
  },
  {
    id: 'operation-ids',
    summary:
      'The operationIds and descriptions of /taxonomy_terms and /taxonomy_terms/{id} were swapped, and /services was described as returning one service; ours are corrected.',
    apply(document) {
      const terms = document.paths['/taxonomy_terms'].get;
      const term = document.paths['/taxonomy_terms/{id}'].get;
      terms.operationId = 'getPaginatedListOfTaxonomyTerms';
      terms.description = 'Paginated listing of taxonomy terms.';
      term.operationId = 'getTaxonomyTermById';
      document.paths['/services'].get.description = 'Retrieve a paginated listing of services that only have one-to-one fields in them.';
    },
  },
  {
    id: 'page-envelope',
    summary:
      'The Page schema marked nothing as required and left "contents" to each path; ours requires every envelope field and contents, and says how size, empty and total_pages are computed.',
    apply(document) {
      const page = document.components.schemas.Page;
      page.required = ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty'];
      page.properties.total_pages.description = 'Count of total pages: ceil(total_items / per_page), 0 when there are no results.';
      page.properties.page_number.description = 'The number of the current page, from 1.';
      page.properties.size.description = 'The number of entities in the current page (the length of contents), which is per_page except on the last page.';
      page.properties.first_page.description = 'True when page_number is 1.';
      page.properties.last_page.description = 'True when page_number is at or beyond total_pages.';
      page.properties.empty.description = 'True when this page has no entities (contents is empty).';
      for (const item of Object.values(document.paths) as Json[]) {
        const schema = item.get?.responses?.['200']?.content?.['application/json']?.schema;
        if (schema?.properties?.contents) {
          schema.type = 'object';
          schema.required = ['contents'];
        }
      }
      document.components.parameters.page.schema = { type: 'integer', minimum: 1, default: 1 };
      document.components.parameters.page.description = 'Page number of paginated result, from 1. A page beyond the last is empty, not an error.';
      document.components.parameters.per_page.schema = { type: 'integer', minimum: 1, default: 50 };
      document.components.parameters.per_page.description =
        'Number of results requested in a single page: 50 unless asked; more than 100 is answered with 100 a page (total_pages says how many pages that makes).';
    },
  },
  {
    id: 'hsds-service-filters',
    summary:
      'HSDS 3.0 defines organization_id, modified_after and full on /services and /service_at_locations, but the profile declared the first two without using them; ours accepts all three there.',
    apply(document) {
      document.components.parameters.full.description =
        'true: return fully nested records in the list (as /services/{id} or /service_at_locations/{id} would), for crawling in fewer requests.';
      document.components.parameters.organization_id.description = 'Only return services that this organization provides.';
      document.components.parameters.organization_id.schema = { type: 'string', format: 'uuid' };
      for (const listPath of ['/services', '/service_at_locations']) {
        document.paths[listPath].get.parameters.push(param('organization_id'), param('modified_after'), param('full'));
      }
      document.paths['/services'].get.responses['200'].content['application/json'].schema.properties.contents.items = {
        anyOf: [{ $ref: `${LOCAL_SCHEMA_BASE}compiled/service_list.json` }, { $ref: `${LOCAL_SCHEMA_BASE}compiled/service.json` }],
      };
      document.paths['/service_at_locations'].get.responses['200'].content['application/json'].schema.properties.contents.items = {
        anyOf: [
          { $ref: `${LOCAL_SCHEMA_BASE}compiled/service_at_location_list.json` },
          { $ref: `${LOCAL_SCHEMA_BASE}compiled/service_at_location.json` },
        ],
      };
    },
  },
  {
    id: 'hsds-taxonomy-term-filters',
    summary: "HSDS 3.0's taxonomy_id, parent_id and top_only filters on /taxonomy_terms are accepted.",
    apply(document) {
      document.components.parameters.parent_id = {
        name: 'parent_id',
        in: 'query',
        required: false,
        description: 'Only return the children of this term.',
        schema: { type: 'string', format: 'uuid' },
      };
      document.components.parameters.top_only = {
        name: 'top_only',
        in: 'query',
        required: false,
        description: 'true: only return terms that have no parent.',
        schema: { type: 'boolean' },
      };
      const taxonomyId = { ...param('taxonomy_id'), description: 'Only return the terms of this taxonomy.' };
      document.paths['/taxonomy_terms'].get.parameters.push(taxonomyId, param('parent_id'), param('top_only'));
    },
  },
  {
    id: 'organizations',
    summary:
      "The profile ships compiled organization schemas but leaves out HSDS 3.0's /organizations and /organizations/{id}; ours has both (with full_service).",
    apply(document) {
      document.components.parameters.full_service.description =
        'true: the organization\'s services are fully nested (as /services/{id}); otherwise they carry their one-to-one fields only.';
      document.paths['/organizations'] = {
        get: {
          description: 'Paginated list of organizations with their one-to-one fields.',
          summary: 'Paginated list of organizations',
          operationId: 'getPaginatedListOfOrganizations',
          parameters: [param('search'), param('page'), param('per_page')],
          responses: listResponse('Paginated list of organizations.', `${LOCAL_SCHEMA_BASE}compiled/organization_list.json`),
        },
      };
      document.paths['/organizations/{id}'] = {
        parameters: [
          {
            in: 'path',
            name: 'id',
            required: true,
            description: 'The id of the organization that the request is intended to retrieve.',
            schema: { type: 'string' },
          },
        ],
        get: {
          description: 'An organization with its identifiers, attributes and services.',
          summary: 'Retrieve an organization by id',
          operationId: 'getOrganizationById',
          parameters: [param('full_service')],
          responses: {
            200: {
              description: 'The organization.',
              content: { 'application/json': { schema: { $ref: `${LOCAL_SCHEMA_BASE}compiled/organization.json` } } },
            },
          },
        },
      };
    },
  },
  {
    id: 'errors',
    summary:
      'No error responses were documented; ours documents 400 (a bad parameter), 404 (an unknown id or address) and 429 (too many requests), each with a JSON body.',
    apply(document) {
      document.components.schemas.Error = {
        type: 'object',
        required: ['error', 'message'],
        properties: {
          error: { type: 'string', description: 'A stable code: invalid_parameter, not_found or rate_limited.' },
          message: { type: 'string', description: 'A sentence for a person.' },
          parameter: { type: 'string', description: 'The parameter at fault, for invalid_parameter.' },
          suggestions: { type: 'array', items: { type: 'string' }, description: 'Postcodes we do know, for an unknown postcode.' },
          request_id: { type: 'string' },
        },
      };
      for (const [pathName, item] of Object.entries(document.paths) as Array<[string, Json]>) {
        const responses = item.get.responses;
        if (pathName.includes('{id}')) responses['404'] = ERROR_RESPONSE('No record has this id.');
        if (pathName !== '/') responses['400'] = ERROR_RESPONSE('A query parameter is not valid; the body names it.');
        responses['429'] = ERROR_RESPONSE('Too many requests from this address in a minute; the Retry-After header says when to try again.');
      }
    },
  },
];

/**
 * Where the profile is vague we chose a reading; each is written into the parameter's description in
 * the served document and listed in docs/openreferral.md.
 */
export const READINGS: Array<{ parameter: string; description: string }> = [
  {
    parameter: 'search',
    description:
      'Full text search: every word (case-insensitive) must appear in the service\'s name or description.',
  },
  {
    parameter: 'taxonomy_term_id',
    description:
      'Only return services that carry this taxonomy term or one of its child terms, on the service itself or (for accessibility features) on one of its locations.',
  },
  {
    parameter: 'taxonomy_id',
    description: 'Only return services that carry any term of this taxonomy, on the service itself or on one of its locations.',
  },
  {
    parameter: 'minimum_age',
    description: 'Return services whose minimum age is at least this value; a service that states no minimum age counts as 0.',
  },
  {
    parameter: 'maximum_age',
    description: 'Return services whose maximum age is at most this value; a service that states no maximum age is left out.',
  },
  {
    parameter: 'day',
    description:
      'MO, TU, WE, TH, FR, SA or SU (or the English day name): only return services with a schedule on that day. With start_time or end_time, one schedule must match them all.',
  },
  {
    parameter: 'postcode',
    description:
      'A UK postcode or postcode district. Services that declare service areas are only returned when one of them covers the postcode (its council area, health and social care partnership, health board, Scotland or the UK); results are ordered nearest first. With proximity, only locations within that many metres are returned.',
  },
];

function applyReadings(document: Json): void {
  for (const reading of READINGS) {
    const parameter = document.components.parameters[reading.parameter];
    if (!parameter) throw new Error(`The profile's document has no parameter ${reading.parameter}`);
    parameter.description = reading.description;
  }
  if (!document.components.parameters.search.schema.maxLength) document.components.parameters.search.schema.maxLength = 200;
}

export interface OpenApiOptions {
  /** Absolute or relative URL of the API's base path, e.g. https://frontdoor.scot/openreferral. */
  serverUrl: string;
  rateLimitPerMinute: number;
}

/** The profile's OpenAPI document with every correction applied, for /openreferral/openapi.json. */
export function buildOpenApiDocument(options: OpenApiOptions): Json {
  const document = profileOpenApiDocument();
  for (const correction of CORRECTIONS) correction.apply(document);
  applyReadings(document);
  document.servers = [{ url: options.serverUrl, description: 'Frontdoor' }];
  document.info.title = 'Frontdoor: Open Referral UK 3.0';
  document.info.description = [
    'The Frontdoor directory published in the Open Referral UK profile of HSDS 3.0. Open: no key is needed, ' +
      'and every response carries Access-Control-Allow-Origin: *. Every response carries an ETag; send it back in ' +
      'If-None-Match to get 304 Not Modified. Query parameters combine with AND. Records of every status are ' +
      'published (status says which); services of organisations that are not listed are not. Up to ' +
      `${options.rateLimitPerMinute.toLocaleString('en-GB')} requests a minute from one address are answered.`,
    '',
    'Adapted from the Open Referral UK profile\'s OpenAPI document ("Human Services Data Specification: an Open ' +
      'Referral resource", https://openreferral.org/), licensed CC BY-SA 4.0; this document is shared under the same licence. ' +
      'Corrections to the profile\'s document:',
    '',
    ...CORRECTIONS.map((correction) => `- ${correction.summary}`),
  ].join('\n');
  return document;
}
