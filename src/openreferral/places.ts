import { loadGeoData, type GeoData } from '../geography/data.ts';

// What the ORUK feed needs from geography: a postcode turned into a point and, in Scotland, its
// council area. The geography capability's service provides this (createGeographyService().resolve);
// until it is wired in, outcodePlaceResolver answers from the postcode district centroids we ship.

export interface ResolvedPlace {
  latitude: number;
  longitude: number;
  label: string;
  /** The Scottish council area the place is in; absent elsewhere in the UK. */
  councilArea?: { code: string; name: string } | null;
}

export type PlaceResolution =
  | { ok: true; place: ResolvedPlace }
  | { ok: false; error: { code: string; message: string; suggestions?: string[] } };

export interface PlaceResolver {
  resolve(input: string): PlaceResolution | Promise<PlaceResolution>;
}

const FULL_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$/;
const OUTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

/**
 * Resolves a full postcode or a postcode district to its district's centroid. Coarser than the
 * geography service (which also knows full postcodes and place names), but offline and instant.
 */
export function outcodePlaceResolver(geo: GeoData = loadGeoData()): PlaceResolver {
  const outcodes = new Map(geo.outcodes.map((row) => [row.outcode, row]));
  const councilAreas = new Map(geo.councilAreas.map((area) => [area.outcodeRegionLabel.toLowerCase(), area]));
  return {
    resolve(input) {
      const text = input.trim().toUpperCase().replace(/\s+/g, ' ');
      const outcode = FULL_POSTCODE.exec(text)?.[1] ?? (OUTCODE.test(text) ? text : undefined);
      const row = outcode ? outcodes.get(outcode) : undefined;
      if (!row) {
        const prefix = /^[A-Z]{1,2}/.exec(text)?.[0];
        const suggestions = prefix
          ? [...outcodes.keys()].filter((code) => code.startsWith(prefix) && /\d/.test(code.charAt(prefix.length))).slice(0, 5)
          : [];
        return {
          ok: false,
          error: {
            code: outcode ? 'unknown_postcode' : 'not_a_postcode',
            message: outcode
              ? `We do not know the postcode district ${outcode}.`
              : `"${input.trim()}" is not a UK postcode such as KA12 8AA or a district such as KA12.`,
            suggestions,
          },
        };
      }
      const area = row.country === 'SCT' ? councilAreas.get(row.region.toLowerCase()) : undefined;
      return {
        ok: true,
        place: {
          latitude: row.latitude,
          longitude: row.longitude,
          label: `${text} (${row.town})`,
          councilArea: area ? { code: area.code, name: area.name } : null,
        },
      };
    },
  };
}
