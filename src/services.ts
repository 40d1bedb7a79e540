import type { Kysely } from 'kysely';
import type { Database } from './platform/db/schema.ts';
import type { Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { createDirectoryRepository } from './directory/repository.ts';
import { createDirectoryService } from './directory/service.ts';
import { loadGeoData } from './geography/data.ts';
import { createPostcodeRepository } from './geography/repository.ts';
import { createGeographyService } from './geography/service.ts';
import { createSearchRepository } from './search/repository.ts';
import { createSearchService } from './search/service.ts';
import { SearchSync } from './search/sync.ts';
import { createPublicPagesService } from './public/service.ts';
import { createOpenReferralRepository } from './openreferral/repository.ts';
import { createOpenReferralService } from './openreferral/service.ts';
import { createJobQueue } from './platform/jobs/queue.ts';
import { createMailer, fileTransport, smtpTransport, type MailTransport } from './platform/mail/mailer.ts';
import { createAuditLog } from './platform/audit/log.ts';
import { createSecretBox } from './platform/crypto/secrets.ts';
import { createAccountsRepository } from './accounts/repository.ts';
import { createAccountsService } from './accounts/service.ts';
import { createOidcClient, type OidcClient } from './accounts/sso.ts';
import { createAdminRepository } from './admin/repository.ts';
import { createAdminService } from './admin/service.ts';
import { createListingsService, scheduleReviewCycle } from './listings/service.ts';
import { createImportRepository } from './imports/repository.ts';
import { createImportsService, importWriters, scheduleImports } from './imports/service.ts';
import type { EngineName } from './platform/db/engine.ts';
import type { CrawlOptions } from './imports/readers.ts';

export interface ServiceSettings {
  /** A listing falls due for review this many months after it was last reviewed. */
  reviewIntervalMonths: number;
  /** Days after falling due before an unreviewed service becomes inactive. */
  reviewGraceDays: number;
}

export interface ServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  config?: Pick<Config, 'smtpUrl' | 'mailFrom' | 'mailDir' | 'environment' | 'secretsKey'> & Partial<Pick<Config, 'publicUrl' | 'reviewIntervalMonths' | 'reviewGraceDays' | 'reportAnswerDays' | 'searchCacheEntries'>>;
  settings?: Partial<ServiceSettings>;
  /** Tests pass a memory transport; otherwise SMTP when SMTP_URL is set, files when not. */
  mailTransport?: MailTransport;
  oidc?: OidcClient;
  /** Settings of the Open Referral crawler (tests shorten timeouts and backoff). */
  importCrawl?: CrawlOptions;
  /** Which engine `db` runs on: imports write two batches at once on PostgreSQL, one on PGlite (one connection). */
  engine?: EngineName;
}

/** Builds every capability's service from the database: the one place that knows how they fit together. */
export function createServices(deps: ServiceDeps) {
  const { db, clock } = deps;
  const settings: ServiceSettings = {
    reviewIntervalMonths: deps.config?.reviewIntervalMonths ?? 6,
    reviewGraceDays: deps.config?.reviewGraceDays ?? 56,
    ...deps.settings,
  };
  const councilAreas = new Map(loadGeoData().councilAreas.map((area) => [area.code, { code: area.code, name: area.name }]));
  const directory = createDirectoryService({
    repository: createDirectoryRepository(db),
    councilArea: (code) => councilAreas.get(code),
  });
  const geography = createGeographyService({ postcodes: createPostcodeRepository(db) });
  const searchSync = new SearchSync({
    repository: createSearchRepository(db, { reviewIntervalMonths: settings.reviewIntervalMonths }),
    clock,
    cacheEntries: deps.config?.searchCacheEntries ?? 500,
  });
  // Searches that found nothing go to the moderator desk (created below, hence the late binding).
  let onNoResults: ((words: string, area: string | null, code: string | null) => Promise<void>) | undefined;
  const search = createSearchService({ db, sync: searchSync, places: geography, clock, onNoResults: (w, a, c) => onNoResults?.(w, a, c) ?? Promise.resolve() });
  const pages = createPublicPagesService({ directory, search, geography, clock, siteName: 'Frontdoor' });

  const jobs = createJobQueue({ db, clock });
  const mailTransport = deps.mailTransport ?? (deps.config?.smtpUrl ? smtpTransport(deps.config.smtpUrl) : fileTransport(deps.config?.mailDir ?? 'var/mail'));
  const mailer = createMailer({ db, clock, jobs, transport: mailTransport, from: deps.config?.mailFrom ?? 'Frontdoor <no-reply@frontdoor.invalid>' });
  const audit = createAuditLog({ db, clock });
  const accounts = createAccountsService({
    repository: createAccountsRepository(db),
    clock,
    mailer,
    audit,
    secrets: createSecretBox(deps.config?.secretsKey ?? 'frontdoor-development-only-secrets-key-do-not-use'),
    oidc: deps.oidc ?? createOidcClient({ allowHttp: deps.config?.environment !== 'production' }),
  });
  const admin = createAdminService({ repository: createAdminRepository(db), audit, jobs, clock });
  const listings = createListingsService({
    db,
    clock,
    audit,
    mailer,
    jobs,
    settings: { reviewIntervalMonths: settings.reviewIntervalMonths, reviewGraceDays: settings.reviewGraceDays, reportAnswerDays: deps.config?.reportAnswerDays ?? 10, publicUrl: deps.config?.publicUrl ?? 'http://localhost:3000' },
    places: geography,
    refreshSearch: (ids) => searchSync.refreshServices(ids),
  });
  scheduleReviewCycle(listings, jobs, clock);
  onNoResults = (words, area, code) => listings.recordSearchMiss(words, area, code);
  const openReferral = createOpenReferralService({ repository: createOpenReferralRepository(db), places: geography });
  const imports = createImportsService({
    repository: createImportRepository(db),
    clock,
    audit,
    jobs,
    refreshSearch: (ids) => searchSync.refreshServices(ids),
    ...(deps.importCrawl ? { crawl: deps.importCrawl } : {}),
    writers: importWriters(deps.engine ?? 'pglite'),
  });
  scheduleImports(imports, jobs);
  return { directory, geography, search, searchSync, pages, openReferral, jobs, mailer, audit, accounts, admin, listings, imports, clock };
}

export type Services = ReturnType<typeof createServices>;
