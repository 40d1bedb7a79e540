import fs from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../platform/clock.ts';
import type { EngineName } from '../platform/db/engine.ts';
import type { AuditLog } from '../platform/audit/log.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { ForbiddenError } from '../platform/auth/plugin.ts';
import { NotFoundError } from '../platform/http/errors.ts';
import { can, type Actor } from '../platform/auth/rules.ts';
import { UUID_PATTERN } from '../platform/ids.ts';
import { createImporter, type ImportOptions, type ImportReport, type ImportSource } from './importer.ts';
import { crawlOpenReferralApi, readDataPackageFeed, readJsonDump, type CrawlOptions, type Feed } from './readers.ts';
import { parseTaxonomyMapping } from './taxonomy.ts';
import type { ImportRepository, SourceValues } from './repository.ts';

// Sources of imported listings: registered by system admins, synced now or on a schedule through
// the job queue, each run's figures kept for the admin pages.

export const SYNC_JOB = 'imports.sync';
export const SCHEDULE_JOB = 'imports.schedule';
/** How often the scheduler looks for sources that are due. */
export const SCHEDULE_TICK_MS = 15 * 60_000;
/** A run still marked running after this long is taken to have died with its process. */
const STALE_RUN_MS = 6 * 60 * 60_000;
const HOUR = 60 * 60_000;

export interface SourceInput {
  name: string;
  kind: string;
  location: string;
  scheduleHours: string;
  defaultOrganisationId: string;
  needsModeration: boolean;
  taxonomyMapping: string;
  enabled: boolean;
}

type FieldErrors = Record<string, string>;

export interface ImportsDeps {
  repository: ImportRepository;
  clock: Clock;
  audit: AuditLog;
  jobs: JobQueue;
  refreshSearch?: (serviceIds: string[]) => Promise<void>;
  /** Crawler settings (tests make timeouts and backoff short). */
  crawl?: CrawlOptions;
  /** Batches written at once (see ImporterDeps.writers and importWriters). */
  writers?: number;
}

/** How many batches an import writes at once on this engine: PGlite has one connection. */
export function importWriters(engine: EngineName): number {
  return engine === 'postgres' ? 2 : 1;
}

function requireAdmin(actor: Actor | null): Actor {
  if (!actor || !can(actor, 'imports.manage')) throw new ForbiddenError();
  return actor;
}

/** A file path is a data package when it is a folder, a zip, or a datapackage.json. */
async function isDataPackage(location: string): Promise<boolean> {
  if (/\.zip$/i.test(location) || path.basename(location).toLowerCase() === 'datapackage.json') return true;
  try {
    return (await fs.stat(location)).isDirectory();
  } catch {
    return false;
  }
}

export async function openFeed(kind: 'api' | 'file', location: string, crawl: CrawlOptions = {}): Promise<Feed> {
  if (kind === 'api') return crawlOpenReferralApi(location, crawl);
  return (await isDataPackage(location)) ? readDataPackageFeed(location) : readJsonDump(location);
}

