import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadGeoData } from './data.ts';
import type { PostcodeRecord } from './repository.ts';
import { createGeographyService, type ResolvedPlace, type ResolveError } from './service.ts';

const IMPORTED: PostcodeRecord[] = [
  { postcode: 'KA128AA', outcode: 'KA12', latitude: 55.6201, longitude: -4.6612 },
  // A district the outcode file does not have, as a newer postcode directory might bring.
  { postcode: 'KA998ZZ', outcode: 'KA99', latitude: 55.4586, longitude: -4.6292 },
];

const lookedUp: string[] = [];
const geography = createGeographyService({
  postcodes: {
    async find(postcode) {
      lookedUp.push(postcode);
      return IMPORTED.find((row) => row.postcode === postcode);
    },
  },
});

async function resolved(input: string): Promise<ResolvedPlace> {
  const result = await geography.resolve(input);
  if (!result.ok) assert.fail(`"${input}" did not resolve: ${result.error.code} ${result.error.message}`);
  return result.place;
}

async function refused(input: string): Promise<ResolveError> {
  const result = await geography.resolve(input);
  if (result.ok) assert.fail(`"${input}" resolved to ${result.place.label}, expected an error`);
  return result.error;
}

const NORTH_AYRSHIRE = {
  country: 'SCT',
  councilArea: { code: 'north-ayrshire', name: 'North Ayrshire' },
  partnership: 'North Ayrshire Health and Social Care Partnership',
  healthBoard: 'NHS Ayrshire and Arran',
};

describe('postcodes', () => {
  test('a full postcode in the postcode table resolves to its own point, in any case and spacing', async () => {
    for (const input of ['KA12 8AA', 'ka12 8aa', 'KA128AA', 'KA12  8AA']) {
      assert.deepEqual(await resolved(input), {
        kind: 'postcode',
        label: 'KA12 8AA',
        latitude: 55.6201,
        longitude: -4.6612,
        precision: 'postcode',
        approximate: false,
        ...NORTH_AYRSHIRE,
      });
    }
    assert.ok(lookedUp.length > 0 && lookedUp.every((postcode) => postcode === 'KA128AA'), 'the table is asked in its own form');
  });

  test('a postcode is looked up once and then remembered, found or not', async () => {
    const asked: string[] = [];
    const remembering = createGeographyService({
      postcodes: {
        async find(postcode) {
          asked.push(postcode);
          return IMPORTED.find((row) => row.postcode === postcode);
        },
      },
    });
    for (const input of ['KA12 8AA', 'ka128aa', 'KA12 9ZZ', 'KA12 9ZZ']) assert.equal((await remembering.resolve(input)).ok, true);
    assert.deepEqual(asked, ['KA128AA', 'KA129ZZ']);
  });

  test('a full postcode not in the table falls back to its district, and says so', async () => {
    const place = await resolved('KA12 9ZZ');
    assert.equal(place.kind, 'postcode');
    assert.equal(place.label, 'KA12 9ZZ');
    assert.equal(place.precision, 'district');
    assert.equal(place.approximate, true);
    assert.deepEqual([place.latitude, place.longitude], [55.61923, -4.66337], 'the KA12 centroid');
    assert.equal(place.councilArea?.code, 'north-ayrshire');
  });

  test('an imported postcode in a district the outcode file lacks takes the nearest district’s areas', async () => {
    const place = await resolved('KA99 8ZZ');
    assert.equal(place.precision, 'postcode');
    assert.equal(place.councilArea?.name, 'South Ayrshire');
  });

  test('a district resolves to its centroid, labelled with its town', async () => {
    assert.deepEqual(await resolved('ka12'), {
      kind: 'district',
      label: 'KA12 (Irvine)',
      latitude: 55.61923,
      longitude: -4.66337,
      precision: 'district',
      approximate: false,
      ...NORTH_AYRSHIRE,
    });
    assert.equal((await resolved('HS2')).label, 'HS2', 'no town in the file: the district alone');
  });

  test('outside Scotland there is a country but no council area, partnership or health board', async () => {
    const place = await resolved('SW1A');
    assert.equal(place.country, 'ENG');
    assert.equal(place.councilArea, null);
    assert.equal(place.partnership, null);
    assert.equal(place.healthBoard, null);
  });

  test('the border districts TD12 and TD15 count as the Scottish Borders', async () => {
    for (const outcode of ['TD12', 'TD15']) {
      const place = await resolved(outcode);
      assert.equal(place.country, 'SCT');
      assert.equal(place.councilArea?.name, 'Scottish Borders');
      assert.equal(place.healthBoard, 'NHS Borders');
    }
  });

  test('every Scottish district belongs to a council area', async () => {
    const scottish = loadGeoData().outcodes.filter((row) => row.country === 'SCT');
    assert.equal(scottish.length, 441);
    for (const { outcode } of scottish) {
      const place = await resolved(outcode);
      assert.ok(place.councilArea && place.partnership && place.healthBoard, outcode);
    }
  });

  test('a well-formed postcode in an unknown district is refused with districts spelt like it', async () => {
    const error = await refused('KA0 1AA');
    assert.equal(error.code, 'unknown_postcode');
    assert.ok(error.suggestions.includes('KA1'), error.suggestions.join());
    assert.match(error.message, /KA0.*Did you mean KA1/);
    assert.equal((await refused('KA99 1AA')).code, 'unknown_postcode', 'not imported, district unknown');
  });

  test('a Crown Dependency postcode is explained, not suggested away', async () => {
    const error = await refused('GY1 1AA');
    assert.equal(error.code, 'unknown_postcode');
    assert.match(error.message, /Guernsey/);
    assert.deepEqual(error.suggestions, []);
  });

  test('malformed input is refused with a message saying what a postcode looks like', async () => {
    for (const input of ['KA12 8A', '12345', 'KA12 8AAA', 'KA12 8OA']) {
      const error = await refused(input);
      assert.equal(error.code, 'malformed_postcode', input);
      assert.match(error.message, /KA12 8AA/);
    }
  });
});

