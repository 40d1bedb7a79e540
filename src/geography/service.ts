import { distance } from 'fastest-levenshtein';
import { LRUCache } from 'lru-cache';
import { loadGeoData, type CouncilAreaRow, type GeoData } from './data.ts';
import { buildDistrictIndex, type Country, type District, type Point } from './districts.ts';
import { buildPlaceNameIndex, type NameTarget } from './place-names.ts';
import { parsePostcode } from './postcode.ts';
import type { PostcodeRecord, PostcodeRepository } from './repository.ts';

export type { Country } from './districts.ts';

export interface CouncilAreaRef {
  /** The council_area table's key, e.g. 'north-ayrshire'. */
  code: string;
  name: string;
}

export interface CouncilArea extends CouncilAreaRef {
  partnership: string;
  healthBoard: string;
}

/** The areas a point belongs to. Council area, partnership and health board exist only in Scotland. */
export interface Areas {
  country: Country;
  councilArea: CouncilAreaRef | null;
  partnership: string | null;
  healthBoard: string | null;
}

export interface AreasOfPoint extends Areas {
  /** The postcode district whose centroid is nearest, which the areas were taken from. */
  district: string;
}

export interface ResolvedPlace extends Areas {
  /** What the input was read as. */
  kind: 'postcode' | 'district' | 'place' | 'alias' | 'council_area';
  /** For people: 'KA12 8AA', 'KA12 (Irvine)', 'Irvine', 'Steòrnabhagh (Stornoway)', 'Arran (Brodick)', 'North Ayrshire'. */
  label: string;
  latitude: number;
  longitude: number;
  /** How precise the point is: a council area's point is only a rough middle of it. */
  precision: 'postcode' | 'district' | 'place' | 'area';
  /** A full postcode that is not in the postcode table, located at its district's centroid instead. */
  approximate: boolean;
}

export type ResolveErrorCode = 'empty' | 'malformed_postcode' | 'unknown_postcode' | 'unknown_place';

export interface ResolveError {
  code: ResolveErrorCode;
  /** A sentence to show the person; it never repeats their input back, so it is safe to display as is. */
  message: string;
  /** Inputs that would resolve, closest first. */
  suggestions: string[];
}

export type ResolveResult = { ok: true; place: ResolvedPlace } | { ok: false; error: ResolveError };

export interface GeographyDependencies {
  postcodes: Pick<PostcodeRepository, 'find'>;
  /** The reference data; by default the files in data/geo. */
  data?: GeoData;
}

// Every inhabited place in the UK is within about 25 km of a district centroid; a point much farther
// out is at sea or abroad, and tagging it with the nearest district's council area would be wrong.
const MAX_KM_FROM_A_DISTRICT = 50;

// Professionals search near the same few postcodes (their practice, their patch) again and again.
// Postcodes are only ever imported by another process, so a lookup may be ten minutes stale.
const POSTCODE_CACHE_ENTRIES = 10_000;
const POSTCODE_CACHE_MS = 10 * 60_000;

// Longer input is neither a place name nor a postcode, and refusing it early keeps matching cheap.
const MAX_INPUT_LENGTH = 100;

const ENTER_SOMETHING = 'Enter a postcode, or the name of a town, village, island or council area.';

function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function didYouMean(suggestions: string[]): string {
  return suggestions.length > 0 ? ` Did you mean ${orList(suggestions.slice(0, 3))}?` : '';
}

function failure(code: ResolveErrorCode, message: string, suggestions: string[] = []): ResolveResult {
  return { ok: false, error: { code, message, suggestions } };
}

function toCouncilArea(row: CouncilAreaRow): CouncilArea {
  return { code: row.code, name: row.name, partnership: row.partnershipName, healthBoard: row.healthBoardName };
}

/**
 * Turns what someone types into a point and the areas it is in, with no network: postcodes,
 * postcode districts, towns and villages (including Gaelic and Welsh names), island and area
 * aliases, and council areas. The indexes are built once here (a few thousand names), so each
 * lookup is a map read, plus edit distances over similar-length names when it fails.
 */
