import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createPGlite, wrapPGlite } from '../platform/db/engine.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { runCli } from './testing/run-cli.ts';

const runImport = (args: string[], env: Record<string, string>) => runCli('import.ts', args, env);

/** Another directory's service, as its feed would give it. */
function service(id: string, name: string) {
  return {
    id,
    name,
    description: 'Help with shopping and a weekly lunch club.',
    status: 'active',
    organization: { id: 'cli-org-1', name: 'Kirkton Community Council', description: '' },
    phones: [{ id: `${id}-phone`, number: '01592 000000' }],
    attributes: [{ id: `${id}-attr`, taxonomy_term: { id: 'other-77', code: '77', name: 'Lunch clubs', taxonomy: 'Other' } }],
  };
}

test('npm run import explains what it needs', async () => {
  const none = await runImport([], {});
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: npm run import/);
  const batch = await runImport(['dump.ndjson', '--batch', '0'], {});
  assert.equal(batch.code, 2);
  assert.match(batch.stderr, /--batch must be a whole number from 1 to 5000/);
});

describeOnEachEngine('npm run import', (database, engine) => {
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-import-cli-'));
    if (engine === 'postgres') {
      env = { DATABASE_URL: database().url! };
    } else {
      // The command opens the embedded database in DATA_DIR, which the test reads afterwards.
      env = { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
    }
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  test('imports a dump, reports a bad record and an unmapped term, and changes nothing the second time', async () => {
    const dump = path.join(dir, 'services.ndjson');
    const lines = [service('cli-s1', 'Lunch club'), service('cli-s2', 'Shopping help'), { name: 'A service with no id' }];
    await writeFile(dump, lines.map((line) => JSON.stringify(line)).join('\n'));

    const first = await runImport([dump, '--source', 'Kirkton feed'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Import completed: 2 added, 0 updated, 0 unchanged, 0 inactivated, 1 rejected/);
    assert.match(first.stdout, /\(no id\): The service "A service with no id" has no id\./);
    assert.match(first.stdout, /Taxonomy terms with no mapping \(1\):\n {2}.*Lunch clubs.*: 2/);

    const second = await runImport([dump, '--source', 'Kirkton feed'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Import completed: 0 added, 0 updated, 2 unchanged, 0 inactivated, 1 rejected/);

    const handle = engine === 'postgres' ? database() : wrapPGlite(await createPGlite({ dataDir: env.DATA_DIR! }));
    try {
      const rows = await handle.db.selectFrom('import_record').innerJoin('import_source', 'import_source.id', 'import_record.source_id')
        .select(['import_source.name', 'import_record.source_record_id']).where('import_record.kind', '=', 'service').orderBy('source_record_id').execute();
      assert.deepEqual(rows, [{ name: 'Kirkton feed', source_record_id: 'cli-s1' }, { name: 'Kirkton feed', source_record_id: 'cli-s2' }]);
      const runs = await handle.db.selectFrom('import_run').select(['added', 'unchanged', 'rejected']).orderBy('started_at').execute();
      assert.deepEqual(runs.map((run) => [run.added, run.unchanged, run.rejected]), [[2, 0, 1], [0, 2, 1]]);
    } finally {
      if (engine === 'pglite') await handle.close();
    }
  });
});