describe('places', () => {
  test('towns and villages resolve, ignoring case, spacing and accents', async () => {
    for (const input of ['Irvine', 'irvine ', 'IRVINE']) {
      const place = await resolved(input);
      assert.equal(place.kind, 'place');
      assert.equal(place.label, 'Irvine');
      assert.equal(place.precision, 'place');
      assert.deepEqual(
        { country: place.country, councilArea: place.councilArea, partnership: place.partnership, healthBoard: place.healthBoard },
        NORTH_AYRSHIRE,
      );
    }
    assert.equal((await resolved('Brodick')).councilArea?.name, 'North Ayrshire');
    assert.equal((await resolved('St Andrews')).label, 'Saint Andrews');
    assert.equal((await resolved('fort william')).councilArea?.name, 'Highland');
  });

  test('Gaelic names resolve with or without their accents, shown as written', async () => {
    for (const input of ['Steòrnabhagh', 'steornabhagh', 'STEÒRNABHAGH']) {
      const place = await resolved(input);
      assert.equal(place.label, 'Steòrnabhagh (Stornoway)');
      assert.equal(place.councilArea?.name, 'Na h-Eileanan Siar');
      assert.equal(place.healthBoard, 'NHS Western Isles');
    }
    assert.equal((await resolved('Inbhir Nis')).label, 'Inbhir Nis (Inverness)');
  });

  test('islands and areas resolve through their aliases to their main settlement', async () => {
    const arran = await resolved('Arran');
    assert.equal(arran.kind, 'alias');
    assert.equal(arran.label, 'Arran (Brodick)');
    assert.deepEqual([arran.latitude, arran.longitude], [55.57539, -5.14717]);
    assert.equal(arran.councilArea?.name, 'North Ayrshire');
    assert.equal((await resolved('Isle of Arran')).label, 'Isle of Arran (Brodick)', 'not GeoNames’ island centroid');
    assert.equal((await resolved('skye')).label, 'Skye (Portree)');
    assert.equal((await resolved('Skye')).councilArea?.name, 'Highland');
  });

  test('Harris is Tarbert on Harris, not Tarbert in Kintyre', async () => {
    const harris = await resolved('Harris');
    assert.equal(harris.label, 'Harris (Tarbert)');
    assert.deepEqual([harris.latitude, harris.longitude], [57.8976, -6.8058]);
    assert.equal(harris.councilArea?.name, 'Na h-Eileanan Siar');
  });

  test('a name shared across the UK prefers Scotland, then the most populous', async () => {
    assert.equal((await resolved('Newport')).label, 'Newport (Newport-on-Tay)');
    const blackburn = await resolved('Blackburn');
    assert.equal(blackburn.country, 'SCT', 'a Scottish village of 5,480 before the English town');
    assert.equal((await resolved('Broughton')).country, 'WLS', 'no Scottish one: the most populous');
  });

  test('places elsewhere in the UK resolve, with their Welsh names too', async () => {
    const cardiff = await resolved('Caerdydd');
    assert.equal(cardiff.label, 'Caerdydd (Cardiff)');
    assert.equal(cardiff.country, 'WLS');
    assert.equal(cardiff.councilArea, null);
  });

  test('a place near the border takes the areas of its own side', async () => {
    assert.equal((await resolved('Gretna')).councilArea?.name, 'Dumfries and Galloway');
    const berwick = await resolved('Berwick-upon-Tweed');
    assert.equal(berwick.country, 'ENG');
    assert.equal(berwick.councilArea, null);
  });
});

