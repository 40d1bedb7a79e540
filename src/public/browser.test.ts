import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, describeViolations, launchBrowser } from '../platform/testing/browser.ts';
import {
  newLocalContext,
  pageWeight,
  startFrontdoor,
  startPartnerSite,
  type LocalContext,
  type PartnerSite,
  type RunningSite,
} from './testing/browser.ts';
import { insertPublicDirectory } from './testing/fixtures.ts';

// End to end in Debian's chromium: search by postcode, filter, sort, page, open a service, build,
// print and download a shortlist, quick exit, the widget on another site; then all of it again with
// JavaScript off; and axe-core (WCAG 2.2 A and AA) on every kind of public page.

type Ids = Awaited<ReturnType<typeof insertPublicDirectory>>;

let browser: Browser;
let partner: PartnerSite;
let site: RunningSite<Ids>;

before(async () => {
  partner = await startPartnerSite();
  site = await startFrontdoor({ quickExitUrl: `${partner.url}/neutral`, seed: (db) => insertPublicDirectory(db) });
  partner.frontdoorUrl = site.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await partner?.close();
});

async function searchByPostcode(page: Page) {
  await page.goto(`${site.url}/`);
  await page.getByLabel('What are you looking for?').fill('walking');
  await page.getByLabel('Where?').fill('KA12 8BD');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/search\?/);
  assert.equal(await page.locator('h2#results-heading').innerText(), '24 services found');
}

async function filterSortAndPage(page: Page) {
  await page.locator('summary', { hasText: 'Cost and age' }).click();
  await page.getByLabel(/Charges \(\d+\)/).check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/free=false/);
  assert.equal(await page.locator('h2#results-heading').innerText(), '6 services found');
  await page.getByRole('link', { name: 'Name (A to Z)' }).click();
  await page.waitForURL(/sort=name/);
  const names = await page.locator('.frontdoor-result__title a').allInnerTexts();
  assert.deepEqual(names, [...names].sort());
  await page.getByRole('link', { name: /Remove filter: Charges/ }).click();
  await page.waitForURL((url) => !url.search.includes('free='));
  await page.getByRole('link', { name: 'Next' }).click();
  await page.waitForURL(/page=2/);
  assert.equal(await page.locator('.frontdoor-result').count(), 4);
}

