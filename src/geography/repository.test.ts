import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { loadGeoData } from './data.ts';
import { createPostcodeRepository, type PostcodeRecord } from './repository.ts';

// Distinct, well-formed postcodes: KA1 0AB, KA1 0AD, … (the inward code's letters skip C I K M O V).
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
function syntheticPostcodes(count: number): PostcodeRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const outcode = `KA${1 + Math.floor(index / 4000)}`;
    const within = index % 4000;
    const inward = `${Math.floor(within / 400)}${INWARD_LETTERS[Math.floor(within / 20) % 20]}${INWARD_LETTERS[within % 20]}`;
    return { postcode: `${outcode}${inward}`, outcode, latitude: 55 + index / 1e6, longitude: -4.5 - index / 1e6 };
  });
}

describeOnEachEngine('postcode repository', (database) => {
  test('finds nothing before an import, then the postcode it was given', async () => {
    const postcodes = createPostcodeRepository(database().db);
    assert.equal(await postcodes.find('KA128AA'), undefined);
    const written = await postcodes.upsertMany([{ postcode: 'KA128AA', outcode: 'KA12', latitude: 55.6201, longitude: -4.6612 }]);
    assert.equal(written, 1);
    assert.deepEqual(await postcodes.find('KA128AA'), { postcode: 'KA128AA', outcode: 'KA12', latitude: 55.6201, longitude: -4.6612 });
  });

  test('moves a postcode that is imported again, and keeps the last of a repeated one', async () => {
    const postcodes = createPostcodeRepository(database().db);
    const written = await postcodes.upsertMany([
      { postcode: 'KA128AA', outcode: 'KA12', latitude: 1, longitude: 1 },
      { postcode: 'KA128AA', outcode: 'KA12', latitude: 55.7, longitude: -4.7 },
      { postcode: 'KA128AB', outcode: 'KA12', latitude: 55.71, longitude: -4.71 },
    ]);
    assert.equal(written, 2);
    assert.deepEqual(await postcodes.find('KA128AA'), { postcode: 'KA128AA', outcode: 'KA12', latitude: 55.7, longitude: -4.7 });
  });

  test('writes more rows than fit in one statement', async () => {
    const postcodes = createPostcodeRepository(database().db);
    const before = await postcodes.count();
    const rows = syntheticPostcodes(4_500);
    assert.equal(new Set(rows.map((row) => row.postcode)).size, 4_500);
    assert.equal(await postcodes.upsertMany(rows), 4_500);
    assert.equal(await postcodes.count(), before + 4_500);
    assert.deepEqual(await postcodes.find(rows[4_499]!.postcode), rows[4_499]);
  });

  test('writes nothing for nothing', async () => {
    assert.equal(await createPostcodeRepository(database().db).upsertMany([]), 0);
  });
});

describeOnEachEngine('council areas in the database and the data files', (database) => {
  test('agree, so a resolved council area code can be stored against a location', async () => {
    const rows = await database()
      .db.selectFrom('council_area')
      .select(['code', 'name', 'partnership_name', 'health_board_name'])
      .orderBy('code')
      .execute();
    const fromFiles = loadGeoData()
      .councilAreas.map((area) => ({
        code: area.code,
        name: area.name,
        partnership_name: area.partnershipName,
        health_board_name: area.healthBoardName,
      }))
      .sort((a, b) => a.code.localeCompare(b.code));
    assert.deepEqual(rows, fromFiles);
  });
});