export function createGeographyService(deps: GeographyDependencies) {
  const data = deps.data ?? loadGeoData();
  const districts = buildDistrictIndex(data);
  const names = buildPlaceNameIndex(data);
  const councilAreaList = data.councilAreas.map(toCouncilArea).sort((a, b) => a.name.localeCompare(b.name, 'en'));
  const councilAreasByCode = new Map(councilAreaList.map((area) => [area.code, area]));
  const postcodeCache = new LRUCache<string, { record: PostcodeRecord | undefined }>({ max: POSTCODE_CACHE_ENTRIES, ttl: POSTCODE_CACHE_MS });
  async function findPostcode(compact: string): Promise<PostcodeRecord | undefined> {
    const cached = postcodeCache.get(compact);
    if (cached) return cached.record;
    const record = await deps.postcodes.find(compact);
    postcodeCache.set(compact, { record });
    return record;
  }

  if (districts.all().length === 0) throw new Error('The outcode file lists no UK postcode districts.');
  const councilAreaCentres = new Map<string, Point>();
  for (const area of data.councilAreas) {
    const centre = districts.councilAreaCentre(area.code);
    // Failing at start-up is better than a council area that can never be located.
    if (!centre) throw new Error(`No postcode district in the outcode file belongs to ${area.name}.`);
    councilAreaCentres.set(area.code, centre);
  }

  function areasOfCouncilArea(row: CouncilAreaRow | null): Omit<Areas, 'country'> {
    return row
      ? { councilArea: { code: row.code, name: row.name }, partnership: row.partnershipName, healthBoard: row.healthBoardName }
      : { councilArea: null, partnership: null, healthBoard: null };
  }

  function areasOfDistrict(district: District): Areas {
    return { country: district.country, ...areasOfCouncilArea(district.councilArea) };
  }

  /**
   * Areas of the nearest district centroid. Restricting to the place's own country stops a Scottish
   * town near the border (Gretna) taking an English district's areas, or Berwick-upon-Tweed a Scottish one.
   */
  function areasNear(point: Point, country?: Country): Areas {
    const nearest = districts.nearest(point, country) ?? districts.nearest(point);
    return areasOfDistrict(nearest!.district);
  }

  function suggestDistricts(outcode: string): string[] {
    const postcodeArea = outcode.replace(/[0-9].*$/, '');
    return districts
      .all()
      .filter((district) => distance(outcode, district.outcode) === 1)
      .sort(
        (a, b) =>
          Number(b.outcode.startsWith(postcodeArea)) - Number(a.outcode.startsWith(postcodeArea)) ||
          Number(b.country === 'SCT') - Number(a.country === 'SCT') ||
          a.outcode.localeCompare(b.outcode, 'en', { numeric: true }),
      )
      .slice(0, 5)
      .map((district) => district.outcode);
  }

  function unknownDistrict(outcode: string): ResolveResult {
    const crownDependency = districts.crownDependencyOf(outcode);
    if (crownDependency) {
      return failure(
        'unknown_postcode',
        `${outcode} is a postcode district in ${crownDependency}, which is outside the UK and not covered by Frontdoor.`,
      );
    }
    const suggestions = suggestDistricts(outcode);
    return failure(
      'unknown_postcode',
      `We could not find the postcode district ${outcode}.${didYouMean(suggestions) || ' Check the postcode, or enter a town instead.'}`,
      suggestions,
    );
  }

  async function resolveFullPostcode(postcode: { outcode: string; compact: string; formatted: string }): Promise<ResolveResult> {
    if (districts.crownDependencyOf(postcode.outcode)) return unknownDistrict(postcode.outcode);
    const district = districts.find(postcode.outcode);
    const record = await findPostcode(postcode.compact);
    if (record) {
      // A postcode imported from a newer directory may be in a district our outcode file lacks.
      const areas = district ? areasOfDistrict(district) : areasNear(record);
      return {
        ok: true,
        place: { kind: 'postcode', label: postcode.formatted, latitude: record.latitude, longitude: record.longitude, precision: 'postcode', approximate: false, ...areas },
      };
    }
    if (!district) return unknownDistrict(postcode.outcode);
    return {
      ok: true,
      place: { kind: 'postcode', label: postcode.formatted, latitude: district.latitude, longitude: district.longitude, precision: 'district', approximate: true, ...areasOfDistrict(district) },
    };
  }

  function resolveDistrict(outcode: string): ResolveResult {
    const district = districts.find(outcode);
    if (!district) return unknownDistrict(outcode);
    return {
      ok: true,
      place: {
        kind: 'district',
        label: district.town ? `${district.outcode} (${district.town})` : district.outcode,
        latitude: district.latitude,
        longitude: district.longitude,
        precision: 'district',
        approximate: false,
        ...areasOfDistrict(district),
      },
    };
  }

  function resolveNamed(target: NameTarget): ResolveResult {
    switch (target.kind) {
      case 'place': {
        const { place, alternateName } = target;
        return {
          ok: true,
          place: {
            kind: 'place',
            label: alternateName ? `${alternateName} (${place.name})` : place.name,
            latitude: place.latitude,
            longitude: place.longitude,
            precision: 'place',
            approximate: false,
            ...areasNear(place, place.country as Country),
          },
        };
      }
      case 'alias': {
        const { alias } = target;
        return {
          ok: true,
          place: {
            kind: 'alias',
            label: `${alias.alias} (${alias.settlement})`,
            latitude: alias.latitude,
            longitude: alias.longitude,
            precision: 'place',
            approximate: false,
            ...areasNear(alias, 'SCT'),
          },
        };
      }
      case 'council_area': {
        const { councilArea } = target;
        const centre = councilAreaCentres.get(councilArea.code)!;
        return {
          ok: true,
          place: {
            kind: 'council_area',
            label: councilArea.name,
            latitude: centre.latitude,
            longitude: centre.longitude,
            precision: 'area',
            approximate: false,
            country: 'SCT',
            ...areasOfCouncilArea(councilArea),
          },
        };
      }
      case 'several_council_areas': {
        const areaNames = target.councilAreas.map((area) => area.name);
        return failure(
          'unknown_place',
          `${target.name} covers more than one council area. Choose ${orList(areaNames)}, or enter a town or postcode.`,
          areaNames,
        );
      }
    }
  }

  async function resolve(input: string): Promise<ResolveResult> {
    const text = input.trim();
    if (text === '') return failure('empty', ENTER_SOMETHING);
    if (text.length > MAX_INPUT_LENGTH) return failure('unknown_place', `That is too long for a place name. ${ENTER_SOMETHING}`);

    const postcode = parsePostcode(text);
    switch (postcode.kind) {
      case 'full':
        return resolveFullPostcode(postcode);
      case 'district':
        return resolveDistrict(postcode.outcode);
      case 'malformed':
        return failure('malformed_postcode', 'Enter a full postcode, like KA12 8AA, or the first part of one, like KA12.');
      case 'not_a_postcode': {
        const target = names.find(text);
        if (target) return resolveNamed(target);
        const suggestions = names.suggest(text);
        return failure(
          'unknown_place',
          `We could not find a place with that name.${didYouMean(suggestions) || ' Check the spelling, or enter a postcode.'}`,
          suggestions,
        );
      }
    }
  }

  return {
    resolve,

    /**
     * The council area, partnership and health board of the nearest postcode district centroid, for
     * tagging a location from its coordinates. Null for a point that is not in the UK. Near a border
     * the nearest centroid can be across it; a location with a postcode is better tagged from that.
     */
    areaForPoint(latitude: number, longitude: number): AreasOfPoint | null {
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
      const nearest = districts.nearest({ latitude, longitude });
      if (!nearest || nearest.distanceKm > MAX_KM_FROM_A_DISTRICT) return null;
      return { district: nearest.district.outcode, ...areasOfDistrict(nearest.district) };
    },

    /** Scotland's 32 council areas, in alphabetical order, with their partnership and health board. */
    councilAreas(): CouncilArea[] {
      return councilAreaList.map((area) => ({ ...area }));
    },

    findCouncilArea(code: string): CouncilArea | undefined {
      const area = councilAreasByCode.get(code);
      return area ? { ...area } : undefined;
    },
  };
}

export type GeographyService = ReturnType<typeof createGeographyService>;
