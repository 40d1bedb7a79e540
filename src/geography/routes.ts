import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../platform/http/errors.ts';
import type { GeographyService } from './service.ts';
import { resolvePlaceRoute } from './schemas.ts';

export interface GeographyRoutesOptions {
  geography: Pick<GeographyService, 'resolve'>;
}

/** Registers GET /api/v1/places/resolve (a full path: register the plugin without a prefix). */
export const geographyRoutes: FastifyPluginAsyncTypebox<GeographyRoutesOptions> = async (app, { geography }) => {
  app.get('/api/v1/places/resolve', { config: { access: 'public' }, schema: resolvePlaceRoute }, async (request) => {
    const result = await geography.resolve(request.query.q);
    if (result.ok) return result.place;
    // Thrown, not sent, so that the app's error handler gives it the same envelope (and request id)
    // as every other API error.
    const { code, message, suggestions } = result.error;
    throw new HttpError(400, code, message, { parameter: 'q', suggestions });
  });
};
