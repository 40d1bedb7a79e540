import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createResponseValidator, describeErrors } from './validator.ts';

// Conformance checks shared by the tests that walk the feed: on generated data with edge cases, and on
// the demo directory.

type Json = any;

let sharedValidator: ReturnType<typeof createResponseValidator> | undefined;
const validator = () => (sharedValidator ??= createResponseValidator());

/** No null anywhere, no empty list, and "" only where the profile requires a field we may hold empty. */
export function assertNothingEmpty(value: unknown, where = '$'): void {
  assert.notEqual(value, null, `${where} is null`);
  if (Array.isArray(value)) {
    assert.ok(value.length > 0, `${where} is an empty list`);
    value.forEach((item, index) => assertNothingEmpty(item, `${where}[${index}]`));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (item === '' && (key === 'description' || key === 'state_province')) continue;
      assert.notEqual(item, '', `${where}.${key} is ""`);
      if (key === 'contents' && Array.isArray(item) && item.length === 0) continue;
      assertNothingEmpty(item, `${where}.${key}`);
    }
  }
}

export function conformanceChecker(app: FastifyInstance) {
  /** GETs a URL that must answer 200, open to every origin, valid against the profile and without empty values. */
  async function getValid(url: string, pathTemplate: string): Promise<Json> {
    const response = await app.inject(url);
    assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
    assert.equal(response.headers['access-control-allow-origin'], '*');
    const body = response.json();
    const errors = validator().errors(pathTemplate, body);
    assert.deepEqual(errors, [], `${url} does not conform:\n${describeErrors(errors)}`);
    assertNothingEmpty(body);
    return body;
  }

  /** The first, a middle and the last page of a list, each validated; returns their contents. */
  async function firstMiddleLast(listUrl: string, pathTemplate: string, perPage: number): Promise<Json[]> {
    const separator = listUrl.includes('?') ? '&' : '?';
    const first = await getValid(`${listUrl}${separator}per_page=${perPage}`, pathTemplate);
    assert.ok(first.total_pages >= 3, `${listUrl} has at least three pages (it has ${first.total_pages})`);
    const middle = await getValid(`${listUrl}${separator}per_page=${perPage}&page=${Math.ceil(first.total_pages / 2)}`, pathTemplate);
    const last = await getValid(`${listUrl}${separator}per_page=${perPage}&page=${first.total_pages}`, pathTemplate);
    assert.equal(first.first_page, true);
    assert.equal(middle.first_page, false);
    assert.equal(middle.last_page, false);
    assert.equal(last.last_page, true);
    assert.equal(last.size, first.total_items - (first.total_pages - 1) * perPage);
    return [...first.contents, ...middle.contents, ...last.contents];
  }

  /**
   * Every endpoint: the root, the first, a middle and the last page of every list (plain and fully
   * nested), and, by id, every record those pages hold, of every kind.
   */
  async function checkEveryEndpoint(perPage: { services: number; organizations: number; terms: number }): Promise<void> {
    const root = await getValid('/openreferral/', '/');
    assert.equal(root.version, '3.0');
    const services = await firstMiddleLast('/openreferral/services', '/services', perPage.services);
    await firstMiddleLast('/openreferral/services?full=true', '/services', perPage.services);
    const links = await firstMiddleLast('/openreferral/service_at_locations', '/service_at_locations', perPage.services);
    await firstMiddleLast('/openreferral/service_at_locations?full=true', '/service_at_locations', perPage.services);
    const organizations = await firstMiddleLast('/openreferral/organizations', '/organizations', perPage.organizations);
    await firstMiddleLast('/openreferral/taxonomies', '/taxonomies', 1);
    const terms = await firstMiddleLast('/openreferral/taxonomy_terms', '/taxonomy_terms', perPage.terms);
    for (const service of services) await getValid(`/openreferral/services/${service.id}`, '/services/{id}');
    for (const link of links) await getValid(`/openreferral/service_at_locations/${link.id}`, '/service_at_locations/{id}');
    for (const organization of organizations) {
      await getValid(`/openreferral/organizations/${organization.id}`, '/organizations/{id}');
    }
    await getValid(`/openreferral/organizations/${organizations[0].id}?full_service=true`, '/organizations/{id}');
    const taxonomies = (await getValid('/openreferral/taxonomies?per_page=100', '/taxonomies')).contents;
    for (const taxonomy of taxonomies) await getValid(`/openreferral/taxonomies/${taxonomy.id}`, '/taxonomies/{id}');
    for (const term of terms) await getValid(`/openreferral/taxonomy_terms/${term.id}`, '/taxonomy_terms/{id}');
  }

  return { getValid, firstMiddleLast, checkEveryEndpoint };
}
