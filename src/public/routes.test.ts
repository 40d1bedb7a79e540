import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { loadConfig } from '../platform/config.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { insertPublicDirectory } from './testing/fixtures.ts';

type Ids = Awaited<ReturnType<typeof insertPublicDirectory>>;

function cookieFrom(response: { headers: Record<string, unknown> }): string | undefined {
  const header = response.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' ? value.split(';')[0] : undefined;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeOnEachEngine('public pages', (database) => {
  let built: App;
  let ids: Ids;
  before(async () => {
    ids = await insertPublicDirectory(database().db);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', QUICK_EXIT_URL: 'https://neutral.example/weather', PUBLIC_URL: 'https://frontdoor.example.scot' });
    built = await buildTestApp(database(), { config, clock: fixedClock('2026-11-24T10:00:00Z') });
    await built.services.searchSync.loadAll();
  });
  after(async () => built.app.close());

  const get = (url: string, cookie?: string) => built.app.inject({ url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });

  test('every public page answers with Frontdoor’s own header, the quick exit, no GOV.UK branding, and under 100 KB', async () => {
    const pages = [
      '/',
      '/search?q=walking&near=KA12%208BD',
      `/services/${ids.carersServiceId}`,
      `/organisations/${ids.organizationId}`,
      `/locations/${ids.centreId}`,
      '/shortlist',
      '/widget?category=walking-groups',
      '/accessibility',
      '/privacy',
      '/cookies',
    ];
    for (const url of pages) {
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, /class="frontdoor-header"/, url);
      assert.match(response.body, /<a href="\/exit" rel="nofollow noreferrer"[^>]*data-quick-exit>Exit this page<\/a>/, url);
      assert.doesNotMatch(response.body, /govuk-header|govuk-logo|GDS Transport/i, url);
      assert.ok(Buffer.byteLength(response.body) < 100_000, `${url} is ${Buffer.byteLength(response.body)} bytes`);
      assert.equal(response.headers['x-frame-options'], 'DENY', url);
      assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/, url);
      assert.equal(response.headers['set-cookie'], undefined, `${url} sets no cookie for an anonymous visitor`);
    }
  });

  test('anonymous pages may be cached briefly; canonical URLs use PUBLIC_URL', async () => {
    const response = await get(`/services/${ids.carersServiceId}`);
    assert.equal(response.headers['cache-control'], 'public, max-age=300');
    assert.match(String(response.headers.vary), /Cookie/);
    assert.match(response.body, new RegExp(`<link rel="canonical" href="https://frontdoor.example.scot/services/${ids.carersServiceId}">`));
    const home = await get('/');
    assert.match(home.body, /<link rel="canonical" href="https:\/\/frontdoor.example.scot\/">/);
  });

  test('search results: counts, facet counts, filters, sort and paging as plain links', async () => {
    const response = await get('/search?q=walking&near=KA12%208BD');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /24 services found/);
    assert.match(response.body, /Walking groups \(24\)/);
    assert.match(response.body, /Free \(18\)/);
    assert.match(response.body, /<meta name="robots" content="noindex">/);
    assert.match(response.body, /href="\/search\?q=walking&amp;near=KA12\+8BD&amp;sort=name"/);
    assert.match(response.body, /href="\/search\?q=walking&amp;near=KA12\+8BD&amp;page=2"/);
    assert.match(response.body, /\d\.\d miles away/);
    const filtered = await get('/search?q=walking&near=KA12%208BD&free=false&sort=name');
    assert.match(filtered.body, /6 services found/);
    assert.match(filtered.body, /Remove filter: <\/span>Charges/);
    const names = [...filtered.body.matchAll(/>(Walking group \d\d)</g)].map((match) => match[1]);
    assert.deepEqual(names, [...names].sort());
    const page2 = await get('/search?q=walking&near=KA12%208BD&page=2');
    assert.equal([...page2.body.matchAll(/class="frontdoor-result"/g)].length, 4);
  });

  test('nothing found: friendly suggestions to widen the radius or remove a filter', async () => {
    const response = await get('/search?q=walking&near=KA12%208BD&radius=1&category=dementia');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /No services match your search/);
    assert.match(response.body, /Search within 25 miles of KA12 8BD/);
    assert.match(response.body, /Remove the filter “Dementia”/);
  });

  test('an unknown place gets an error summary that links to the field, and suggestions', async () => {
    const response = await get('/search?near=Irvinn');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<title>Error: /);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#near"/);
    assert.match(response.body, /Did you mean/);
    assert.match(response.body, /href="\/search\?near=Irvine"/);
    const age = await get('/search?q=walking&age=old');
    assert.equal(age.statusCode, 400);
    assert.match(age.body, /Enter the age as a whole number/);
  });

  test('a service page says what, who, how, contact, where (with a map link), when, cost, languages, accessibility and when it was checked', async () => {
    const response = await get(`/services/${ids.carersServiceId}`);
    const body = response.body;
    for (const expected of [
      "<h1 class=\"govuk-heading-l\">Carers&#39; support and short breaks</h1>",
      'Unpaid carers',
      '16 and over',
      'You can refer yourself',
      'href="tel:01294960000"',
      '12 Bridgegate',
      'https://www.openstreetmap.org/?mlat=55.61160&amp;mlon=-4.66940',
      '9:30am to 4pm',
      'Short break contribution: £12.50',
      'Scottish Gaelic',
      'Step-free access',
      '1 June 2026',
    ]) {
      assert.ok(body.includes(expected), `the service page shows ${expected}`);
    }
    const jsonLd = JSON.parse(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s.exec(body)![1]!);
    assert.equal(jsonLd['@type'], 'Service');
    assert.equal(jsonLd.name, "Carers' support and short breaks");
    assert.equal(jsonLd.provider.name, "Irvine Carers' Centre");
    assert.ok(jsonLd.availableChannel.serviceLocation.some((place: { address?: { postalCode: string } }) => place.address?.postalCode === 'KA12 8BD'));
    assert.deepEqual(jsonLd.hoursAvailable[0].dayOfWeek, ['https://schema.org/Monday', 'https://schema.org/Wednesday']);
  });

  test('an area-wide service found near a place says why it is listed', async () => {
    const response = await get(`/services/${ids.areaServiceId}?near=KA12%208BD`);
    assert.match(response.body, /Why you are seeing this/);
    assert.match(response.body, /which is in North Ayrshire\. This service covers all of North Ayrshire/);
    assert.match(response.body, /temporarily closed/);
    const plain = await get(`/services/${ids.areaServiceId}`);
    assert.doesNotMatch(plain.body, /Why you are seeing this/);
    assert.match(plain.body, /Covers all of North Ayrshire/);
  });

  test('organisation and location pages link to their services', async () => {
    const organisation = await get(`/organisations/${ids.organizationId}`);
    assert.match(organisation.body, /SC012345/);
    assert.match(organisation.body, new RegExp(`href="/services/${ids.carersServiceId}"`));
    assert.match(organisation.body, new RegExp(`href="/locations/${ids.centreId}"`));
    const location = await get(`/locations/${ids.centreId}`);
    assert.match(location.body, /The Carers Hub/);
    assert.match(location.body, /Step-free access/);
    assert.match(location.body, /openstreetmap/);
    assert.match(location.body, new RegExp(`href="/services/${ids.carersServiceId}"`));
  });

  test('an inactive service is hidden until it is revived', async () => {
    await database().db.updateTable('service').set({ status: 'inactive' }).where('id', '=', ids.carersServiceId).execute();
    try {
      const hidden = await get(`/services/${ids.carersServiceId}`);
      assert.equal(hidden.statusCode, 404);
      assert.match(hidden.body, /This service is not listed at the moment/);
    } finally {
      await database().db.updateTable('service').set({ status: 'active' }).where('id', '=', ids.carersServiceId).execute();
    }
    assert.equal((await get(`/services/${ids.carersServiceId}`)).statusCode, 200);
  });

  test('unknown, malformed and unlisted records are friendly 404 pages', async () => {
    for (const url of ['/services/00000000-0000-4000-8000-000000000000', '/services/not-an-id', `/services/${ids.hiddenServiceId}`, `/organisations/${ids.hiddenOrganizationId}`, '/locations/nope']) {
      const response = await get(url);
      assert.equal(response.statusCode, 404, url);
      assert.match(response.body, /Page not found/, url);
      assert.match(response.body, /Exit this page/, url);
    }
  });

  test('a shortlist: add without an account, annotate, reorder, remove; its pages are never cached', async () => {
    const add = await built.app.inject({
      method: 'POST',
      url: '/shortlist/add',
      headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
      payload: form({ service_id: ids.carersServiceId, return_to: '/search?q=carers' }),
    });
    assert.equal(add.statusCode, 303);
    assert.equal(add.headers.location, `/search?q=carers#service-${ids.carersServiceId}`);
    const cookie = cookieFrom(add)!;
    assert.ok(cookie.startsWith('frontdoor_session='));

    const back = await get('/search?q=carers', cookie);
    assert.equal(back.headers['cache-control'], 'private, no-store');
    assert.match(back.body, /Added to your shortlist/);
    assert.match(back.body, /Shortlist \(1\)/);

    const json = await built.app.inject({
      method: 'POST',
      url: '/shortlist/add',
      headers: { ...FORM, cookie, accept: 'application/json', 'sec-fetch-site': 'same-origin' },
      payload: form({ service_id: ids.walkingGroupIds[0]! }),
    });
    assert.deepEqual(json.json(), { count: 2, added: { id: ids.walkingGroupIds[0], name: 'Walking group 01' } });

    const page = await get('/shortlist', cookie);
    assert.equal(page.headers['cache-control'], 'private, no-store');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const noted = await built.app.inject({
      method: 'POST',
      url: '/shortlist/update',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, service_id: ids.walkingGroupIds[0]!, action: 'up', note: 'Ask for Morag' }),
    });
    assert.equal(noted.statusCode, 303);
    const after = await get('/shortlist', cookie);
    assert.ok(after.body.indexOf('Walking group 01') < after.body.indexOf('Carers&#39; support'), 'moved to the top');
    assert.match(after.body, />Ask for Morag<\/textarea>/);

    const text = await get('/shortlist.txt', cookie);
    assert.match(text.headers['content-type'] as string, /text\/plain/);
    assert.match(text.body, /^Services to contact, from Frontdoor \(24 November 2026\)/);
    assert.match(text.body, /1\. Walking group 01\nAyrshire Walking Network\n/);
    assert.match(text.body, /Note: Ask for Morag/);
    assert.match(text.body, new RegExp(`More information: https://frontdoor.example.scot/services/${ids.carersServiceId}`));
    const short = await get('/shortlist.txt?format=short', cookie);
    assert.equal(short.body.split('\n')[0], `1. Walking group 01 - Tel 01294 555 101 - Ask for Morag - https://frontdoor.example.scot/services/${ids.walkingGroupIds[0]}`);

    const pdf = await get('/shortlist.pdf', cookie);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /attachment; filename="shortlist.pdf"/);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.rawPayload.length > 1000);

    const print = await get('/shortlist/print', cookie);
    assert.match(print.body, /Services to contact/);
    assert.match(print.body, /<strong>Note:<\/strong> Ask for Morag/);

    const removed = await built.app.inject({
      method: 'POST',
      url: '/shortlist/update',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: token, service_id: ids.walkingGroupIds[0]!, action: 'remove' }),
    });
    assert.equal(removed.statusCode, 303);
    assert.doesNotMatch((await get('/shortlist', cookie)).body, /Walking group 01/);
  });

  test('shortlist forms refuse other sites: a cross-site add and a post without the token are 403s', async () => {
    const crossSite = await built.app.inject({
      method: 'POST',
      url: '/shortlist/add',
      headers: { ...FORM, 'sec-fetch-site': 'cross-site' },
      payload: form({ service_id: ids.carersServiceId }),
    });
    assert.equal(crossSite.statusCode, 403);
    const otherOrigin = await built.app.inject({
      method: 'POST',
      url: '/shortlist/add',
      headers: { ...FORM, origin: 'https://evil.example' },
      payload: form({ service_id: ids.carersServiceId }),
    });
    assert.equal(otherOrigin.statusCode, 403);
    const add = await built.app.inject({ method: 'POST', url: '/shortlist/add', headers: FORM, payload: form({ service_id: ids.carersServiceId }) });
    const cookie = cookieFrom(add)!;
    const noToken = await built.app.inject({ method: 'POST', url: '/shortlist/clear', headers: { ...FORM, cookie }, payload: form({}) });
    assert.equal(noToken.statusCode, 403);
    const unknown = await built.app.inject({
      method: 'POST',
      url: '/shortlist/add',
      headers: FORM,
      payload: form({ service_id: ids.hiddenServiceId }),
    });
    assert.equal(unknown.statusCode, 404);
    const offsite = await built.app.inject({ method: 'POST', url: '/shortlist/add', headers: FORM, payload: form({ service_id: ids.carersServiceId, return_to: '//evil.example/' }) });
    assert.equal(offsite.headers.location, '/shortlist');
  });

  test('quick exit ends the session and goes to the neutral site without a referrer', async () => {
    const add = await built.app.inject({ method: 'POST', url: '/shortlist/add', headers: FORM, payload: form({ service_id: ids.carersServiceId }) });
    const cookie = cookieFrom(add)!;
    assert.match((await get('/shortlist', cookie)).body, /Carers&#39; support/);
    const exit = await get('/exit', cookie);
    assert.equal(exit.statusCode, 303);
    assert.equal(exit.headers.location, 'https://neutral.example/weather');
    assert.equal(exit.headers['referrer-policy'], 'no-referrer');
    assert.equal(exit.headers['cache-control'], 'no-store');
    assert.match(String(exit.headers['set-cookie']), /frontdoor_session=;.*Expires=Thu, 01 Jan 1970/);
    assert.match((await get('/shortlist', cookie)).body, /Your shortlist is empty/, 'the old cookie no longer finds the shortlist');
  });

  test('the widget may be framed by any site; nothing else may', async () => {
    const embed = await get('/embed?category=walking-groups&area=north-ayrshire&near=Irvine');
    assert.equal(embed.statusCode, 200);
    assert.equal(embed.headers['x-frame-options'], undefined);
    assert.match(String(embed.headers['content-security-policy']), /frame-ancestors \*/);
    assert.match(embed.body, /services found/);
    assert.match(embed.body, /target="_blank" rel="noopener"/);
    assert.match(embed.body, /href="\/exit" target="_top"/);
    assert.doesNotMatch(embed.body, /Carers/, 'limited to the chosen categories');
    const outside = await get('/embed?area=north-ayrshire&near=Edinburgh');
    assert.match(outside.body, /This search covers North Ayrshire only/);
    const script = await get('/embed.js');
    assert.match(script.headers['content-type'] as string, /text\/javascript/);
    assert.equal(script.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.match(script.body, /document\.currentScript/);
  });

  test('the snippet generator writes both snippets for the chosen scope', async () => {
    const response = await get('/widget?category=walking-groups&area=north-ayrshire&title=Walks');
    assert.match(response.body, /&lt;iframe src=&quot;https:\/\/frontdoor.example.scot\/embed\?category=walking-groups&amp;amp;area=north-ayrshire&amp;amp;title=Walks&quot;/);
    assert.match(response.body, /&lt;script src=&quot;https:\/\/frontdoor.example.scot\/embed.js&quot; data-category=&quot;walking-groups&quot; data-area=&quot;north-ayrshire&quot; data-title=&quot;Walks&quot; async&gt;/);
    assert.match(response.body, /<iframe class="frontdoor-widget-preview" src="\/embed\?category=walking-groups&amp;area=north-ayrshire&amp;title=Walks"/);
  });

  test('the cookies page names the only cookie; the privacy notice and accessibility statement exist', async () => {
    const cookies = await get('/cookies');
    assert.match(cookies.body, /frontdoor_session/);
    assert.match(cookies.body, /no analytics/i);
    assert.match((await get('/privacy')).body, /Privacy notice/);
    assert.match((await get('/accessibility')).body, /WCAG\) version 2.2 at level AA/);
  });

  test('sitemap and robots.txt', async () => {
    const sitemap = await get('/sitemap.xml');
    assert.match(sitemap.headers['content-type'] as string, /application\/xml/);
    assert.match(sitemap.body, new RegExp(`<loc>https://frontdoor.example.scot/services/${ids.carersServiceId}</loc>`));
    assert.match(sitemap.body, new RegExp(`<loc>https://frontdoor.example.scot/organisations/${ids.organizationId}</loc>`));
    assert.match(sitemap.body, new RegExp(`<loc>https://frontdoor.example.scot/locations/${ids.centreId}</loc>`));
    assert.doesNotMatch(sitemap.body, new RegExp(ids.hiddenServiceId));
    const robots = await get('/robots.txt');
    assert.match(robots.body, /Disallow: \/shortlist/);
    assert.match(robots.body, /Sitemap: https:\/\/frontdoor.example.scot\/sitemap.xml/);
  });

  test('pages go out compressed to browsers that ask', async () => {
    const response = await built.app.inject({ url: '/search?q=walking', headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.ok(response.rawPayload.length < 15_000);
  });
});