async function openService(page: Page) {
  await page.locator('.frontdoor-result__title a').first().click();
  await page.waitForURL(/\/services\//);
  assert.match(await page.locator('h1').innerText(), /Walking group/);
  assert.equal(await page.locator('script[type="application/ld+json"]').count(), 1);
  assert.ok(await page.getByRole('link', { name: /on a map/ }).isVisible());
}

async function buildShortlist(page: Page, javaScript: boolean) {
  await page.goto(`${site.url}/search?q=carers`);
  const addButtons = page.locator('form[data-shortlist-add] button');
  await addButtons.first().click();
  await page.locator('.frontdoor-shortlist-added').first().waitFor();
  if (!javaScript) assert.match(page.url(), /#service-/, 'back at the result that was added');
  await page.goto(`${site.url}/search?q=walking&near=KA12%208BD&sort=name`);
  await page.locator('form[data-shortlist-add] button').first().click();
  await page.locator('.frontdoor-shortlist-added').first().waitFor();
  assert.match(await page.locator('.frontdoor-header__nav').innerText(), /Shortlist \(2\)/);

  await page.getByRole('link', { name: 'Shortlist (2)', exact: true }).click();
  await page.waitForURL(/\/shortlist$/);
  const items = page.locator('.frontdoor-shortlist__item h2');
  assert.deepEqual(await items.allInnerTexts(), ["1. Carers' support and short breaks", '2. Walking group 01']);
  await page.getByLabel('Note for the person').nth(1).fill('Tuesday mornings; ask for Morag');
  await page.getByRole('button', { name: /Move up.*Walking group 01/ }).click();
  await page.waitForURL(/#item-/);
  assert.deepEqual(await items.allInnerTexts(), ['1. Walking group 01', "2. Carers' support and short breaks"]);
  assert.equal(await page.getByLabel('Note for the person').first().inputValue(), 'Tuesday mornings; ask for Morag');
  assert.match(await page.locator('#shortlist-short-text').inputValue(), /^1\. Walking group 01 - Tel 01294 555 101 - Tuesday mornings; ask for Morag - http/);

  await page.getByRole('link', { name: 'Print-friendly page' }).click();
  await page.waitForURL(/\/shortlist\/print$/);
  assert.match(await page.locator('main').innerText(), /Note: Tuesday mornings; ask for Morag/);
  assert.equal(await page.getByRole('button', { name: 'Print this page' }).isVisible(), javaScript, 'the print button needs JavaScript');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.frontdoor-quick-exit').isVisible(), false, 'the quick exit is not printed');
  assert.equal(await page.locator('.frontdoor-header').isVisible(), false);
  await page.emulateMedia({ media: 'screen' });

  await page.goto(`${site.url}/shortlist`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as a PDF' }).click()]);
  assert.equal(download.suggestedFilename(), 'shortlist.pdf');
  const pdf = await readFile((await download.path())!);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
}

async function quickExitByButton(page: Page) {
  await page.goto(`${site.url}/`);
  await page.goto(`${site.url}/shortlist`);
  assert.match(await page.locator('main').innerText(), /Walking group 01/);
  await page.getByRole('link', { name: 'Exit this page' }).click();
  await page.waitForURL(`${partner.url}/neutral`);
  assert.equal(await page.locator('h1').innerText(), 'Weather forecast');
  await page.goBack();
  // With JavaScript the shortlist page was replaced in the history, so Back goes to the page before
  // it; without, Back returns to the shortlist page, which is never cached and is now empty.
  await page.goto(`${site.url}/shortlist`);
  assert.match(await page.locator('main').innerText(), /Your shortlist is empty/);
}

describe('public pages in a browser, JavaScript on', () => {
  let local: LocalContext;
  let page: Page;
  before(async () => {
    local = await newLocalContext(browser);
    page = await local.context.newPage();
  });
  after(async () => {
    await local.context.close();
    assert.deepEqual(local.blocked, [], 'chromium tried to reach no other host');
    assert.deepEqual(local.cspViolations, [], 'no content security policy violations');
  });

  test('search by postcode, filter, sort, page, open a service', async () => {
    await searchByPostcode(page);
    await filterSortAndPage(page);
    await openService(page);
  });

  test('build a shortlist, reorder and annotate it, print it and download it', async () => {
    await buildShortlist(page, true);
  });

  test('quick exit by the button replaces the page in the history and ends the shortlist', async () => {
    await quickExitByButton(page);
    await page.goto(`${site.url}/`);
    await page.goto(`${site.url}/cookies`);
    await page.getByRole('link', { name: 'Exit this page' }).click();
    await page.waitForURL(`${partner.url}/neutral`);
    await page.goBack();
    await page.waitForURL(`${site.url}/`);
    assert.equal(new URL(page.url()).pathname, '/', 'Back skips the page the exit was used on');
  });

  test('quick exit by pressing Escape 3 times', async () => {
    await page.goto(`${site.url}/search?q=carers`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    assert.match(page.url(), /\/search/);
    await page.keyboard.press('Escape');
    await page.waitForURL(`${partner.url}/neutral`);
  });

  test('the widget on a partner site, as a frame and from the script', async () => {
    await page.goto(`${partner.url}/partner-iframe`);
    const frame = page.frameLocator('iframe');
    await frame.getByLabel('Where').fill('Irvine');
    await frame.getByRole('button', { name: 'Search' }).click();
    await frame.locator('#results-heading').waitFor();
    assert.match(await frame.locator('#results-heading').innerText(), /\d+ services found/);
    assert.match(await frame.locator('.frontdoor-result__title a').first().innerText(), /Walking group/);

    await page.goto(`${partner.url}/partner-script`);
    const made = page.locator('iframe');
    await made.waitFor();
    assert.equal(await made.getAttribute('title'), 'Walks in North Ayrshire');
    await page.frameLocator('iframe').getByRole('heading', { name: 'Walks in North Ayrshire' }).waitFor();
    // The widget reports its height and the frame fits it.
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as { document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } };
      return document.querySelector('iframe')?.getAttribute('height') !== '640';
    });

    await page.goto(`${partner.url}/partner-frames-service`);
    const refused = () => local.cspViolations.some((message) => /frame-ancestors 'none'/.test(message));
    for (let waited = 0; !refused() && waited < 5_000; waited += 100) await page.waitForTimeout(100);
    assert.ok(refused(), 'chromium refused to frame the home page because of frame-ancestors');
    const framed = page.frames().find((candidate) => candidate !== page.mainFrame());
    assert.equal(await framed?.locator('.frontdoor-header').count().catch(() => 0), 0, 'other pages refuse to be framed');
    local.cspViolations.splice(0);
  });

  test('pages weigh under 100 KB before images, compressed as sent, with nothing cached', async () => {
    for (const path of ['/', '/search?q=walking&near=KA12%208BD', `/services/${site.data.carersServiceId}`, '/widget?category=walking-groups']) {
      const cold = await newLocalContext(browser);
      const weight = await pageWeight(await cold.context.newPage(), `${site.url}${path}`);
      await cold.context.close();
      assert.ok(weight.resources.length >= 4, 'the page, its stylesheet and both scripts were counted');
      assert.ok(weight.bytes < 100_000, `${path}: ${weight.bytes} bytes\n${weight.resources.map((r) => `${r.bytes} ${r.url}`).join('\n')}`);
    }
  });
});

describe('public pages in a browser, JavaScript off', () => {
  let local: LocalContext;
  let page: Page;
  before(async () => {
    local = await newLocalContext(browser, { javaScriptEnabled: false });
    page = await local.context.newPage();
  });
  after(async () => {
    await local.context.close();
    assert.deepEqual(local.blocked, []);
  });

  test('search by postcode, filter, sort, page, open a service', async () => {
    await searchByPostcode(page);
    await filterSortAndPage(page);
    await openService(page);
  });

  test('build a shortlist, reorder and annotate it, print it and download it', async () => {
    await buildShortlist(page, false);
  });

  test('quick exit by the link', async () => {
    await quickExitByButton(page);
  });

  test('the widget frame works without JavaScript', async () => {
    await page.goto(`${partner.url}/partner-iframe`);
    const frame = page.frameLocator('iframe');
    await frame.getByLabel('What').fill('walking');
    await frame.getByRole('button', { name: 'Search' }).click();
    await frame.locator('#results-heading').waitFor();
    assert.match(await frame.locator('#results-heading').innerText(), /services found/);
  });
});

describe('accessibility: axe-core, WCAG 2.2 A and AA, on every kind of public page', () => {
  let local: LocalContext;
  let page: Page;
  before(async () => {
    local = await newLocalContext(browser);
    page = await local.context.newPage();
  });
  after(async () => local.context.close());

  const kinds = (): Array<[string, string]> => [
    ['home', '/'],
    ['results', '/search?q=walking&near=KA12%208BD'],
    ['results with filters', '/search?q=walking&near=KA12%208BD&free=true&category=walking-groups&sort=name'],
    ['no results', '/search?q=walking&near=KA12%208BD&radius=1&category=dementia'],
    ['unknown place', '/search?near=Irvinn'],
    ['service', `/services/${site.data.carersServiceId}`],
    ['area-wide service', `/services/${site.data.areaServiceId}?near=KA12%208BD`],
    ['organisation', `/organisations/${site.data.organizationId}`],
    ['location', `/locations/${site.data.centreId}`],
    ['empty shortlist', '/shortlist'],
    ['widget generator', '/widget?category=walking-groups&area=north-ayrshire&title=Walks'],
    ['widget', '/embed?category=walking-groups&area=north-ayrshire&near=Irvine'],
    ['accessibility statement', '/accessibility'],
    ['privacy notice', '/privacy'],
    ['cookies', '/cookies'],
    ['page not found', '/no-such-page'],
  ];

  test('the check is real: it reports a page with a violation', async () => {
    await page.setContent('<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main><img src="data:,"><a href="/x"></a></main></body></html>');
    const ids = (await axeViolations(page)).map((violation) => violation.id).sort();
    assert.deepEqual(ids, ['image-alt', 'link-name']);
  });

  test('no violations on any kind of public page, on a phone and a desktop', async () => {
    const failures: string[] = [];
    // Every kind on a desktop; the busiest kinds again at a phone's width, where the layout changes.
    const phoneKinds = new Set(['home', 'results', 'widget']);
    for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
      await page.setViewportSize(viewport);
      for (const [name, path] of kinds().filter(([kind]) => viewport.width > 400 || phoneKinds.has(kind))) {
        await page.goto(`${site.url}${path}`);
        const violations = await axeViolations(page);
        if (violations.length > 0) failures.push(`${name} (${path}) at ${viewport.width}px:\n${describeViolations(violations)}`);
      }
    }
    // The shortlist with items, and its print view.
    await page.goto(`${site.url}/search?q=carers`);
    await page.locator('form[data-shortlist-add] button').first().click();
    await page.locator('.frontdoor-shortlist-added').first().waitFor();
    for (const path of ['/shortlist', '/shortlist/print']) {
      await page.goto(`${site.url}${path}`);
      const violations = await axeViolations(page);
      if (violations.length > 0) failures.push(`${path}:\n${describeViolations(violations)}`);
    }
    assert.equal(failures.join('\n\n'), '', 'axe found accessibility violations');
  });
});
