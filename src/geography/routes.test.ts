import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { installErrorHandlers } from '../platform/http/errors.ts';
import { geographyRoutes } from './routes.ts';
import { ResolvedPlaceSchema } from './schemas.ts';
import { createGeographyService, type ResolvedPlace } from './service.ts';

// Compile-time check that the response schema and the service's type describe the same object.
const schemaFitsService: ResolvedPlace = {} as Static<typeof ResolvedPlaceSchema>;
const serviceFitsSchema: Static<typeof ResolvedPlaceSchema> = {} as ResolvedPlace;
void schemaFitsService;
void serviceFitsSchema;

describe('GET /api/v1/places/resolve', () => {
  let app: FastifyInstance;
  before(async () => {
    // The TypeBox provider and the error envelope, as src/app.ts sets them up.
    app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    installErrorHandlers(app);
    const geography = createGeographyService({ postcodes: { find: async () => undefined } });
    await app.register(geographyRoutes, { geography });
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  const resolve = (q?: string) =>
    app.inject({ method: 'GET', url: '/api/v1/places/resolve', query: q === undefined ? {} : { q } });

  test('answers with the resolved place', async () => {
    const response = await resolve('Arran');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    assert.deepEqual(response.json(), {
      kind: 'alias',
      label: 'Arran (Brodick)',
      latitude: 55.57539,
      longitude: -5.14717,
      precision: 'place',
      approximate: false,
      country: 'SCT',
      councilArea: { code: 'north-ayrshire', name: 'North Ayrshire' },
      partnership: 'North Ayrshire Health and Social Care Partnership',
      healthBoard: 'NHS Ayrshire and Arran',
    });
  });

  test('says when a postcode is only placed at its district', async () => {
    const response = await resolve('ka12 8aa');
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().label, 'KA12 8AA');
    assert.equal(response.json().approximate, true);
  });

  test('answers an unknown place with 400, the parameter and suggestions', async () => {
    const response = await resolve('Irivne');
    assert.equal(response.statusCode, 400);
    const { request_id: requestId, ...body } = response.json();
    assert.deepEqual(body, {
      error: 'unknown_place',
      message: 'We could not find a place with that name. Did you mean Irvine?',
      parameter: 'q',
      suggestions: ['Irvine'],
    });
    assert.equal(typeof requestId, 'string');
  });

  test('answers malformed, empty and hostile input with 400, never 500', async () => {
    for (const [q, error] of [
      ['KA12 8A', 'malformed_postcode'],
      ['12345', 'malformed_postcode'],
      ['', 'empty'],
      ['   ', 'empty'],
      ['<script>alert(1)</script>', 'malformed_postcode'],
      ['<script>', 'unknown_place'],
      ['KA0 1AA', 'unknown_postcode'],
    ]) {
      const response = await resolve(q);
      assert.equal(response.statusCode, 400, q);
      assert.equal(response.json().error, error, q);
      assert.equal(response.json().parameter, 'q');
    }
  });

  test('a request without q, or with far too long a q, is refused by the schema', async () => {
    for (const q of [undefined, 'x'.repeat(201)]) {
      const response = await resolve(q);
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error, 'invalid_parameter');
      assert.equal(response.json().parameter, 'q');
    }
  });

  test('validates the same with the TypeBox compiler', async () => {
    const strict = Fastify().setValidatorCompiler(TypeBoxValidatorCompiler).withTypeProvider<TypeBoxTypeProvider>();
    installErrorHandlers(strict);
    await strict.register(geographyRoutes, { geography: createGeographyService({ postcodes: { find: async () => undefined } }) });
    const found = await strict.inject({ url: '/api/v1/places/resolve?q=Irvine' });
    const missing = await strict.inject({ url: '/api/v1/places/resolve' });
    await strict.close();
    assert.equal(found.json().label, 'Irvine');
    assert.equal(missing.statusCode, 400);
  });

  test('appears in the OpenAPI document under Places', async () => {
    const documented = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    await documented.register(swagger, { openapi: { info: { title: 'Frontdoor', version: 'test' } } });
    await documented.register(geographyRoutes, { geography: { resolve: async () => assert.fail('not called') } });
    await documented.ready();
    const operation = documented.swagger().paths?.['/api/v1/places/resolve']?.get;
    await documented.close();
    assert.ok(operation, 'the path is documented');
    assert.deepEqual(operation.tags, ['Places']);
    assert.ok(operation.description);
    assert.deepEqual(Object.keys(operation.responses ?? {}).sort(), ['200', '400']);
    assert.equal((operation.parameters as Array<{ name: string; in: string; required: boolean }>)[0]?.name, 'q');
  });
});
