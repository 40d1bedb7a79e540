import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { frontdoorStylesheet, GOVUK_FRONTEND_DIST } from './assets.ts';

const SRC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PUBLIC_ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a Nunjucks template (a path under src/, e.g. 'directory/views/service.njk') in the site layout. */
    render(template: string, context?: Record<string, unknown>): Promise<FastifyReply>;
  }
  interface FastifyInstance {
    /** Values every page can read (site name, stylesheet URL); capabilities may add to it. */
    viewGlobals: Record<string, unknown>;
  }
  interface FastifyRequest {
    /** Values for this request's pages (the signed-in account, its header links), set by hooks. */
    viewLocals: Record<string, unknown>;
  }
}

/** Filters every template may use; capabilities add theirs here rather than configuring Nunjucks again. */
export const viewFilters: Record<string, (...args: any[]) => unknown> = {
  /** 2026-03-01 → 1 March 2026, the GOV.UK style for dates. */
  longDate: (value: string | Date | null | undefined) => {
    if (!value) return '';
    const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value;
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(date);
  },
};

export interface ViewOptions {
  siteName: string;
  production: boolean;
  /** Keep compiled templates (default: in production). Off, templates are read again on every render, for editing in development. */
  cacheTemplates?: boolean;
  /** Routes that other sites may frame (the embeddable widget); every other page refuses framing. */
  frameablePrefixes?: string[];
}

/**
 * Server-rendered pages: Nunjucks with GOV.UK Frontend's macros, the compiled stylesheet and scripts,
 * and security headers with a strict content security policy (scripts only from us or with the
 * page's nonce).
 */
export const views = fp<ViewOptions>(async (app, options) => {
  const stylesheet = await frontdoorStylesheet();
  const stylesheetUrl = `/assets/frontdoor-${stylesheet.hash}.css`;

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: options.production ? [] : null,
      },
    },
    // The widget route relaxes framing for itself; every other response refuses it.
    frameguard: false,
    hsts: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  const frameable = options.frameablePrefixes ?? [];
  app.addHook('onSend', async (request, reply) => {
    const framingAllowed = frameable.some((prefix) => request.url.startsWith(prefix));
    if (!framingAllowed && !reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
  });

  app.decorate('viewGlobals', { siteName: options.siteName, stylesheetUrl, themeColor: '#00625e' });
  app.decorateRequest('viewLocals', null as unknown as Record<string, unknown>);
  app.addHook('onRequest', async (request) => {
    request.viewLocals = {};
  });

  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [SRC_DIR, GOVUK_FRONTEND_DIST],
    options: {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
      noCache: !(options.cacheTemplates ?? options.production),
      onConfigure: (environment: nunjucks.Environment) => {
        for (const [name, filter] of Object.entries(viewFilters)) environment.addFilter(name, filter);
      },
    },
  });

  app.decorateReply('render', async function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request: FastifyRequest = this.request;
    const html = await this.viewAsync(template, {
      ...app.viewGlobals,
      cspNonce: this.cspNonce?.script,
      currentPath: request.url.split('?')[0],
      ...request.viewLocals,
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });

  app.get(stylesheetUrl, { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/css; charset=utf-8').send(stylesheet.css),
  );
  app.get('/assets/govuk-frontend.min.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').sendFile('govuk/govuk-frontend.min.js', GOVUK_FRONTEND_DIST),
  );
  await app.register(fastifyStatic, {
    root: path.join(GOVUK_FRONTEND_DIST, 'govuk', 'assets', 'images'),
    prefix: '/assets/images/',
    decorateReply: true,
    maxAge: 86_400_000,
  });
  await app.register(fastifyStatic, {
    root: PUBLIC_ASSETS_DIR,
    prefix: '/assets/site/',
    decorateReply: false,
    maxAge: 3_600_000,
  });
});