describe('council areas', () => {
  test('council areas resolve by name, by the outcode file’s spelling and with “Council”', async () => {
    for (const [input, name] of [
      ['North Ayrshire', 'North Ayrshire'],
      ['north ayrshire council', 'North Ayrshire'],
      ['Eilean Siar', 'Na h-Eileanan Siar'],
      ['Na h-Eileanan Siar', 'Na h-Eileanan Siar'],
      ['The Scottish Borders', 'Scottish Borders'],
      ['Borders', 'Scottish Borders'],
      ['Stirling Council', 'Stirling'],
      ['Orkney Islands', 'Orkney Islands'],
    ] as const) {
      const place = await resolved(input);
      assert.equal(place.kind, 'council_area', input);
      assert.equal(place.label, name, input);
      assert.equal(place.precision, 'area');
      assert.equal(place.councilArea?.name, name);
    }
    const northAyrshire = await resolved('North Ayrshire');
    assert.ok(Math.abs(northAyrshire.latitude - 55.7) < 0.2 && Math.abs(northAyrshire.longitude + 4.8) < 0.3);
  });

  test('a city’s short name is the city, and a town named like its council area is the town', async () => {
    for (const [input, councilArea] of [
      ['Edinburgh', 'City of Edinburgh'],
      ['Glasgow', 'Glasgow City'],
      ['Falkirk', 'Falkirk'],
      ['Stirling', 'Stirling'],
    ]) {
      const place = await resolved(input!);
      assert.equal(place.kind, 'place', input);
      assert.equal(place.councilArea?.name, councilArea);
    }
  });

  test('a partnership or health board with one council area resolves to it; one with several lists them', async () => {
    assert.equal((await resolved('NHS Orkney')).label, 'Orkney Islands');
    assert.equal((await resolved('Edinburgh Health and Social Care Partnership')).label, 'City of Edinburgh');
    assert.equal((await resolved('Fife HSCP')).label, 'Fife');
    const error = await refused('NHS Ayrshire and Arran');
    assert.equal(error.code, 'unknown_place');
    assert.deepEqual(error.suggestions, ['East Ayrshire', 'North Ayrshire', 'South Ayrshire']);
    assert.match(error.message, /more than one council area/);
    assert.deepEqual((await refused('Clackmannanshire and Stirling Health and Social Care Partnership')).suggestions, [
      'Clackmannanshire',
      'Stirling',
    ]);
  });

  test('lists the 32 council areas and finds one by code', () => {
    const areas = geography.councilAreas();
    assert.equal(areas.length, 32);
    assert.equal(new Set(areas.map((area) => area.partnership)).size, 31, 'Clackmannanshire and Stirling share one');
    assert.equal(new Set(areas.map((area) => area.healthBoard)).size, 14);
    assert.deepEqual(geography.findCouncilArea('na-h-eileanan-siar'), {
      code: 'na-h-eileanan-siar',
      name: 'Na h-Eileanan Siar',
      partnership: 'Western Isles Health and Social Care Partnership',
      healthBoard: 'NHS Western Isles',
    });
    assert.equal(geography.findCouncilArea('northumberland'), undefined);
  });
});

describe('what cannot be resolved', () => {
  test('empty input asks for something', async () => {
    for (const input of ['', '   ']) {
      const error = await refused(input);
      assert.equal(error.code, 'empty');
      assert.match(error.message, /Enter a postcode/);
    }
  });

  test('misspelt places get close suggestions', async () => {
    for (const input of ['Irvin', 'Irivne', 'irvien']) {
      const error = await refused(input);
      assert.equal(error.code, 'unknown_place');
      assert.equal(error.suggestions[0], 'Irvine', `${input}: ${error.suggestions.join()}`);
      assert.match(error.message, /Did you mean Irvine\b/);
    }
    assert.equal((await refused('Invrness')).suggestions[0], 'Inverness');
    assert.equal((await refused('Kilmarn')).suggestions[0], 'Kilmarnock', 'an unfinished name');
    assert.equal((await refused('Steornabhag')).suggestions[0], 'Stornoway', 'a Gaelic name suggests the place');
    assert.equal((await refused('Arrann')).suggestions[0], 'Arran');
    assert.equal((await refused('North Ayrshre')).suggestions[0], 'North Ayrshire');
  });

  test('unknown places with nothing close say so, and never echo the input', async () => {
    for (const input of ['<script>', 'xqzwv', '!!!', 'x'.repeat(150)]) {
      const error = await refused(input);
      assert.equal(error.code, 'unknown_place', input);
      assert.doesNotMatch(error.message, /[<>]|script|xqzwv/);
    }
  });

  test('suggestions stay fast', async () => {
    // The best of a few rounds, so that a busy test machine does not fail it; typically ~20 ms.
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      for (const input of ['Irvin', 'Kilmarn', 'Abersytwyth', 'Lerwik', 'KA0 1AA']) await geography.resolve(input);
      best = Math.min(best, performance.now() - started);
    }
    assert.ok(best < 250, `${Math.round(best)} ms for five failed lookups`);
  });
});

describe('areaForPoint', () => {
  test('tags a point with the nearest district’s areas', () => {
    assert.deepEqual(geography.areaForPoint(55.6194, -4.65508), { district: 'KA12', ...NORTH_AYRSHIRE });
    assert.equal(geography.areaForPoint(55.9533, -3.1883)?.councilArea?.code, 'city-of-edinburgh');
    assert.deepEqual(geography.areaForPoint(51.5072, -0.1276)?.councilArea, null);
  });

  test('gives nothing for a point outside the UK or not a number', () => {
    assert.equal(geography.areaForPoint(0, 0), null);
    assert.equal(geography.areaForPoint(48.8566, 2.3522), null, 'Paris');
    assert.equal(geography.areaForPoint(Number.NaN, -4), null);
  });
});
