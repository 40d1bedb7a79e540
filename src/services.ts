import type { Kysely } from 'kysely';
import type { Database } from './platform/db/schema.ts';
import type { Clock } from './platform/clock.ts';
import { createDirectoryRepository } from './directory/repository.ts';
import { createDirectoryService } from './directory/service.ts';
import { loadGeoData } from './geography/data.ts';
import { createOpenReferralRepository } from './openreferral/repository.ts';
import { createOpenReferralService } from './openreferral/service.ts';
import { outcodePlaceResolver } from './openreferral/places.ts';

/** Builds every capability's service from the database: the one place that knows how they fit together. */
export function createServices(deps: { db: Kysely<Database>; clock: Clock }) {
  const councilAreas = new Map(loadGeoData().councilAreas.map((area) => [area.code, { code: area.code, name: area.name }]));
  const directory = createDirectoryService({
    repository: createDirectoryRepository(deps.db),
    councilArea: (code) => councilAreas.get(code),
  });
  const openReferral = createOpenReferralService({
    repository: createOpenReferralRepository(deps.db),
    // Until the geography service lands: postcode districts only. Then: places: geography.
    places: outcodePlaceResolver(),
  });
  return { directory, openReferral, clock: deps.clock };
}

export type Services = ReturnType<typeof createServices>;
