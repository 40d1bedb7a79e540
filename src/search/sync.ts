import type { Clock } from '../platform/clock.ts';
import { SearchIndex } from './search-index.ts';
import type { SearchRepository } from './repository.ts';

const LOAD_BATCH = 2000;

export interface SearchSyncOptions {
  repository: SearchRepository;
  clock: Clock;
  /** Outcomes of recent distinct searches each index keeps until it changes (0: none). */
  cacheEntries?: number;
  /** Reports progress of the first load (services loaded so far). */
  onProgress?: (loaded: number) => void;
}

/**
 * Keeps the in-memory index in step with the database. Every process holds its own index, so a
 * change made through another process arrives by polling: services (or their organisations) whose
 * updated_at moved since the last look are reloaded, and a count check catches deletions. Writers in
 * this process call `refreshServices` to make their change searchable at once.
 */
export class SearchSync {
  private index: SearchIndex;
  private lastSeenChange: string | null = null;
  /** The directory's change mark when the index last looked at the database (see directoryChangeMark). */
  private lastSeenMark: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private loaded = false;

  constructor(private readonly options: SearchSyncOptions) {
    this.index = new SearchIndex({ cacheEntries: options.cacheEntries });
  }

  get current(): SearchIndex {
    return this.index;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Loads every searchable service into a fresh index, batch by batch, then swaps it in. */
  async loadAll(): Promise<void> {
    const { repository } = this.options;
    const fresh = new SearchIndex({ cacheEntries: this.options.cacheEntries });
    const mark = await repository.directoryChangeMark();
    const startedAt = await repository.latestChange();
    let loaded = 0;
    // The database reads the next batch while this process indexes the current one.
    const fetchAfter = async (after: string | null) => {
      const ids = await repository.searchableIdsAfter(after, LOAD_BATCH);
      return ids.length === 0 ? undefined : { ids, documents: await repository.documents(ids) };
    };
    let pending = fetchAfter(null);
    for (;;) {
      const batch = await pending;
      if (!batch) break;
      pending = fetchAfter(batch.ids[batch.ids.length - 1]!);
      // Awaited on the next turn; this only keeps a failure during indexing from leaving it unhandled.
      pending.catch(() => undefined);
      fresh.upsert(batch.documents);
      loaded += batch.ids.length;
      this.options.onProgress?.(loaded);
    }
    this.index = fresh;
    // Changes made while loading have a later updated_at and are picked up by the next refresh.
    this.lastSeenChange = startedAt;
    this.lastSeenMark = mark;
    this.loaded = true;
  }

  /** Reloads the given services now (after a write in this process). */
  async refreshServices(ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += LOAD_BATCH) {
      const batch = ids.slice(start, start + LOAD_BATCH);
      const documents = await this.options.repository.documents(batch);
      const stillSearchable = new Set(documents.map((document) => document.id));
      this.index.remove(batch.filter((id) => !stillSearchable.has(id)));
      this.index.upsert(documents);
    }
  }

  /**
   * One polling step: reload what changed since the last step; rebuild if rows vanished or the index
   * is fragmented. Resolves to the number of services reloaded one by one (0 when nothing changed).
   */
  async refresh(): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        if (!this.loaded) {
          await this.loadAll();
          return 0;
        }
        const { repository } = this.options;
        // Read first: a write after this moves the mark, so the next poll looks again.
        const mark = await repository.directoryChangeMark();
        // Nothing written anywhere in the directory: skip the queries below, which scan every
        // service (a few hundred milliseconds at 100,000 on PGlite, in this process's only thread).
        if (mark === this.lastSeenMark && !this.index.needsCompaction()) return 0;
        const since = this.lastSeenChange ?? '-infinity';
        const { ids, latest } = await repository.changedSince(since);
        if (ids.length > 0) await this.refreshServices(ids);
        if (latest) this.lastSeenChange = latest;
        const searchable = await repository.countSearchable();
        if (searchable !== this.index.size || this.index.needsCompaction()) await this.loadAll();
        else this.lastSeenMark = mark;
        return ids.length;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Polls every `intervalMs`; errors are reported and the next step tries again. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.stop();
    this.timer = setInterval(() => {
      this.refresh().catch(onError);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
