import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError, NotFoundError } from '../platform/http/errors.ts';
import {
  IdParams,
  OrganizationListQuery,
  OrganizationQuery,
  PageQuery,
  ServiceAtLocationListQuery,
  ServiceListQuery,
  TaxonomyTermListQuery,
} from './schemas.ts';
import type { OpenReferralService } from './service.ts';
import { buildOpenApiDocument, profileSchemaFiles, SPEC_DIR } from './spec.ts';
import { dataPackageZip, ndjsonPages } from './tabular/export.ts';

export const OPEN_REFERRAL_PREFIX = '/openreferral';
/**
 * Requests a minute from one address: 200 a second. A crawler fetching one page at a time cannot reach
 * it over a network (each page costs a round trip and our answer time); a client hammering the feed in
 * parallel soon does.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 12_000;

export interface OpenReferralRouteOptions {
  openReferral: OpenReferralService;
  /** The app's public base URL, when set; otherwise links are built from the request's host. */
  publicUrl?: string | undefined;
  rateLimitPerMinute?: number;
  /** Whole-directory downloads running at once; more are told to come back later (503). */
  maxConcurrentExports?: number;
}

export const DEFAULT_MAX_CONCURRENT_EXPORTS = 2;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-Id',
  // helmet's same-origin default would stop other sites' pages embedding our responses.
  'cross-origin-resource-policy': 'cross-origin',
};

/** True when an If-None-Match header lists this entity tag (weak comparison, as RFC 9110 asks for GET). */
function matchesEntityTag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * The Open Referral UK 3.0 feed under /openreferral: open (no key, any origin), cacheable (an ETag on
 * every answer, 304 when it has not changed) and rate limited per address. Routes only validate and
 * call the service; the service maps records to the profile's objects.
 */
