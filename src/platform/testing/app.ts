import { buildApp, type App, type AppOptions } from '../../app.ts';
import { loadConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/engine.ts';

/** The real app on a test database, with logging off and nothing listening: drive it with inject(). */
export async function buildTestApp(database: DatabaseHandle, overrides: Partial<AppOptions> = {}): Promise<App> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const built = await buildApp({ config, database, ...overrides });
  await built.app.ready();
  return built;
}
