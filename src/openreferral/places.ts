// What the ORUK feed needs from geography: a postcode turned into a point and, in Scotland, its
// council area. The geography capability's service provides it (createGeographyService().resolve).

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
