import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { DataFolderLockedError, openDatabase } from './platform/db/engine.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { seedDemoDataIfEmpty } from './directory/demo/load.ts';
import { seedListingsDemo } from './listings/demo.ts';

const SHUTDOWN_GRACE_MS = 10_000;
/** How often each process looks for changes made by other processes, for its search index. */
const SEARCH_REFRESH_MS = 5_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`;
  console.error(`Frontdoor: opening ${where}`);
  const database = await openDatabase(config);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) console.error(`Frontdoor: applied migrations ${applied.join(', ')}`);
  if (config.seedDemoData) {
    const seeded = await seedDemoDataIfEmpty(database.db);
    if (seeded) {
      console.error('Frontdoor: loaded the demo directory into the empty database');
      await seedListingsDemo(database.db);
    }
  }

  const { app, readiness, services } = await buildApp({ config, database });
  if (config.runJobs) {
    await services.listings.ensureReviewCycleQueued();
    await services.imports.ensureScheduleQueued();
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // Tell the load balancer first, then finish the requests in flight, then close the database.
    readiness.accepting = false;
    readiness.reason = 'shutting down';
    const forced = setTimeout(() => {
      console.error('Frontdoor: requests did not finish in time; stopping anyway');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    try {
      await app.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      console.error('Frontdoor: error while shutting down', error);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  // The app listens at once and says it is not ready until its search index is filled, which takes
  // seconds for the demo directory and minutes for a million services; a search that arrives meanwhile
  // waits for the load rather than finding nothing.
  readiness.accepting = false;
  readiness.reason = 'loading the search index';
  const indexLoaded = services.searchSync.refresh().then(
    () => {
      readiness.accepting = !stopping;
      readiness.reason = undefined;
      services.searchSync.start(SEARCH_REFRESH_MS, (error) => app.log.error({ err: error }, 'search index refresh failed'));
    },
    (error: unknown) => app.log.error({ err: error }, 'search index load failed'),
  );
  void indexLoaded;

  const address = await app.listen({ port: config.port, host: config.host });
  const shown = address.replace('://127.0.0.1', '://localhost').replace('://[::1]', '://localhost');
  console.error(`Frontdoor is running at ${shown}  (API docs: ${shown}/api/docs)`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataFolderLockedError) {
    console.error(error.message);
  } else {
    console.error('Frontdoor could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
