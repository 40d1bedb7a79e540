/**
 * Every benchmark, one after another: `npm run bench` (or `npm run bench -- search crawl seed`).
 * Each also runs on its own (`npm run bench:search`, `npm run bench:crawl`, `npm run bench:export`, `npm run bench:import`, `npm run seed -- --benchmark N`);
 * this only saves remembering them. Not part of the test suite: timings on a shared machine are not
 * pass/fail material.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(import.meta.dirname, '..');
const BENCHMARKS: Record<string, string[]> = {
  search: ['bench/search.ts'],
  crawl: ['bench/openreferral-crawl.ts'],
  export: ['bench/export.ts'],
  import: ['bench/import.ts', '--from', 'package'],
};

const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(BENCHMARKS);
for (const name of chosen) {
  const script = BENCHMARKS[name];
  if (!script) {
    console.error(`Unknown benchmark "${name}": choose from ${Object.keys(BENCHMARKS).join(', ')}.`);
    process.exit(2);
  }
  console.error(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...script], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
