#!/usr/bin/env node
// Runs every *.test.ts under src/ (and bench/ and scripts/) with Node's own test runner, through tsx.
// Arguments narrow the run to files whose path contains any of them: `npm run test:files -- geography` (no type check).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const roots = ['src', 'bench', 'scripts'];
const filters = process.argv.slice(2);

function findTests(dir) {
  let found = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found = found.concat(findTests(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const files = roots
  .filter((root) => { try { return statSync(root).isDirectory(); } catch { return false; } })
  .flatMap(findTests)
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}

const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
