import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
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
import { geographyRoutes } from './geography/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { publicPages } from './public/routes.ts';
import { OPEN_REFERRAL_PREFIX, openReferralRoutes } from './openreferral/routes.ts';
import { views } from './platform/views/plugin.ts';
import { sessions } from './platform/http/sessions.ts';
import rateLimit from '@fastify/rate-limit';
import { authorisation } from './platform/auth/plugin.ts';
import { can, canSomewhere, organisationsWhere } from './platform/auth/rules.ts';
import type { fileTransport, MailTransport } from './platform/mail/mailer.ts';
import { devMailRoutes } from './platform/mail/routes.ts';
import type { OidcClient } from './accounts/sso.ts';
import { accountsRoutes } from './accounts/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { listingsRoutes } from './listings/routes.ts';
import { importRoutes } from './imports/routes.ts';
import type { CrawlOptions } from './imports/readers.ts';

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** Swap any service in tests. */
  services?: Partial<Services>;
  /** Where JSON logs go; standard output by default. */
  logStream?: NodeJS.WritableStream;
  /** Replaces the mail transport (tests keep messages in memory). */
  mailTransport?: MailTransport;
  /** Replaces the OpenID Connect client. */
  oidc?: OidcClient;
  /** How often this process looks for due background jobs (when RUN_JOBS is on); 2 seconds by default. */
  jobPollMs?: number;
  /** Settings of the Open Referral crawler for imports (tests shorten timeouts and backoff). */
  importCrawl?: CrawlOptions;
  /** Requests a minute one address may make to the Open Referral feed (tests lower it). */
  openReferralRateLimitPerMinute?: number;
  /** Whole-directory Open Referral downloads allowed at once (tests lower it). */
  openReferralMaxConcurrentExports?: number;
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

  const services = {
    ...createServices({ db: database.db, engine: database.engine, clock, config, mailTransport: options.mailTransport, oidc: options.oidc, ...(options.importCrawl ? { importCrawl: options.importCrawl } : {}) }),
    ...options.services,
  } as Services;
  const readiness: Readiness = { accepting: true };

  installRequestLogging(app);
  installErrorHandlers(app, (reply, statusCode, title, message) =>
    reply.render('platform/views/templates/error.njk', { pageTitle: title, message, statusCode }),
  );

  // Before any route, so that its onRoute hook sees every route's access rule.
  await app.register(authorisation, {
    signInPath: '/sign-in',
    // Routes other plugins register (API docs, static assets) and cannot be given a rule in place.
    publicPrefixes: ['/api/docs', '/assets/'],
    loadActor: async (request) => {
      const userId = request.session?.userId;
      if (!userId) return null;
      const actor = await services.accounts.loadActor(userId, request.session.twoFactor === true);
      if (!actor) delete request.session.userId; // disabled or deleted since
      return actor;
    },
  });
  await app.register(rateLimit, { global: false });
  // Pages, stylesheet and scripts go out compressed: a results page with its assets is well under 100 KB.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(views, {
    siteName: 'Frontdoor',
    production: config.environment === 'production',
    // Recompiling templates on every render is for editing them; tests render thousands of pages.
    cacheTemplates: config.environment !== 'development',
    frameablePrefixes: ['/embed'],
  });
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
        { name: 'Search', description: 'Services found by words, place and filters, with facet counts.' },
        { name: 'Places', description: 'Postcodes, towns and areas resolved without any network service.' },
        { name: 'Operations', description: 'Health checks for load balancers and monitoring.' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  // The header shows who is signed in, with a sign-out button (a form, so it carries a CSRF token).
  app.addHook('preHandler', async (request, reply) => {
    if (!request.actor || !request.routeOptions.url || request.routeOptions.url.startsWith('/api/')) {
      request.viewLocals.accountLinks = [{ href: '/sign-in', text: 'Sign in' }];
      return;
    }
    request.viewLocals.accountLinks = [
      ...(can(request.actor, 'user.manage') ? [{ href: '/admin', text: 'Admin' }] : []),
      ...(canSomewhere(request.actor, 'listing.moderate') ? [{ href: '/moderate', text: 'Moderate' }] : []),
      ...(organisationsWhere(request.actor, 'listing.edit').length > 0 ? [{ href: '/manage/listings', text: 'Your listings' }] : []),
      { href: '/account', text: 'Your account' },
    ];
    request.viewLocals.signOutCsrf = reply.generateCsrf();
  });

  await app.register(healthRoutes, { db: database.db, readiness });
  await app.register(directoryRoutes, { directory: services.directory });
  await app.register(geographyRoutes, { geography: services.geography });
  await app.register(searchRoutes, { search: services.search, cacheEntries: config.searchCacheEntries });
  await app.register(publicPages, { pages: services.pages, config });
  app.addHook('onClose', async () => services.searchSync.stop());
  await app.register(accountsRoutes, { accounts: services.accounts, clock, publicUrl: config.publicUrl, formRateLimit: config.formRateLimit });
  await app.register(adminRoutes, { admin: services.admin, accounts: services.accounts });
  await app.register(importRoutes, { imports: services.imports });
  await app.register(listingsRoutes, { listings: services.listings, reportRateLimit: config.formRateLimit, publicUrl: config.publicUrl });
  const transport = services.mailer.transport as Partial<ReturnType<typeof fileTransport>>;
  if (config.environment !== 'production' && transport.list && transport.read) {
    await app.register(devMailRoutes, { list: transport.list.bind(transport), read: transport.read.bind(transport) });
  }

  // Background jobs run in every app process that is told to; the queue makes sure each job runs once.
  if (config.runJobs) {
    app.addHook('onReady', async () => services.jobs.start(options.jobPollMs ?? 2_000));
    app.addHook('onClose', async () => services.jobs.stop());
  }
  await app.register(openReferralRoutes, {
    prefix: OPEN_REFERRAL_PREFIX,
    openReferral: services.openReferral,
    publicUrl: config.publicUrl,
    ...(options.openReferralRateLimitPerMinute ? { rateLimitPerMinute: options.openReferralRateLimitPerMinute } : {}),
    ...(options.openReferralMaxConcurrentExports ? { maxConcurrentExports: options.openReferralMaxConcurrentExports } : {}),
  });

  return { app, services, readiness };
}
