import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './platform/config.ts';
import type { DatabaseHandle } from './platform/db/engine.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { installErrorHandlers } from './platform/http/errors.ts';
import { installRequestLogging, loggerOptions } from './platform/logging.ts';
import { healthRoutes, type Readiness } from './platform/health.ts';
import { createServices, type Services } from './services.ts';
import { directoryRoutes } from './directory/routes.ts';
import { OPEN_REFERRAL_PREFIX, openReferralRoutes } from './openreferral/routes.ts';
import { views } from './platform/views/plugin.ts';
import { sessions } from './platform/http/sessions.ts';

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** Swap any service in tests. */
  services?: Partial<Services>;
  /** Where JSON logs go; standard output by default. */
  logStream?: NodeJS.WritableStream;
  /** Requests a minute one address may make to the Open Referral feed (tests lower it). */
  openReferralRateLimitPerMinute?: number;
}

export interface App {
  app: FastifyInstance;
  services: Services;
  readiness: Readiness;
}

/**
 * The composition root: data access first, services from it, then routes from services.
 * External plugins (docs, security) are registered before the capabilities' routes.
 */
export async function buildApp(options: AppOptions): Promise<App> {
  const { config, database } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    ...loggerOptions(config.logLevel, options.logStream),
    trustProxy: config.environment === 'production',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const services = { ...createServices({ db: database.db, clock }), ...options.services } as Services;
  const readiness: Readiness = { accepting: true };

  installRequestLogging(app);
  installErrorHandlers(app, (reply, statusCode, title, message) =>
    reply.render('platform/views/templates/error.njk', { pageTitle: title, message, statusCode }),
  );

  await app.register(views, { siteName: 'Frontdoor', production: config.environment === 'production', frameablePrefixes: ['/embed'] });
  await app.register(sessions, {
    db: database.db,
    clock,
    secret: config.sessionSecret,
    secureCookies: config.environment === 'production',
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Frontdoor API',
        version: '1',
        description:
          'Read access to the Frontdoor directory of health, social care and community services. ' +
          'Errors are JSON objects with `error` (a stable code), `message` (a sentence for a person) and, ' +
          'for bad parameters, `parameter`.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      ...(config.publicUrl ? { servers: [{ url: config.publicUrl }] } : {}),
      tags: [
        { name: 'Records', description: 'Organisations, services, locations and taxonomy terms by id and in pages.' },
        { name: 'Places', description: 'Postcodes, towns and areas resolved without any network service.' },
        { name: 'Operations', description: 'Health checks for load balancers and monitoring.' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { db: database.db, readiness });
  await app.register(directoryRoutes, { directory: services.directory });
  await app.register(openReferralRoutes, {
    prefix: OPEN_REFERRAL_PREFIX,
    openReferral: services.openReferral,
    publicUrl: config.publicUrl,
    ...(options.openReferralRateLimitPerMinute ? { rateLimitPerMinute: options.openReferralRateLimitPerMinute } : {}),
  });

  return { app, services, readiness };
}
