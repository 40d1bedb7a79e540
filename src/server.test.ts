import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

// Runs the real server process: start-up on the embedded database, the folder lock and a graceful stop.

const serverEntry = path.join(import.meta.dirname, 'server.ts');
const children: ChildProcess[] = [];
const folders: string[] = [];

function startServer(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
    env: { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearInterval(check);
        resolve(match[1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(check);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
  // A server that is expected to fail never listens: that rejection is not an error of the test.
  listening.catch(() => undefined);
  return { child, listening, exited, output: () => output };
}

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

test('starts on the embedded database, refuses a second process on the same folder, and stops gracefully', { timeout: 180_000 }, async () => {
  const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'frontdoor-server-')), 'data');
  folders.push(path.dirname(dataDir));

  const first = startServer(dataDir);
  const url = await first.listening;
  // Ready once the search index is loaded: 503 with the reason until then.
  let ready = await fetch(`${url}/readyz`);
  for (let attempt = 0; ready.status !== 200 && attempt < 300; attempt += 1) {
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { reason: string }).reason, /loading the search index/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    ready = await fetch(`${url}/readyz`);
  }
  assert.equal(ready.status, 200);

  const second = startServer(dataDir);
  const secondExit = await second.exited;
  assert.equal(secondExit, 1);
  assert.match(second.output(), /in use by another Frontdoor process/);
  assert.doesNotMatch(second.output(), /\n\s+at /, 'no stack trace');

  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  // The lock is released on a clean stop: the folder opens again, with its migrations already applied.
  const third = startServer(dataDir);
  await third.listening;
  third.child.kill('SIGTERM');
  assert.equal(await third.exited, 0);
});

test('a bad setting stops the start with a message naming it', { timeout: 120_000 }, async () => {
  const server = startServer(path.join(os.tmpdir(), 'unused'), { PORT: 'eighty' });
  assert.equal(await server.exited, 1);
  assert.match(server.output(), /PORT must be a whole number/);
});
