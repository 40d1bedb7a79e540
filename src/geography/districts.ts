import type { CouncilAreaRow, GeoData } from './data.ts';

export type Country = 'SCT' | 'ENG' | 'WLS' | 'NIR';
const UK_COUNTRIES: ReadonlySet<string> = new Set<Country>(['SCT', 'ENG', 'WLS', 'NIR']);

// The outcode file also lists the Crown Dependencies, which are not in the UK and which Frontdoor
// does not cover; they are kept apart only to tell people why their postcode is not found.
const CROWN_DEPENDENCIES: Record<string, string> = { GG: 'Guernsey', JE: 'Jersey', IM: 'the Isle of Man' };

// TD12 (Coldstream, Cornhill-on-Tweed) and TD15 (Berwick-upon-Tweed and the Berwickshire villages
// round it) straddle the border. The file marks both SCT but gives Northumberland as their region,
// which is not a Scottish council area. We count them in the Scottish Borders, as the file's country
// does; a full-postcode import does not change this, because a postcode's area comes from its district.
const SCOTTISH_DISTRICTS_WITH_AN_ENGLISH_REGION: Record<string, string> = {
  TD12: 'Scottish Borders',
  TD15: 'Scottish Borders',
};

/** A postcode district (outward code) with the areas it belongs to. */
export interface District {
  outcode: string;
  /** The main town, sometimes empty in the source file. */
  town: string;
  latitude: number;
  longitude: number;
  country: Country;
  /** Only in Scotland: elsewhere the file's region is a county, which Frontdoor does not use. */
  councilArea: CouncilAreaRow | null;
}

export interface Point {
  latitude: number;
  longitude: number;
}

export interface DistrictIndex {
  find(outcode: string): District | undefined;
  /** The territory's name ('Guernsey') when the district is in a Crown Dependency. */
  crownDependencyOf(outcode: string): string | undefined;
  all(): readonly District[];
  /** The closest district centroid, optionally only among one country's districts. */
  nearest(point: Point, country?: Country): { district: District; distanceKm: number } | undefined;
  /** The mean of the council area's district centroids, a rough middle of the area. */
  councilAreaCentre(code: string): Point | undefined;
}

const KM_PER_DEGREE = 111.195;

// An equirectangular approximation: within the UK it is well under 1% off a great-circle distance,
// which is plenty for choosing the nearest of a few thousand centroids, and much cheaper.
export function approximateDistanceKm(a: Point, b: Point): number {
  const meanLatitude = ((a.latitude + b.latitude) / 2) * (Math.PI / 180);
  const east = (b.longitude - a.longitude) * Math.cos(meanLatitude);
  const north = b.latitude - a.latitude;
  return Math.sqrt(east * east + north * north) * KM_PER_DEGREE;
}

export function buildDistrictIndex(data: GeoData): DistrictIndex {
  const councilAreaByRegionLabel = new Map(data.councilAreas.map((area) => [area.outcodeRegionLabel, area]));
  const councilAreaByName = new Map(data.councilAreas.map((area) => [area.name, area]));

  const districts = new Map<string, District>();
  const crownDependencies = new Map<string, string>();
  for (const row of data.outcodes) {
    const crownDependency = CROWN_DEPENDENCIES[row.country];
    if (crownDependency) {
      crownDependencies.set(row.outcode, crownDependency);
      continue;
    }
    if (!UK_COUNTRIES.has(row.country)) continue;
    const country = row.country as Country;
    let councilArea: CouncilAreaRow | null = null;
    if (country === 'SCT') {
      const borderArea = SCOTTISH_DISTRICTS_WITH_AN_ENGLISH_REGION[row.outcode];
      councilArea = (borderArea ? councilAreaByName.get(borderArea) : councilAreaByRegionLabel.get(row.region)) ?? null;
    }
    districts.set(row.outcode, {
      outcode: row.outcode,
      town: row.town,
      latitude: row.latitude,
      longitude: row.longitude,
      country,
      councilArea,
    });
  }
  const allDistricts = [...districts.values()];

  const councilAreaCentres = new Map<string, Point>();
  for (const area of data.councilAreas) {
    const inArea = allDistricts.filter((district) => district.councilArea?.code === area.code);
    if (inArea.length === 0) continue;
    councilAreaCentres.set(area.code, {
      latitude: inArea.reduce((sum, district) => sum + district.latitude, 0) / inArea.length,
      longitude: inArea.reduce((sum, district) => sum + district.longitude, 0) / inArea.length,
    });
  }

  return {
    find: (outcode) => districts.get(outcode),
    crownDependencyOf: (outcode) => crownDependencies.get(outcode),
    all: () => allDistricts,
    nearest(point, country) {
      let best: District | undefined;
      let bestDistance = Infinity;
      for (const district of allDistricts) {
        if (country && district.country !== country) continue;
        const distanceKm = approximateDistanceKm(point, district);
        if (distanceKm < bestDistance) {
          best = district;
          bestDistance = distanceKm;
        }
      }
      return best ? { district: best, distanceKm: bestDistance } : undefined;
    },
    councilAreaCentre: (code) => councilAreaCentres.get(code),
  };
}
