import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults run the embedded database with demo data on this machine only', () => {
  const config = loadConfig({}, '/srv/frontdoor');
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, '/srv/frontdoor/var/data');
  assert.equal(config.seedDemoData, true);
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
});

test('a PostgreSQL URL switches engines and turns demo data off unless asked for', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://app@db:5432/frontdoor' });
  assert.equal(config.databaseUrl, 'postgres://app@db:5432/frontdoor');
  assert.equal(config.seedDemoData, false);
  assert.equal(loadConfig({ DATABASE_URL: 'postgresql://db/x', SEED_DEMO_DATA: 'true' }).seedDemoData, true);
});

test('every bad setting is reported at once, in words', () => {
  try {
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://db/x', LOG_LEVEL: 'loud', NODE_ENV: 'staging', PUBLIC_URL: 'ftp://x' });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 5);
    assert.match(error.message, /PORT must be a whole number/);
    assert.match(error.message, /DATABASE_URL must start with postgres:\/\//);
    assert.match(error.message, /LOG_LEVEL must be one of/);
    assert.match(error.message, /NODE_ENV must be one of/);
    assert.match(error.message, /PUBLIC_URL must be an http or https URL/);
  }
});

test('a port out of range and an unparseable URL are refused', () => {
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT must be a whole number from 0 to 65535/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'not a url' }), /DATABASE_URL is not a valid URL/);
  assert.throws(() => loadConfig({ SEED_DEMO_DATA: 'perhaps' }), /SEED_DEMO_DATA must be true or false/);
});

test('the quick exit goes to a neutral site, which can be changed, and a contact address is optional', () => {
  assert.equal(loadConfig({}).quickExitUrl, 'https://www.bbc.co.uk/weather');
  assert.equal(loadConfig({ QUICK_EXIT_URL: 'https://www.example.org/' }).quickExitUrl, 'https://www.example.org/');
  assert.throws(() => loadConfig({ QUICK_EXIT_URL: 'javascript:alert(1)' }), /QUICK_EXIT_URL must be an http or https URL/);
  assert.equal(loadConfig({}).contactEmail, undefined);
  assert.equal(loadConfig({ CONTACT_EMAIL: 'help@frontdoor.example.scot' }).contactEmail, 'help@frontdoor.example.scot');
  assert.throws(() => loadConfig({ CONTACT_EMAIL: 'nobody' }), /CONTACT_EMAIL must be an email address/);
});

test('the search cache keeps 500 outcomes unless told otherwise, and 0 turns it off', () => {
  assert.equal(loadConfig({}).searchCacheEntries, 500);
  assert.equal(loadConfig({ SEARCH_CACHE_ENTRIES: '0' }).searchCacheEntries, 0);
  assert.throws(() => loadConfig({ SEARCH_CACHE_ENTRIES: 'lots' }), /SEARCH_CACHE_ENTRIES must be a whole number, 0 to turn the cache off/);
});
