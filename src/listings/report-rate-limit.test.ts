import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { insertSmallDirectory } from '../directory/testing/fixtures.ts';

describeOnEachEngine('listings: problem reports are rate limited per address', (database) => {
  const LIMIT = 3;
  let built: App;
  let serviceId: string;
  before(async () => {
    serviceId = (await insertSmallDirectory(database().db)).helplineId;
    built = await buildTestApp(database(), { config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', FORM_RATE_LIMIT: String(LIMIT) }), mailTransport: memoryTransport() });
  });
  after(async () => built.app.close());

  const report = (remoteAddress: string, details: string) =>
    built.app.inject({
      method: 'POST',
      url: `/services/${serviceId}/report`,
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', accept: 'text/html' },
      payload: new URLSearchParams({ kind: 'wrong_details', details }).toString(),
    });

  test(`a ${LIMIT + 1}th report from one address within a minute is refused with a clear message and not kept; another reporter is unaffected`, async () => {
    for (let n = 1; n <= LIMIT; n += 1) assert.equal((await report('203.0.113.7', `flood ${n}`)).statusCode, 200, `report ${n}`);
    const refused = await report('203.0.113.7', 'flood 4');
    assert.equal(refused.statusCode, 429);
    assert.match(refused.body, /Too many reports have come from your connection in the last minute\. Wait a minute, then send your report again\./);
    assert.doesNotMatch(refused.body, /at [A-Za-z]+ \(|node_modules/, 'no stack trace');
    const json = await built.app.inject({ method: 'POST', url: `/services/${serviceId}/report`, remoteAddress: '203.0.113.7', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, payload: 'kind=other' });
    assert.equal(json.statusCode, 429);
    assert.equal(JSON.parse(json.body).error, 'too_many_reports');

    const neighbour = await report('198.51.100.20', 'The phone number has changed.');
    assert.equal(neighbour.statusCode, 200);
    assert.match(neighbour.body, /Thank you for your report/);
    const kept = await database().db.selectFrom('problem_report').select('details').orderBy('created_at').execute();
    assert.deepEqual(kept.map((r) => r.details).sort(), ['The phone number has changed.', 'flood 1', 'flood 2', 'flood 3']);
  });
});
