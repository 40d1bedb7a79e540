import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const GOVUK_FRONTEND_DIST = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const STYLESHEET_SOURCE = path.join(HERE, 'assets', 'frontdoor.scss');

export interface CompiledStylesheet {
  css: string;
  /** A short content hash, used in the stylesheet's URL so that it can be cached for a year. */
  hash: string;
}

let compiled: Promise<CompiledStylesheet> | undefined;

/**
 * Compiles the stylesheet once per process. Compiling GOV.UK Frontend takes a couple of seconds, so
 * the result is kept in the temporary folder under a hash of its inputs and reused by later processes.
 */
export function frontdoorStylesheet(): Promise<CompiledStylesheet> {
  compiled ??= (async () => {
    const source = readFileSync(STYLESHEET_SOURCE, 'utf8');
    const govukVersion = (JSON.parse(readFileSync(path.join(GOVUK_FRONTEND_DIST, '..', 'package.json'), 'utf8')) as { version: string }).version;
    const inputsHash = createHash('sha256').update(source).update(govukVersion).digest('hex').slice(0, 16);
    const cacheFile = path.join(os.tmpdir(), `frontdoor-css-${inputsHash}.css`);
    let css: string;
    try {
      css = await fs.readFile(cacheFile, 'utf8');
    } catch {
      const sass = await import('sass');
      css = sass.compile(STYLESHEET_SOURCE, {
        loadPaths: [GOVUK_FRONTEND_DIST],
        style: 'compressed',
        quietDeps: true,
        silenceDeprecations: ['import'],
      }).css;
      const partial = `${cacheFile}.${process.pid}.partial`;
      await fs.writeFile(partial, css);
      await fs.rename(partial, cacheFile);
    }
    return { css, hash: createHash('sha256').update(css).digest('hex').slice(0, 12) };
  })();
  return compiled;
}
