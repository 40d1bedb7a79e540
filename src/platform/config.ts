import path from 'node:path';

export interface Config {
  /** 'production' turns on secure cookies and hides development-only pages. */
  environment: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Set: a PostgreSQL server. Unset: the embedded PGlite database in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Load demo data into an empty database at start. */
  seedDemoData: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Public base URL used in links we hand out (sitemaps, API documents, emails). */
  publicUrl: string | undefined;
  /** Signs session cookies; required in production, a fixed development value otherwise. */
  sessionSecret: string;
  /** A session ends after this long without a request… */
  sessionIdleMinutes: number;
  /** …and this long after sign-in whatever happens. */
  sessionAbsoluteHours: number;
  /** Where the quick exit on public pages takes a person: a neutral site that reveals nothing. */
  quickExitUrl: string;
  /** Where people write about accessibility and privacy; unset: the pages say to ask the organisation running this Frontdoor. */
  contactEmail: string | undefined;
  /** Set: send mail through this SMTP server. Unset: write it to files in mailDir (shown at /dev/mail outside production). */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailDir: string;
  /** Run background jobs (sending mail) in this process. */
  runJobs: boolean;
  /** Posts per minute from one address to each sign-in, sign-up, reset and code form (per process). */
  formRateLimit: number;
  /** A service falls due for review this many months after its last review. */
  reviewIntervalMonths: number;
  /** Days after a service falls due before it becomes inactive (hidden, not deleted). */
  reviewGraceDays: number;
  /** Days an organisation has to answer a problem report before moderators are told. */
  reportAnswerDays: number;
  /** Outcomes of recent distinct searches kept in memory until the directory changes (0 turns the cache off). */
  searchCacheEntries: number;
  /** Encrypts stored secrets (authenticator secrets, identity providers' client secrets). */
  secretsKey: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Frontdoor cannot start because of its settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const ENVIRONMENTS = ['development', 'production', 'test'] as const;

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/**
 * Reads and checks every setting at once so that a misconfigured deployment is told about all of
 * its problems in one message, not one per restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];

  const environmentRaw = env.NODE_ENV ?? 'development';
  let environment: Config['environment'] = 'development';
  if (oneOf(environmentRaw, ENVIRONMENTS)) environment = environmentRaw;
  else problems.push(`NODE_ENV must be one of ${ENVIRONMENTS.join(', ')} (it is "${environmentRaw}").`);

  const portRaw = env.PORT ?? '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (it is "${portRaw}").`);
  }

  const host = env.HOST ?? '127.0.0.1';
  if (host.trim() === '') problems.push('HOST must not be empty: use 127.0.0.1 for this machine only, 0.0.0.0 for every interface.');

  let databaseUrl: string | undefined = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined) {
    try {
      const parsed = new URL(databaseUrl);
      if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
        problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (it starts with "${parsed.protocol}//").`);
        databaseUrl = undefined;
      }
    } catch {
      problems.push('DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database.');
      databaseUrl = undefined;
    }
  }

  const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || './var/data');

  const seedRaw = (env.SEED_DEMO_DATA ?? (databaseUrl ? 'false' : 'true')).toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(seedRaw)) {
    problems.push(`SEED_DEMO_DATA must be true or false (it is "${env.SEED_DEMO_DATA}").`);
  }
  const seedDemoData = ['true', '1', 'yes'].includes(seedRaw);

  const logLevelRaw = env.LOG_LEVEL ?? (environment === 'test' ? 'silent' : 'info');
  let logLevel: Config['logLevel'] = 'info';
  if (oneOf(logLevelRaw, LOG_LEVELS)) logLevel = logLevelRaw;
  else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (it is "${logLevelRaw}").`);

  let publicUrl: string | undefined = env.PUBLIC_URL?.trim() || undefined;
  if (publicUrl !== undefined) {
    try {
      const parsed = new URL(publicUrl);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
      publicUrl = publicUrl.replace(/\/+$/, '');
    } catch {
      problems.push(`PUBLIC_URL must be an http or https URL such as https://frontdoor.example.scot (it is "${publicUrl}").`);
      publicUrl = undefined;
    }
  }

  let sessionSecret = env.SESSION_SECRET ?? '';
  if (sessionSecret === '') {
    if (environment === 'production') problems.push('SESSION_SECRET must be set in production: at least 32 random characters, the same for every app process.');
    sessionSecret = 'frontdoor-development-only-session-secret-do-not-use';
  } else if (sessionSecret.length < 32) {
    problems.push(`SESSION_SECRET must be at least 32 characters long (it has ${sessionSecret.length}).`);
  }

  const positive = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) {
      problems.push(`${name} must be a whole number greater than 0 (it is "${raw}").`);
      return fallback;
    }
    return value;
  };
  const sessionIdleMinutes = positive('SESSION_IDLE_MINUTES', 30);
  const sessionAbsoluteHours = positive('SESSION_ABSOLUTE_HOURS', 12);

  let quickExitUrl = env.QUICK_EXIT_URL?.trim() || 'https://www.bbc.co.uk/weather';
  try {
    const parsed = new URL(quickExitUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
  } catch {
    problems.push(`QUICK_EXIT_URL must be an http or https URL of a neutral site such as https://www.bbc.co.uk/weather (it is "${quickExitUrl}").`);
    quickExitUrl = 'https://www.bbc.co.uk/weather';
  }

  const contactEmail = env.CONTACT_EMAIL?.trim() || undefined;
  if (contactEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail)) {
    problems.push(`CONTACT_EMAIL must be an email address (it is "${contactEmail}").`);
  }

  let smtpUrl: string | undefined = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl !== undefined) {
    try {
      const parsed = new URL(smtpUrl);
      if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new Error('protocol');
    } catch {
      problems.push('SMTP_URL must be an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.org:465.');
      smtpUrl = undefined;
    }
  } else if (environment === 'production') {
    problems.push('SMTP_URL must be set in production: without it, mail is written to files and nobody receives it.');
  }
  const mailFrom = env.MAIL_FROM?.trim() || 'Frontdoor <no-reply@frontdoor.invalid>';
  const mailDir = path.resolve(cwd, env.MAIL_DIR?.trim() || './var/mail');
  const runJobsRaw = (env.RUN_JOBS ?? (environment === 'test' ? 'false' : 'true')).toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(runJobsRaw)) problems.push(`RUN_JOBS must be true or false (it is "${env.RUN_JOBS}").`);
  const runJobs = ['true', '1', 'yes'].includes(runJobsRaw);
  // Tests sign in many times a minute from one address; everywhere else a person's pace is the limit.
  const formRateLimit = positive('FORM_RATE_LIMIT', environment === 'test' ? 10_000 : 20);

  const reviewIntervalMonths = positive('REVIEW_INTERVAL_MONTHS', 6);
  const searchCacheRaw = env.SEARCH_CACHE_ENTRIES?.trim() || '500';
  const searchCacheEntries = Number(searchCacheRaw);
  if (!/^\d+$/.test(searchCacheRaw)) problems.push(`SEARCH_CACHE_ENTRIES must be a whole number, 0 to turn the cache off (it is "${env.SEARCH_CACHE_ENTRIES}").`);
  const reviewGraceDays = positive('REVIEW_GRACE_DAYS', 56);
  const reportAnswerDays = positive('REPORT_ANSWER_DAYS', 10);

  let secretsKey = env.SECRETS_KEY ?? '';
  if (secretsKey === '') {
    if (environment === 'production') problems.push('SECRETS_KEY must be set in production: at least 32 random characters, the same for every app process, kept apart from database backups.');
    secretsKey = 'frontdoor-development-only-secrets-key-do-not-use';
  } else if (secretsKey.length < 32) {
    problems.push(`SECRETS_KEY must be at least 32 characters long (it has ${secretsKey.length}).`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    environment,
    host,
    port,
    databaseUrl,
    dataDir,
    seedDemoData,
    logLevel,
    publicUrl,
    sessionSecret,
    sessionIdleMinutes,
    sessionAbsoluteHours,
    quickExitUrl,
    contactEmail,
    smtpUrl,
    mailFrom,
    mailDir,
    runJobs,
    formRateLimit,
    reviewIntervalMonths,
    searchCacheEntries: /^\d+$/.test(searchCacheRaw) ? searchCacheEntries : 500,
    reviewGraceDays,
    reportAnswerDays,
    secretsKey,
  };
}
