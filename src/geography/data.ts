import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

// The offline geography Frontdoor ships (see data/geo/README.md for sources and attributions).
export const GEO_DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'geo');

export interface OutcodeRow {
  outcode: string;
  latitude: number;
  longitude: number;
  town: string;
  /** A council area in Scotland (spelt as outcode_region_label), a county or London elsewhere. */
  region: string;
  country: 'SCT' | 'ENG' | 'WLS' | 'NIR' | string;
}

export interface PlaceRow {
  geonameId: number;
  name: string;
  asciiName: string;
  alternateNames: string[];
  latitude: number;
  longitude: number;
  featureCode: string;
  country: string;
  population: number;
}

export interface CouncilAreaRow {
  /** Stable slug used as the council area's code in the database, e.g. "north-ayrshire". */
  code: string;
  name: string;
  outcodeRegionLabel: string;
  partnershipName: string;
  healthBoardName: string;
}

export interface AliasRow {
  alias: string;
  settlement: string;
  latitude: number;
  longitude: number;
}

export interface GeoData {
  outcodes: OutcodeRow[];
  places: PlaceRow[];
  councilAreas: CouncilAreaRow[];
  aliases: AliasRow[];
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(GEO_DATA_DIR, file), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

let cached: GeoData | undefined;

/** Parsed once per process: about 9,000 rows, a few milliseconds. */
export function loadGeoData(): GeoData {
  if (cached) return cached;
  const outcodes = readCsv('uk-outcodes.csv').map((row) => ({
    outcode: row.postcode!.toUpperCase(),
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    town: row.town ?? '',
    region: row.region ?? '',
    country: row.country ?? '',
  }));
  const places = readCsv('gb-places.csv')
    // The GeoNames extract carries a few places outside the UK (Akrotiri's sovereign base area).
    .filter((row) => ['SCT', 'ENG', 'WLS', 'NIR'].includes(row.country_code ?? ''))
    .map((row) => ({
      geonameId: Number(row.geonameid),
      name: row.name ?? '',
      asciiName: row.ascii_name ?? '',
      alternateNames: (row.alternate_names ?? '').split(';').map((name) => name.trim()).filter(Boolean),
      latitude: Number(row.latitude),
      longitude: Number(row.longitude),
      featureCode: row.feature_code ?? '',
      country: row.country_code ?? '',
      population: Number(row.population || 0),
    }));
  const councilAreas = readCsv('scotland-areas.csv').map((row) => ({
    code: slugify(row.council_area!),
    name: row.council_area!,
    outcodeRegionLabel: row.outcode_region_label!,
    partnershipName: row.integration_authority!,
    healthBoardName: row.health_board!,
  }));
  const aliases = readCsv('scotland-place-aliases.csv').map((row) => ({
    alias: row.alias!,
    settlement: row.settlement!,
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
  }));
  cached = { outcodes, places, councilAreas, aliases };
  return cached;
}
