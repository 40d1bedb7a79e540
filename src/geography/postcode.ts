// UK postcode syntax, shared by place resolution and the postcode import so that both agree on what
// a postcode is and on the normalised form the postcode table stores ('KA128AA').

export type ParsedPostcode =
  /** A full postcode such as KA12 8AA. `compact` is the table's key, `formatted` is for people. */
  | { kind: 'full'; outcode: string; inward: string; compact: string; formatted: string }
  /** Only the outward code (the postcode district), such as KA12 or G1. */
  | { kind: 'district'; outcode: string }
  /** Has the look of a postcode (it contains a digit) but is not one: '12345', 'KA12 8A'. */
  | { kind: 'malformed' }
  /** No digits at all, so it is a place name to search for, not a postcode. */
  | { kind: 'not_a_postcode' };

const OUTWARD = '[A-Z]{1,2}[0-9][A-Z0-9]?';
// The inward code never uses C, I, K, M, O or V (BS 7666), so 'KA12 8OA' (a letter O typed for a
// zero) is caught here instead of being looked up and reported as an unknown postcode.
const INWARD = '[0-9][ABD-HJLNP-UW-Z]{2}';
const FULL_POSTCODE = new RegExp(`^(${OUTWARD})(${INWARD})$`);
const DISTRICT_ONLY = new RegExp(`^${OUTWARD}$`);

/** Reads a postcode in any case and with any spacing ('ka12 8aa', 'KA128AA', ' KA12  8AA '). */
export function parsePostcode(input: string): ParsedPostcode {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  const full = FULL_POSTCODE.exec(compact);
  if (full) {
    const outcode = full[1]!;
    const inward = full[2]!;
    return { kind: 'full', outcode, inward, compact, formatted: `${outcode} ${inward}` };
  }
  if (DISTRICT_ONLY.test(compact)) return { kind: 'district', outcode: compact };
  // No UK place name contains a digit, so a digit means someone was typing a postcode.
  if (/[0-9]/.test(compact)) return { kind: 'malformed' };
  return { kind: 'not_a_postcode' };
}

// The extremes of the UK's inhabited land: the Isles of Scilly to Unst, County Fermanagh to Lowestoft.
// A point outside is a data error, such as the ONS Postcode Directory's 99.999999 'no grid reference'
// marker, or a Channel Islands postcode.
const UK_BOUNDS = { south: 49.8, north: 61.0, west: -8.7, east: 1.8 } as const;

export function isWithinUk(latitude: number, longitude: number): boolean {
  return (
    latitude >= UK_BOUNDS.south &&
    latitude <= UK_BOUNDS.north &&
    longitude >= UK_BOUNDS.west &&
    longitude <= UK_BOUNDS.east
  );
}
