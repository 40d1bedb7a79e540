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
 * change made through another process arrives by polling: services whose row or organisation's row
 * was written by a transaction that had not finished at the last look are reloaded (see
 * changesSince: by transaction, not by updated_at, which writers stamp before they commit and feeds
 * may set to any date), and a count check catches deletions. Writers in this process call
 * `refreshServices` to make their change searchable at once.
 */
export class SearchSync {
  private index: SearchIndex;
  /** The snapshot of the directory's history when the index last looked at the database (see changesSince). */
  private lastSnapshot: string | null = null;
  /**
   * The stamps of the services loaded (by loadAll), then of those last found written since
   * lastSnapshot. What commits between a poll's snapshot and its scan is found by that poll and
   * again by the next; it is reloaded only once, unless written again.
   */
  private reloadedStamps = new Map<string, string>();
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
    // Read first: whatever commits while loading had not when this was taken, and the next poll looks again.
    const { snapshot } = await repository.changesSince(null);
    let loaded = 0;
    // The database reads the next batch while this process indexes the current one.
    // What was loaded, and by which writes: a later poll need not load it again unless written since.
    const stamps = new Map<string, string>();
    const fetchAfter = async (after: string | null) => {
      const rows = await repository.searchableAfter(after, LOAD_BATCH);
      for (const row of rows) stamps.set(row.id, row.stamp);
      const ids = rows.map((row) => row.id);
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
    this.lastSnapshot = snapshot;
    this.reloadedStamps = stamps;
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
        const { snapshot, changed } = await repository.changesSince(this.lastSnapshot);
        // Nothing written anywhere in the directory: skip the queries below, which scan every
        // service (a few hundred milliseconds at 100,000 on PGlite, in this process's only thread).
        if (!changed && !this.index.needsCompaction()) {
          this.lastSnapshot = snapshot;
          return 0;
        }
        const written = this.lastSnapshot === null ? undefined : await repository.writtenSince(this.lastSnapshot, snapshot);
        if (written === undefined) {
          await this.loadAll();
          return 0;
        }
        const ids = written.filter((row) => this.reloadedStamps.get(row.id) !== row.stamp).map((row) => row.id);
        if (ids.length > 0) await this.refreshServices(ids);
        this.reloadedStamps = new Map(written.map((row) => [row.id, row.stamp]));
        const searchable = await repository.countSearchable();
        if (searchable !== this.index.size || this.index.needsCompaction()) await this.loadAll();
        else this.lastSnapshot = snapshot;
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