export function createImportsService(deps: ImportsDeps) {
  const { repository, clock, audit, jobs } = deps;
  const importer = createImporter({ repository, clock, ...(deps.refreshSearch ? { refreshSearch: deps.refreshSearch } : {}), ...(deps.writers ? { writers: deps.writers } : {}) });

  async function validate(input: SourceInput, existingId?: string): Promise<{ errors: FieldErrors; values?: SourceValues }> {
    const errors: FieldErrors = {};
    const name = input.name.trim();
    if (!name) errors.name = 'Enter a name for the source';
    else if (name.length > 100) errors.name = 'The name must be 100 characters or fewer';
    else {
      const clash = await repository.findSourceByName(name);
      if (clash && clash.id !== existingId) errors.name = 'Another source already has this name';
    }
    const kind = input.kind === 'api' || input.kind === 'file' ? input.kind : undefined;
    if (!kind) errors.kind = 'Choose where the listings come from';
    const location = input.location.trim();
    if (kind === 'api') {
      let ok = false;
      try {
        const url = new URL(location);
        ok = url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        ok = false;
      }
      if (!ok) errors.location = 'Enter the API’s base address, like https://example.org/api/v3';
    } else if (kind === 'file' && (!location || !path.isAbsolute(location))) {
      errors.location = 'Enter the full path of the file or data package on the server, starting with /';
    }
    let scheduleHours: number | null = null;
    if (input.scheduleHours.trim()) {
      scheduleHours = Number(input.scheduleHours.trim());
      if (!Number.isInteger(scheduleHours) || scheduleHours < 1 || scheduleHours > 8760) errors.scheduleHours = 'Enter a whole number of hours from 1 to 8760, or leave it empty to sync only when asked';
    }
    let defaultOrganisation: string | null = null;
    if (input.defaultOrganisationId.trim()) {
      defaultOrganisation = input.defaultOrganisationId.trim().toLowerCase();
      if (!new RegExp(UUID_PATTERN).test(defaultOrganisation) || !(await repository.organizationExists(defaultOrganisation))) errors.defaultOrganisationId = 'Choose an organisation from the list';
    }
    try {
      parseTaxonomyMapping(input.taxonomyMapping, new Set((await repository.ourTerms()).map((term) => term.id)));
    } catch (error) {
      errors.taxonomyMapping = (error as Error).message;
    }
    if (Object.keys(errors).length > 0 || !kind) return { errors };
    return {
      errors,
      values: { name, kind, location, schedule_hours: scheduleHours, default_organization_id: defaultOrganisation, needs_moderation: input.needsModeration, taxonomy_mapping: input.taxonomyMapping.trim(), enabled: input.enabled },
    };
  }

  async function loadSource(id: string): Promise<ImportSource> {
    const source = await repository.findSource(id);
    if (!source) throw new NotFoundError('import source', id);
    return source;
  }

  const service = {
    importer,

    async sourcesPage(actor: Actor | null) {
      requireAdmin(actor);
      const [sources, lastRuns] = await Promise.all([repository.listSources(), repository.lastRuns()]);
      const last = new Map(lastRuns.map((run) => [run.source_id, run]));
      return { sources: sources.map((source) => ({ ...source, lastRun: last.get(source.id) ?? null })) };
    },

    async organisations(actor: Actor | null) {
      requireAdmin(actor);
      return repository.organizations();
    },

    async sourcePage(actor: Actor | null, id: string) {
      requireAdmin(actor);
      const source = await loadSource(id);
      const [runs, organisations] = await Promise.all([repository.runsOf(id), repository.organizations()]);
      return { source, runs, organisations };
    },

    async runPage(actor: Actor | null, runId: string) {
      requireAdmin(actor);
      const run = await repository.findRun(runId);
      if (!run) throw new NotFoundError('import run', runId);
      const [source, rejections] = await Promise.all([loadSource(run.source_id), repository.rejectionsOf(runId)]);
      return { run, source, rejections };
    },

    async createSource(actor: Actor | null, input: SourceInput): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
      const admin = requireAdmin(actor);
      const { errors, values } = await validate(input);
      if (!values) return { ok: false, errors };
      const now = clock.now();
      const id = await repository.insertSource(values, values.schedule_hours ? now : null, now);
      await audit.record(admin, { action: 'import.source_added', targetType: 'import_source', targetId: id, summary: `Added import source “${values.name}” (${values.kind} ${values.location})` });
      return { ok: true, id };
    },

    async updateSource(actor: Actor | null, id: string, input: SourceInput): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const admin = requireAdmin(actor);
      const before = await loadSource(id);
      const { errors, values } = await validate(input, id);
      if (!values) return { ok: false, errors };
      const nextRunAt = values.schedule_hours ? (before.schedule_hours === values.schedule_hours && before.next_run_at ? before.next_run_at : clock.now()) : null;
      await repository.updateSource(id, { ...values, next_run_at: nextRunAt }, clock.now());
      await audit.record(admin, { action: 'import.source_changed', targetType: 'import_source', targetId: id, summary: `Changed import source “${values.name}”` });
      return { ok: true };
    },

    /** "Sync now": a job, so that the page answers at once and the run survives the request. */
    async requestSync(actor: Actor | null, id: string): Promise<void> {
      const admin = requireAdmin(actor);
      const source = await loadSource(id);
      await jobs.enqueue(SYNC_JOB, { sourceId: id }, { maxAttempts: 1 });
      await audit.record(admin, { action: 'import.sync_requested', targetType: 'import_source', targetId: id, summary: `Asked for a sync of “${source.name}”` });
    },

    /** Reads the source and imports what it has. Skipped (undefined) while another run of it is going. */
    async syncSource(id: string, options: Pick<ImportOptions, 'onProgress' | 'batchSize'> & { onTotal?: (total: number) => void } = {}): Promise<ImportReport | undefined> {
      const source = await loadSource(id);
      if (await repository.runningRun(id, new Date(clock.now().getTime() - STALE_RUN_MS))) return undefined;
      let feed: Feed;
      try {
        feed = await openFeed(source.kind, source.location, { ...deps.crawl, ...(options.onTotal ? { onTotal: options.onTotal } : {}) });
      } catch (error) {
        // Recorded as a failed run, so that the admin pages say what went wrong.
        feed = { items: (async function* () {})(), faults: () => [`The source could not be opened: ${(error as Error).message}`], isComplete: () => false, total: () => undefined };
      }
      return importer.importServices(source, feed.items, { ...options, isComplete: feed.isComplete, faults: feed.faults });
    },

    /** The scheduler's step: sync every enabled source whose time has come, one after another. */
    async runDueSyncs(): Promise<number> {
      const due = await repository.dueSources(clock.now());
      for (const source of due) {
        await repository.updateSource(source.id, { next_run_at: new Date(clock.now().getTime() + (source.schedule_hours ?? 24) * HOUR) }, clock.now());
        // One source that fails must not keep the others from their turn, nor fail the scheduler's job
        // (a retried job would queue the scheduler twice): each run records its own faults.
        await service.syncSource(source.id).catch(() => undefined);
      }
      return due.length;
    },

    /** Queues the scheduler unless it is already waiting (called at start when jobs run). */
    async ensureScheduleQueued(): Promise<void> {
      if (!(await repository.jobWaiting(SCHEDULE_JOB))) await jobs.enqueue(SCHEDULE_JOB, {}, { maxAttempts: 3 });
    },

    /** The scheduler's next turn, unless one is already queued (a retried turn must not queue a second). */
    async queueNextSchedule(): Promise<void> {
      if (!(await repository.jobWaiting(SCHEDULE_JOB, false))) await jobs.enqueue(SCHEDULE_JOB, {}, { runAt: new Date(clock.now().getTime() + SCHEDULE_TICK_MS), maxAttempts: 3 });
    },

    /** Finds a source by name, or registers one (the command line's `--source NAME`). */
    async sourceForCommandLine(name: string, kind: 'api' | 'file', location: string, taxonomyMapping: string | undefined): Promise<ImportSource> {
      const existing = await repository.findSourceByName(name);
      const now = clock.now();
      if (!existing) {
        const id = await repository.insertSource({ name, kind, location, schedule_hours: null, default_organization_id: null, needs_moderation: false, taxonomy_mapping: taxonomyMapping ?? '', enabled: true }, null, now);
        return loadSource(id);
      }
      if (taxonomyMapping !== undefined || existing.location !== location || existing.kind !== kind) {
        await repository.updateSource(existing.id, { kind, location, ...(taxonomyMapping !== undefined ? { taxonomy_mapping: taxonomyMapping } : {}) }, now);
      }
      return loadSource(existing.id);
    },
  };
  return service;
}

/** Registers the sync and scheduler jobs: the scheduler queues itself again every SCHEDULE_TICK_MS. */
export function scheduleImports(imports: ImportsService, jobs: JobQueue): void {
  jobs.register(SYNC_JOB, async (payload: { sourceId: string }) => {
    await imports.syncSource(payload.sourceId);
  });
  jobs.register(SCHEDULE_JOB, async () => {
    try {
      await imports.runDueSyncs();
    } finally {
      await imports.queueNextSchedule();
    }
  });
}

export type ImportsService = ReturnType<typeof createImportsService>;
