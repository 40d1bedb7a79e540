import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine, TEST_DEMO_DATE } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { FormClient } from '../platform/testing/http.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { createAccount, signIn } from '../accounts/testing/helpers.ts';
import { seedListingsDemo } from './demo.ts';

describeOnEachEngine(
  'listings demo data: a realistic moderator desk on first start',
  (database) => {
    const clock = fixedClock(TEST_DEMO_DATE);
    let built: App;
    before(async () => {
      built = await buildTestApp(database(), { clock, mailTransport: memoryTransport() });
    });
    after(async () => built.app.close());

    test('approved and unapproved organisations, pending edits of services, organisations and places, overdue listings and empty searches; once only', async () => {
      const db = database().db;
      const summary = await seedListingsDemo(db, clock.now());
      assert.ok(summary && summary.approved > 100 && summary.pending >= 10, JSON.stringify(summary));
      assert.equal(await seedListingsDemo(db, clock.now()), null);
      const admin = new FormClient(built.app);
      await signIn(admin, await createAccount(db, 'root@frontdoor.example', { totp: true, roles: [{ role: 'system_admin' }] }), clock);
      const desk = await admin.get('/moderate');
      assert.equal(desk.statusCode, 200);
      assert.match(desk.body, /Edits waiting \(1\d\)/);
      assert.match(desk.body, /\(organisation\), [^:]+: version 2 by staff@demo\.example/, 'an organisation’s details wait too');
      assert.match(desk.body, /\(place\), [^:]+: version 2 by staff@demo\.example/, 'and a place');
      assert.match(desk.body, /Listings overdue for review \(\d+/);
      assert.doesNotMatch(desk.body, /No listings are overdue/);
      assert.match(desk.body, /llama therapy/);
    });
  },
  undefined,
  { demo: true },
);
