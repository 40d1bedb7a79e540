import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createPGlite } from '../platform/db/engine.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { runCli } from './testing/run-cli.ts';
import { insertEveryField } from '../openreferral/testing/every-field.ts';
import { exportFiles } from '../openreferral/testing/round-trip.ts';

const runExport = (args: string[], env: Record<string, string>) => runCli('export.ts', args, env);

test('npm run export explains what it needs', async () => {
  const missing = await runExport(['--format', 'ndjson'], {});
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--out FILE is needed/);
  assert.match(missing.stderr, /Usage: npm run export/);
  const wrong = await runExport(['--format', 'xml', '--out', 'x'], {});
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--format must be ndjson or datapackage/);
});

describeOnEachEngine('npm run export', (database, engine) => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-export-cli-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  test('writes the same files as the downloads, and nothing else is left behind', async () => {
    await insertEveryField(database().db);
    const expected = await exportFiles(database().db);
    const out = path.join(dir, 'out');
    await mkdir(out);
    let env: Record<string, string>;
    if (engine === 'postgres') {
      env = { DATABASE_URL: database().url! };
    } else {
      // The command opens the embedded database in DATA_DIR: a copy of the test database on disk.
      const dataDir = path.join(dir, 'data');
      const copy = await createPGlite({ dataDir, loadDataDir: await database().pglite!.dumpDataDir('none') });
      await copy.close();
      env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    }
    const ndjson = await runExport(['--format', 'ndjson', '--out', path.join(out, 'services.ndjson')], env);
    assert.equal(ndjson.code, 0, ndjson.stderr);
    const lines = expected.ndjson.trimEnd().split('\n').length;
    assert.match(ndjson.stderr, new RegExp(`Wrote .*services\\.ndjson: ${lines} records`));
    assert.equal(await readFile(path.join(out, 'services.ndjson'), 'utf8'), expected.ndjson);
    const zip = await runExport(['--format', 'datapackage', '--out', path.join(out, 'package.zip')], env);
    assert.equal(zip.code, 0, zip.stderr);
    assert.ok((await readFile(path.join(out, 'package.zip'))).equals(expected.zip));
    assert.deepEqual((await readdir(out)).sort(), ['package.zip', 'services.ndjson'], 'no temporary files are left');
  });
});
