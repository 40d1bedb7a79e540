import type { Kysely } from 'kysely';
import type { Database } from './platform/db/schema.ts';
import type { Clock } from './platform/clock.ts';
import { createDirectoryRepository } from './directory/repository.ts';
import { createDirectoryService } from './directory/service.ts';
import { loadGeoData } from './geography/data.ts';
import { createPostcodeRepository } from './geography/repository.ts';
import { createGeographyService } from './geography/service.ts';
import { createSearchRepository } from './search/repository.ts';
import { createSearchService } from './search/service.ts';
import { SearchSync } from './search/sync.ts';
import { createPublicPagesService } from './public/service.ts';

export interface ServiceSettings {
  /** A listing falls due for review this many months after it was last reviewed. */
  reviewIntervalMonths: number;
}

/** Builds every capability's service from the database: the one place that knows how they fit together. */
export function createServices(deps: { db: Kysely<Database>; clock: Clock; settings?: Partial<ServiceSettings> }) {
  const { db, clock } = deps;
  const settings: ServiceSettings = { reviewIntervalMonths: 6, ...deps.settings };
  const councilAreas = new Map(loadGeoData().councilAreas.map((area) => [area.code, { code: area.code, name: area.name }]));
  const directory = createDirectoryService({
    repository: createDirectoryRepository(db),
    councilArea: (code) => councilAreas.get(code),
  });
  const geography = createGeographyService({ postcodes: createPostcodeRepository(db) });
  const searchSync = new SearchSync({
    repository: createSearchRepository(db, { reviewIntervalMonths: settings.reviewIntervalMonths }),
    clock,
  });
  const search = createSearchService({ db, sync: searchSync, places: geography, clock });
  const pages = createPublicPagesService({ directory, search, geography, clock, siteName: 'Frontdoor' });
  return { directory, geography, search, searchSync, pages, clock };
}

export type Services = ReturnType<typeof createServices>;