export const openReferralRoutes: FastifyPluginAsyncTypebox<OpenReferralRouteOptions> = async (app, options) => {
  const { openReferral } = options;
  const rateLimitPerMinute = options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  const publicBase = options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}${OPEN_REFERRAL_PREFIX}` : undefined;
  const baseUrl = (request: FastifyRequest) => publicBase ?? `${request.protocol}://${request.host}${OPEN_REFERRAL_PREFIX}`;

  const openApiJson = JSON.stringify(buildOpenApiDocument({ serverUrl: publicBase ?? OPEN_REFERRAL_PREFIX, rateLimitPerMinute }));
  const schemaFiles = profileSchemaFiles();
  const licence = readFileSync(path.join(SPEC_DIR, 'LICENSE'), 'utf8');

  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(CORS_HEADERS);
  });

  await app.register(rateLimit, {
    global: true,
    max: rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `Too many requests from your address: at most ${context.max} a minute. Try again in ${context.after}.`),
  });

  // Every successful answer gets an entity tag from its bytes; a client that already has them gets 304.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 32)}"`;
    reply.header('etag', etag);
    reply.header('cache-control', 'public, max-age=60');
    if (matchesEntityTag(request.headers['if-none-match'], etag)) {
      reply.code(304);
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });

  app.setNotFoundHandler(async () => {
    throw new HttpError(404, 'not_found', 'There is no Open Referral endpoint at this address. The API is described at /openreferral/openapi.json.');
  });

  // Browsers ask first before sending If-None-Match from another site's page.
  app.options('/*', { schema: { hide: true }, config: { rateLimit: false, access: 'public' } }, async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
      .header('access-control-allow-headers', 'If-None-Match, If-Modified-Since, Accept, X-Request-Id')
      .header('access-control-max-age', '86400')
      .send(),
  );

  const hidden = { hide: true } as const;
  const open = { access: 'public' } as const;

  app.get('/', { schema: hidden, config: open }, async (request) => openReferral.about(baseUrl(request)));

  app.get('/openapi.json', { schema: hidden, config: open }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(openApiJson));

  app.get('/schema/*', { schema: hidden, config: open }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (file === 'LICENSE') return reply.type('text/plain; charset=utf-8').send(licence);
    const body = schemaFiles.get(file);
    if (body === undefined) throw new NotFoundError('schema', file);
    return reply.type('application/schema+json; charset=utf-8').send(body);
  });

  app.get('/services', { schema: { ...hidden, querystring: ServiceListQuery }, config: open }, async (request) =>
    openReferral.listServices(request.query),
  );

  app.get('/services/:id', { schema: { ...hidden, params: IdParams }, config: open }, async (request) => openReferral.getService(request.params.id));

  app.get('/service_at_locations', { schema: { ...hidden, querystring: ServiceAtLocationListQuery }, config: open }, async (request) =>
    openReferral.listServiceAtLocations(request.query),
  );

  app.get('/service_at_locations/:id', { schema: { ...hidden, params: IdParams }, config: open }, async (request) =>
    openReferral.getServiceAtLocation(request.params.id),
  );

  app.get('/organizations', { schema: { ...hidden, querystring: OrganizationListQuery }, config: open }, async (request) =>
    openReferral.listOrganizations(request.query),
  );

  app.get('/organizations/:id', { schema: { ...hidden, params: IdParams, querystring: OrganizationQuery }, config: open }, async (request) =>
    openReferral.getOrganization(request.params.id, { fullService: request.query.full_service === true }),
  );

  // Whole-directory downloads (docs/openreferral.md, "Export"): streamed a page of services at a
  // time, each page in short queries of its own, so no transaction is held while a client downloads.
  // Each costs a read of the whole directory, so only a few run at once.
  const maxExports = options.maxConcurrentExports ?? DEFAULT_MAX_CONCURRENT_EXPORTS;
  let runningExports = 0;
  const startExport = (reply: FastifyReply) => {
    if (runningExports >= maxExports) {
      reply.header('retry-after', '60');
      throw new HttpError(503, 'export_busy', `${maxExports} downloads of the whole directory are already running. Try again in a minute.`, {
        retry_after_seconds: 60,
      });
    }
    runningExports += 1;
    let ended = false;
    return () => {
      if (!ended) runningExports -= 1;
      ended = true;
    };
  };
  const whenDone = (stream: Readable, end: () => void) => {
    finished(stream).then(end, end);
    return stream;
  };
  // A zip is compressed already; NDJSON is gzipped when the client accepts it (brotli would cost
  // far more processor time on hundreds of megabytes).
  app.get('/export/services.ndjson', { schema: hidden, config: open, compress: { encodings: ['gzip'] } }, async (_request, reply) => {
    const end = startExport(reply);
    const stream = whenDone(Readable.from(ndjsonPages(openReferral)), end);
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', 'attachment; filename="services.ndjson"')
      .header('cache-control', 'no-cache')
      .send(stream);
  });

  app.get('/export/datapackage.zip', { schema: hidden, config: open, compress: false }, async (_request, reply) => {
    const end = startExport(reply);
    let zip: Readable;
    try {
      zip = await dataPackageZip(openReferral);
    } catch (error) {
      end();
      throw error;
    }
    return reply
      .type('application/zip')
      .header('content-disposition', 'attachment; filename="openreferral-datapackage.zip"')
      .header('cache-control', 'no-cache')
      .send(whenDone(zip, end));
  });

  app.get('/taxonomies', { schema: { ...hidden, querystring: PageQuery }, config: open }, async (request) => openReferral.listTaxonomies(request.query));

  app.get('/taxonomies/:id', { schema: { ...hidden, params: IdParams }, config: open }, async (request) => openReferral.getTaxonomy(request.params.id));

  app.get('/taxonomy_terms', { schema: { ...hidden, querystring: TaxonomyTermListQuery }, config: open }, async (request) =>
    openReferral.listTaxonomyTerms(request.query),
  );

  app.get('/taxonomy_terms/:id', { schema: { ...hidden, params: IdParams }, config: open }, async (request) =>
    openReferral.getTaxonomyTerm(request.params.id),
  );
};
