import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResolvedPlace } from '../geography/service.ts';
import { agesInWords, costInWords, coverageInWords, mapLink, openingTimes, telHref, timeInWords, whyListed } from './present.ts';

test('times read the GOV.UK way', () => {
  assert.equal(timeInWords('09:30:00'), '9:30am');
  assert.equal(timeInWords('16:00'), '4pm');
  assert.equal(timeInWords('12:00'), 'midday');
  assert.equal(timeInWords('00:00'), 'midnight');
  assert.equal(timeInWords('12:45'), '12:45pm');
});

test('weekly schedules become a day-by-day list, Monday first; others keep their words', () => {
  const hours = openingTimes([
    { id: '1', freq: 'WEEKLY', byday: 'WE,MO', opens_at: '09:30', closes_at: '16:00' },
    { id: '2', freq: 'WEEKLY', byday: 'MO', opens_at: '18:00', closes_at: '20:00' },
    { id: '3', freq: 'MONTHLY', bymonthday: '1', description: 'First day of every month' },
  ]);
  assert.deepEqual(hours.days, [
    { day: 'Monday', hours: '9:30am to 4pm and 6pm to 8pm' },
    { day: 'Wednesday', hours: '9:30am to 4pm' },
  ]);
  assert.deepEqual(hours.notes, ['First day of every month']);
});

test('ages, costs and phone links', () => {
  assert.equal(agesInWords(16, undefined), '16 and over');
  assert.equal(agesInWords(8, 18), '8 to 18');
  assert.equal(agesInWords(undefined, 25), 'Up to 25');
  assert.equal(agesInWords(0, undefined), undefined);
  assert.deepEqual(costInWords({ free_of_charge: true, cost_options: [{ id: 'c', option: 'Short break contribution', amount: 12.5, currency: 'GBP' }] }), [
    'Free',
    'Short break contribution: £12.50',
  ]);
  assert.deepEqual(costInWords({ free_of_charge: false, cost_options: [] }), ['Ask the service about charges']);
  assert.deepEqual(
    costInWords({
      free_of_charge: false,
      fees_description: '£4.50 for soup and a main course',
      cost_options: [{ id: 'c', option: 'Lunch', amount: 4.5, currency: 'GBP', amount_description: '£4.50 for soup and a main course' }],
    }),
    ['Lunch: £4.50 for soup and a main course'],
    'an amount the description already states is said once',
  );
  assert.equal(telHref('01294 960 000'), 'tel:01294960000');
});

test('map links use coordinates where known, else the address', () => {
  assert.equal(mapLink({ latitude: 55.6116, longitude: -4.6694, addresses: [] }), 'https://www.openstreetmap.org/?mlat=55.61160&mlon=-4.66940#map=17/55.61160/-4.66940');
  assert.match(
    mapLink({ addresses: [{ id: 'a', address_1: '12 Bridgegate', city: 'Irvine', postal_code: 'KA12 8BD', country: 'GB', address_type: 'physical' }] })!,
    /search\?query=12%20Bridgegate%2C%20Irvine%2C%20KA12%208BD$/,
  );
  assert.equal(mapLink({ addresses: [] }), undefined);
});

test('"why you are seeing this" names the area that contains the place, or the nation', () => {
  const place: ResolvedPlace = {
    kind: 'postcode',
    label: 'KA12 8BD',
    latitude: 55.6,
    longitude: -4.6,
    precision: 'postcode',
    approximate: false,
    country: 'SCT',
    councilArea: { code: 'north-ayrshire', name: 'North Ayrshire' },
    partnership: 'North Ayrshire Health and Social Care Partnership',
    healthBoard: 'NHS Ayrshire and Arran',
  };
  const area = { service_areas: [{ id: '1', area_type: 'council_area' as const, name: 'North Ayrshire', area_name: 'North Ayrshire' }] };
  assert.equal(
    whyListed(area, place),
    'You searched near KA12 8BD, which is in North Ayrshire. This service covers all of North Ayrshire, so it is listed for every place there, even where it has no address nearby.',
  );
  const national = { service_areas: [{ id: '2', area_type: 'scotland' as const, name: 'Scotland' }] };
  assert.match(whyListed(national, place)!, /open to anyone in Scotland/);
  const elsewhere = { service_areas: [{ id: '3', area_type: 'council_area' as const, name: 'Fife', area_name: 'Fife' }] };
  assert.equal(whyListed(elsewhere, place), undefined);
  assert.equal(coverageInWords({ service_areas: [...area.service_areas, ...national.service_areas] }), 'Covers all of North Ayrshire; Open to anyone in Scotland');
});
