import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../directory/schemas.ts';
import { SearchQuerystring, SearchResponse } from './schemas.ts';
import type { SearchService } from './service.ts';
import { SearchResponseCache } from './response-cache.ts';

const LIST_PARAMETERS = ['category', 'client_group', 'access', 'mode', 'day'];

/** `category=a,b` means the same as `category=a&category=b`. */
export function splitCommaLists(query: Record<string, unknown>): void {
  for (const name of LIST_PARAMETERS) {
    const value = query[name];
    if (value === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(','));
    query[name] = values.map((item) => item.trim()).filter(Boolean);
  }
}

export const searchRoutes: FastifyPluginAsyncTypebox<{ search: SearchService; cacheEntries: number }> = async (app, { search, cacheEntries }) => {
  const answers = new SearchResponseCache(cacheEntries);

  app.get('/api/v1/search', {
    // Answers are encoded once, here, and kept encoded (see response-cache.ts).
    compress: false,
    config: { access: 'public' },
    schema: {
      tags: ['Search'],
      summary: 'Search services by words, place and filters, with facet counts',
      description:
        'Only active and temporarily closed services are found. With `near`, each result says how it matched: ' +
        '`near` (a place it is delivered is within `radius` miles, with `distance_miles`), `covers_area` (it serves the ' +
        "place's council area, health and social care partnership or health board) or `national`; in that order of precedence.",
      querystring: SearchQuerystring,
      response: { 200: SearchResponse, 400: ApiError },
    },
    preValidation: async (request) => splitCommaLists(request.query as Record<string, unknown>),
  }, async (request, reply) => {
    // The query as validated (unknown parameters removed, defaults filled in): equal keys, equal searches.
    const key = JSON.stringify(request.query);
    const answer = await answers.answer(key, await search.revision(), async () => {
      const { placeDetails: _details, ...response } = await search.search(request.query);
      // A search that found nothing is not kept: each one is reported to the moderators' desk.
      return { json: reply.serialize(response) as string, keep: response.total > 0 };
    });
    const { body, encoding } = answer.encodedFor(request.headers['accept-encoding']);
    reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
    if (encoding) reply.header('content-encoding', encoding);
    // Already serialised JSON (or its compressed bytes): the schema shaped it when it was made.
    return reply.send(body as never);
  });
};
