import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildOpenApiDocument, CORRECTIONS, profileOpenApiDocument, profileSchemaFiles, READINGS, SPEC_DIR } from './spec.ts';
import { createResponseValidator, describeErrors } from './testing/validator.ts';

type Json = any;

function collectRefs(node: Json, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, found));
  else if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string') found.push(node.$ref);
    Object.values(node).forEach((value) => collectRefs(value, found));
  }
  return found;
}

function resolvePointer(document: Json, pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<Json>((node, part) => (node === undefined ? undefined : node[part.replace(/~1/g, '/').replace(/~0/g, '~')]), document);
}

const document = buildOpenApiDocument({ serverUrl: '/openreferral', rateLimitPerMinute: 6000 });

describe('the served OpenAPI document', () => {
  test('is OpenAPI 3.1 with every endpoint of the issue, each with a unique operationId', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.equal(document.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
    const paths = [
      '/', '/services', '/services/{id}', '/taxonomies', '/taxonomies/{id}', '/taxonomy_terms', '/taxonomy_terms/{id}',
      '/service_at_locations', '/service_at_locations/{id}', '/organizations', '/organizations/{id}',
    ];
    assert.deepEqual(Object.keys(document.paths).sort(), [...paths].sort());
    const operationIds = Object.values(document.paths).map((item: Json) => item.get.operationId);
    assert.equal(new Set(operationIds).size, operationIds.length);
    assert.equal(document.servers[0].url, '/openreferral');
  });

  test('resolves every $ref without the internet: internal pointers, and schema files this app serves', () => {
    const files = profileSchemaFiles();
    const refs = collectRefs(document);
    assert.ok(refs.length > 20);
    for (const ref of refs) {
      assert.doesNotMatch(ref, /^https?:/, `${ref} points at the internet`);
      if (ref.startsWith('#')) assert.notEqual(resolvePointer(document, ref), undefined, `${ref} resolves`);
      else assert.ok(files.has(ref.replace(/^schema\//, '')), `${ref} is a schema file we serve`);
    }
    // The schema files' own $refs are relative to themselves and must resolve among the files too.
    for (const [file, text] of files) {
      for (const ref of collectRefs(JSON.parse(text))) {
        if (ref.startsWith('#')) continue;
        const target = path.posix.join(path.posix.dirname(file), ref);
        assert.ok(files.has(target), `${file} refers to ${ref}, which we serve`);
      }
    }
  });

  test('corrects the known faults of the profile\'s document', () => {
    const original = profileOpenApiDocument();
    assert.match(original.paths['/service_at_locations/{id}'].get.responses['200'].content['application/json'].schema.$ref, /compiled\/service\.json$/);
    assert.equal(
      document.paths['/service_at_locations/{id}'].get.responses['200'].content['application/json'].schema.$ref,
      'schema/compiled/service_at_location.json',
    );
    const text = JSON.stringify(document);
    assert.doesNotMatch(text, /"type":"time"/);
    assert.doesNotMatch(text, /"format":"datetime"/);
    assert.equal(document.paths['/taxonomy_terms'].get.operationId, 'getPaginatedListOfTaxonomyTerms');
    assert.equal(document.paths['/taxonomy_terms/{id}'].get.operationId, 'getTaxonomyTermById');
    assert.match(document.info.license.identifier, /CC-BY-SA-4.0/);
    const servicesParameters = document.paths['/services'].get.parameters.map((parameter: Json) => parameter.$ref.split('/').pop());
    for (const name of ['search', 'page', 'per_page', 'taxonomy_term_id', 'taxonomy_id', 'minimum_age', 'maximum_age', 'day', 'start_time', 'end_time', 'organization_id', 'modified_after']) {
      assert.ok(servicesParameters.includes(name), `/services takes ${name}`);
    }
    const salParameters = document.paths['/service_at_locations'].get.parameters.map((parameter: Json) => parameter.$ref.split('/').pop());
    assert.ok(salParameters.includes('postcode') && salParameters.includes('proximity'));
  });

  test('every correction changes the profile\'s document, so none is stale', () => {
    for (const correction of CORRECTIONS) {
      const before = profileOpenApiDocument();
      const after = profileOpenApiDocument();
      correction.apply(after);
      assert.notDeepEqual(after, before, `${correction.id} changes something`);
    }
  });

  test('lists every correction and every reading in its description and in docs/openreferral.md', () => {
    const docs = readFileSync(path.join(SPEC_DIR, '..', '..', 'docs', 'openreferral.md'), 'utf8');
    for (const correction of CORRECTIONS) {
      assert.ok(document.info.description.includes(correction.summary), `${correction.id} is in the document`);
      assert.ok(docs.includes(`\`${correction.id}\``), `${correction.id} is in docs/openreferral.md`);
    }
    for (const reading of READINGS) {
      assert.equal(document.components.parameters[reading.parameter].description, reading.description);
      assert.ok(docs.includes(`\`${reading.parameter}\``), `the reading of ${reading.parameter} is in docs/openreferral.md`);
    }
  });
});

describe('the profile\'s own examples', () => {
  const validator = createResponseValidator();
  const example = (name: string) => JSON.parse(readFileSync(path.join(SPEC_DIR, 'examples', `${name}.json`), 'utf8'));

  test('validate against the schemas our document points at (a check on the validator itself)', () => {
    const cases: Array<[string, string]> = [
      ['service_full', '/services/{id}'],
      ['service_list', '/services'],
      ['service_at_location_full', '/service_at_locations/{id}'],
      ['service_at_location_list', '/service_at_locations'],
      ['organization_full', '/organizations/{id}'],
      ['organization_list', '/organizations'],
      ['taxonomy', '/taxonomies/{id}'],
      ['taxonomy_list', '/taxonomies'],
      ['taxonomy_term', '/taxonomy_terms/{id}'],
      ['taxonomy_term_list', '/taxonomy_terms'],
    ];
    for (const [name, pathTemplate] of cases) {
      const errors = validator.errors(pathTemplate, example(name));
      assert.deepEqual(errors, [], `${name}: ${describeErrors(errors)}`);
    }
  });

  test('and a broken record is caught', () => {
    const broken = { ...example('service_full'), status: 'open', id: 'not-a-uuid' };
    delete broken.name;
    const errors = validator.errors('/services/{id}', broken);
    const paths = errors.map((error) => `${error.instancePath} ${error.keyword}`);
    assert.ok(paths.includes(' required'), paths.join(', '));
    assert.ok(paths.includes('/status enum'), paths.join(', '));
    assert.ok(paths.includes('/id format'), paths.join(', '));
    assert.ok(validator.errors('/services', { contents: [] }).length > 0, 'an envelope without its fields is caught');
  });
});
