import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../platform/config.ts';
import { viewFilters } from '../platform/views/plugin.ts';
import { HttpError, NotFoundError } from '../platform/http/errors.ts';
import type { ResolvedPlace } from '../geography/service.ts';
import {
  addToShortlist,
  annotateShortlist,
  moveInShortlist,
  readShortlist,
  removeFromShortlist,
  ShortlistFullError,
  SHORTLIST_MAX_ENTRIES,
  SHORTLIST_NOTE_MAX_LENGTH,
  type ShortlistEntry,
} from './shortlist.ts';
import {
  ACCESS_ROUTE_WORDS,
  addressLines,
  agesInWords,
  costInWords,
  coverageInWords,
  DELIVERY_MODE_WORDS,
  locationName,
  mapLink,
  openingTimes,
  telHref,
  whyListed,
} from './present.ts';
import {
  activeFilters,
  filterGroups,
  noResultSuggestions,
  pagination,
  RADIUS_OPTIONS,
  RESULTS_PER_PAGE,
  searchHref,
  sortLinks,
  type SearchState,
} from './search-page.ts';
import { jsonForScript, serviceJsonLd } from './schema-org.ts';
import {
  RecordParams,
  ServicePageQuery,
  ShortlistAddBody,
  ShortlistClearBody,
  ShortlistTextQuery,
  ShortlistUpdateBody,
  UUID_PATTERN,
} from './schemas.ts';
import type { PublicPagesService } from './service.ts';

/** Every public page is open to everyone, signed in or not: the people it serves have no accounts. */
const PUBLIC = { access: 'public' } as const;

declare module 'fastify' {
  interface Session {
    shortlist?: ShortlistEntry[];
    /** The service just added, so the page it was added from can say so next to it. */
    justAdded?: string;
  }
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EMBED_SCRIPT = readFileSync(path.join(HERE, 'assets', 'embed.js'), 'utf8');
const SESSION_COOKIE = 'frontdoor_session';
const WIDGET_RESULTS_PER_PAGE = 10;

/** "covers North Ayrshire" → "Covers North Ayrshire" (Nunjucks' capitalize would lower-case the rest). */
viewFilters.firstUpper = (value: unknown) => {
  const text = String(value ?? '');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** A listing's free text as paragraphs, split at blank lines. */
viewFilters.paragraphs = (value: unknown) =>
  String(value ?? '')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);

export const FOOTER_LINKS = [
  { href: '/accessibility', text: 'Accessibility statement' },
  { href: '/privacy', text: 'Privacy notice' },
  { href: '/cookies', text: 'Cookies' },
  { href: '/widget', text: 'Add Frontdoor to your website' },
  { href: '/api/docs', text: 'Open data API' },
];

/** A path on this site to go back to after a form post; anything else is refused. */
export function safeReturnPath(value: string | undefined, fallback: string): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\r\n]/.test(value)) return fallback;
  return value;
}

/**
 * The public pages: home, search results, service, organisation and location pages, the shortlist
 * and its hand-outs, the quick exit, the embeddable widget, the site's own notices, sitemap and
 * robots.txt. Routes stay thin: they read the request, call the pages service or a pure rule, and
 * render.
 */
export const publicPages: FastifyPluginAsyncTypebox<{ pages: PublicPagesService; config: Config }> = async (app, { pages, config }) => {
  app.viewGlobals.quickExitHref = '/exit';

  const baseUrl = (request: FastifyRequest) => config.publicUrl ?? `${request.protocol}://${request.host}`;
  const shortlistOf = (request: FastifyRequest) => readShortlist(request.session?.shortlist);
  const hasSessionCookie = (request: FastifyRequest) => Boolean(request.cookies?.[SESSION_COOKIE]);

  // Anonymous pages may be cached anywhere for a few minutes; once a visitor has a session (a
  // shortlist, a sign-in) their pages show it, so nothing may keep a copy.
  app.addHook('onSend', async (request, reply) => {
    if (reply.hasHeader('cache-control')) return;
    const personal = hasSessionCookie(request) || reply.hasHeader('set-cookie');
    reply.header('cache-control', personal ? 'private, no-store' : 'public, max-age=300');
    reply.header('vary', 'Cookie');
  });

  /** Renders a public page with the site's header links, footer links and canonical URL. */
  async function page(request: FastifyRequest, reply: FastifyReply, template: string, context: Record<string, unknown>) {
    const shortlist = shortlistOf(request);
    const canonicalPath = context.canonicalPath as string | undefined;
    return reply.render(`public/views/${template}.njk`, {
      headerLinks: [
        { href: '/search', text: 'Search' },
        { href: '/shortlist', text: shortlist.length > 0 ? `Shortlist (${shortlist.length})` : 'Shortlist' },
      ],
      footerLinks: FOOTER_LINKS,
      ...(canonicalPath ? { canonicalUrl: `${baseUrl(request)}${canonicalPath}` } : {}),
      shortlistIds: shortlist.map((entry) => entry.serviceId),
      shortlistCount: shortlist.length,
      justAdded: takeJustAdded(request),
      ...context,
    });
  }

  function takeJustAdded(request: FastifyRequest): string | undefined {
    const added = request.session?.justAdded;
    if (added) delete request.session.justAdded;
    return added;
  }

  /** A CSRF token, only for visitors who already have a session: anonymous pages stay cacheable and cookie-free. */
  function csrfTokenIfSession(request: FastifyRequest, reply: FastifyReply): string | undefined {
    return shortlistOf(request).length > 0 ? reply.generateCsrf() : undefined;
  }

  const requireUuid = (what: string, id: string) => {
    if (!UUID_PATTERN.test(id)) throw new NotFoundError(what);
  };

  // ---------------------------------------------------------------------------------------------
  // Home and search

  app.get('/', { config: PUBLIC }, async (request, reply) => {
    const labels = await pages.taxonomyLabels();
    return page(request, reply, 'home', {
      pageTitle: 'Find health, care and community support',
      metaDescription: 'Search for health, social care and community services near you in Scotland, by postcode or place.',
      canonicalPath: '/',
      categories: labels.categories.filter((term) => term.parentCode === null),
    });
  });

  app.get('/search', { config: PUBLIC }, async (request, reply) => {
    const { state, problems } = await pages.readSearch(request.query as Record<string, unknown>);
    const [outcome, labels] = await Promise.all([pages.runSearch(state, problems), pages.taxonomyLabels()]);
    const context: Record<string, unknown> = {
      state,
      radiusOptions: RADIUS_OPTIONS.map((radius) => ({ value: String(radius), text: `${radius} ${radius === 1 ? 'mile' : 'miles'}`, selected: radius === state.radius })),
      returnTo: request.url,
      csrfToken: csrfTokenIfSession(request, reply),
      hideFromSearch: true,
      clearFiltersHref: searchHref(state, { category: [], client_group: [], access: [], mode: [], day: [], free: '', age: '' }),
    };
    if (outcome.kind === 'results') {
      const { response } = outcome;
      Object.assign(context, {
        response,
        filterGroups: filterGroups(state, response.facets, labels.categories),
        freeFacet: response.facets.free,
        activeFilters: activeFilters(state, response.facets),
        sortLinks: sortLinks(state),
        pagination: pagination(state, response.total),
        suggestions: response.total === 0 ? noResultSuggestions(state, response.facets) : [],
        firstResult: (state.page - 1) * RESULTS_PER_PAGE + 1,
        totalText: response.total.toLocaleString('en-GB'),
        serviceQuery: state.near ? `?near=${encodeURIComponent(state.near)}` : '',
      });
    } else if (outcome.kind === 'unknown_place') {
      context.errorSummary = { titleText: 'There is a problem', errorList: [{ text: outcome.problem.message, href: '#near' }] };
      context.fieldErrors = { near: outcome.problem.message };
      context.placeSuggestions = outcome.problem.suggestions.map((suggestion) => ({ text: suggestion, href: searchHref(state, { near: suggestion }) }));
    } else {
      context.errorSummary = { titleText: 'There is a problem', errorList: outcome.problems.map((problem) => ({ text: problem.message, href: `#${problem.field}` })) };
      context.fieldErrors = Object.fromEntries(outcome.problems.map((problem) => [problem.field, problem.message]));
    }
    const described = [state.q && `“${state.q}”`, state.near && `near ${state.near}`].filter(Boolean).join(' ');
    context.pageTitle = described ? `Services ${described}` : 'Search for services';
    if (outcome.kind !== 'results') reply.code(400);
    return page(request, reply, 'search', context);
  });

  // ---------------------------------------------------------------------------------------------
  // Service, organisation and location pages

  app.get('/services/:id', { config: PUBLIC, schema: { params: RecordParams, querystring: ServicePageQuery } }, async (request, reply) => {
    requireUuid('service', request.params.id);
    const service = await pages.getService(request.params.id);
    if (service.status === 'defunct') throw new HttpError(410, 'gone', 'This service has closed and is no longer listed.');
    // Inactive listings (not confirmed in time, or set aside by their organisation) are hidden until revived.
    if (service.status === 'inactive') throw new HttpError(404, 'not_listed', 'This service is not listed at the moment.');
    let place: ResolvedPlace | undefined;
    if (request.query.near) place = (await pages.resolvePlace(request.query.near)).place;
    const canonicalPath = `/services/${service.id}`;
    const base = baseUrl(request);
    const locations = service.locations.map((location) => ({
      id: location.id,
      name: locationName(location),
      address: location.addresses[0] ? addressLines(location.addresses[0]) : [],
      mapHref: mapLink(location),
      accessibility: location.accessibility.map((term) => term.name),
      phones: location.phones.map((phone) => ({ ...phone, href: telHref(phone.number) })),
      transportation: location.transportation,
    }));
    const ownHours = openingTimes(service.schedules);
    const locationHours = service.locations
      .map((location) => ({ name: locationName(location), hours: openingTimes(location.schedules) }))
      .filter((entry) => entry.hours.days.length > 0 || entry.hours.notes.length > 0);
    const shortlisted = shortlistOf(request).some((entry) => entry.serviceId === service.id);
    return page(request, reply, 'service', {
      pageTitle: service.name,
      metaDescription: service.summary,
      canonicalPath,
      service,
      jsonLd: jsonForScript(serviceJsonLd(service, `${base}${canonicalPath}`, base)),
      whyListed: place ? whyListed(service, place) : undefined,
      coverage: coverageInWords(service),
      ages: agesInWords(service.minimum_age, service.maximum_age),
      accessRoutes: service.access_routes.map((route) => ACCESS_ROUTE_WORDS[route] ?? route),
      deliveryModes: service.delivery_modes.map((mode) => DELIVERY_MODE_WORDS[mode] ?? mode),
      cost: costInWords(service),
      phones: service.phones.map((phone) => ({ ...phone, href: telHref(phone.number) })),
      locations,
      ownHours,
      locationHours,
      shortlisted,
      returnTo: request.url,
      csrfToken: csrfTokenIfSession(request, reply),
    });
  });

  app.get('/organisations/:id', { config: PUBLIC, schema: { params: RecordParams } }, async (request, reply) => {
    requireUuid('organisation', request.params.id);
    const organisation = await pages.getOrganization(request.params.id);
    return page(request, reply, 'organisation', {
      pageTitle: organisation.name,
      metaDescription: organisation.description?.slice(0, 160),
      canonicalPath: `/organisations/${organisation.id}`,
      organisation,
      phones: (organisation.phones ?? []).map((phone) => ({ ...phone, href: telHref(phone.number) })),
      services: organisation.services.filter((service) => service.status === 'active' || service.status === 'temporarily closed'),
    });
  });

  app.get('/locations/:id', { config: PUBLIC, schema: { params: RecordParams } }, async (request, reply) => {
    requireUuid('location', request.params.id);
    const location = await pages.getLocation(request.params.id);
    const organisation = location.organization_id ? await pages.getOrganization(location.organization_id).catch(() => undefined) : undefined;
    return page(request, reply, 'location', {
      pageTitle: locationName(location),
      canonicalPath: `/locations/${location.id}`,
      location,
      organisation,
      address: location.addresses[0] ? addressLines(location.addresses[0]) : [],
      mapHref: mapLink(location),
      hours: openingTimes(location.schedules),
      phones: location.phones.map((phone) => ({ ...phone, href: telHref(phone.number) })),
      services: (location.services ?? []).filter((service) => service.status === 'active' || service.status === 'temporarily closed'),
    });
  });

  // ---------------------------------------------------------------------------------------------
  // The shortlist

  const saveShortlist = (request: FastifyRequest, list: ShortlistEntry[]) => {
    request.session.shortlist = list;
  };

  app.get('/shortlist', { config: PUBLIC }, async (request, reply) => {
    const items = await pages.shortlistItems(shortlistOf(request));
    reply.header('cache-control', 'private, no-store');
    return page(request, reply, 'shortlist', {
      pageTitle: 'Your shortlist',
      items,
      csrfToken: items.length > 0 ? reply.generateCsrf() : undefined,
      noteMaxLength: SHORTLIST_NOTE_MAX_LENGTH,
      sessionIdleMinutes: config.sessionIdleMinutes,
      text: items.length > 0 ? pages.shortlistText(items, baseUrl(request), false) : '',
      shortText: items.length > 0 ? pages.shortlistText(items, baseUrl(request), true) : '',
      hideFromSearch: true,
    });
  });

  // Adding is the one form on pages that anonymous visitors see, and those pages carry no CSRF token
  // so that they stay cacheable and set no cookie. A token is checked when the form has one (the
  // visitor already has a session); otherwise the browser's Sec-Fetch-Site or Origin header must
  // say the post came from this site, which a cross-site form cannot fake.
  app.post('/shortlist/add', {
    config: { ...PUBLIC, csrf: false },
    schema: { body: ShortlistAddBody },
    preHandler: (request, reply, done) => {
      if (request.body._csrf) return app.csrfProtection(request, reply, done);
      if (isSameOrigin(request)) return done();
      done(new HttpError(403, 'csrf_failed', 'This form did not come from this site. Go back, reload the page and try again.'));
    },
  }, async (request, reply) => {
    const { service_id: serviceId } = request.body;
    const service = await pages.serviceExists(serviceId);
    if (!service) throw new NotFoundError('service', serviceId);
    let list = shortlistOf(request);
    try {
      list = addToShortlist(list, serviceId);
    } catch (error) {
      if (error instanceof ShortlistFullError) throw new HttpError(409, 'shortlist_full', error.message);
      throw error;
    }
    saveShortlist(request, list);
    reply.header('cache-control', 'private, no-store');
    if ((request.headers.accept ?? '').includes('application/json')) {
      return reply.send({ count: list.length, added: service });
    }
    request.session.justAdded = serviceId;
    const back = safeReturnPath(request.body.return_to, '/shortlist');
    return reply.redirect(back === '/shortlist' ? back : `${back}#service-${serviceId}`, 303);
  });

  app.post('/shortlist/update', { config: PUBLIC, schema: { body: ShortlistUpdateBody } }, async (request, reply) => {
    const { service_id: serviceId, action, note } = request.body;
    let list = shortlistOf(request);
    // Every button saves the note as well, so moving an item never loses what was typed.
    if (note !== undefined) list = annotateShortlist(list, serviceId, note);
    if (action === 'up' || action === 'down') list = moveInShortlist(list, serviceId, action);
    if (action === 'remove') list = removeFromShortlist(list, serviceId);
    saveShortlist(request, list);
    return reply.redirect(action === 'remove' || list.length === 0 ? '/shortlist' : `/shortlist#item-${serviceId}`, 303);
  });

  app.post('/shortlist/clear', { config: PUBLIC, schema: { body: ShortlistClearBody } }, async (request, reply) => {
    saveShortlist(request, []);
    return reply.redirect('/shortlist', 303);
  });

  app.get('/shortlist/print', { config: PUBLIC }, async (request, reply) => {
    const items = await pages.shortlistItems(shortlistOf(request));
    reply.header('cache-control', 'private, no-store');
    return page(request, reply, 'shortlist-print', {
      pageTitle: 'Services to contact',
      items: items.map((item) => ({ ...item, hours: openingTimes(item.service.schedules), cost: costInWords(item.service) })),
      base: baseUrl(request),
      hideFromSearch: true,
      printView: true,
    });
  });

  app.get('/shortlist.pdf', { config: PUBLIC }, async (request, reply) => {
    const items = await pages.shortlistItems(shortlistOf(request));
    if (items.length === 0) return reply.redirect('/shortlist', 303);
    const pdf = await pages.shortlistPdf(items, baseUrl(request));
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'attachment; filename="shortlist.pdf"')
      .type('application/pdf')
      .send(pdf);
  });

  app.get('/shortlist.txt', { config: PUBLIC, schema: { querystring: ShortlistTextQuery } }, async (request, reply) => {
    const items = await pages.shortlistItems(shortlistOf(request));
    const text = items.length > 0 ? pages.shortlistText(items, baseUrl(request), request.query.format === 'short') : 'Your shortlist is empty.\n';
    return reply.header('cache-control', 'private, no-store').type('text/plain; charset=utf-8').send(text);
  });

  // ---------------------------------------------------------------------------------------------
  // Quick exit. The session (and with it the shortlist) is ended, so a page reached with the back
  // button afterwards shows nothing that was gathered; the browser goes to a neutral site without
  // telling it where it came from.

  app.get('/exit', { config: PUBLIC }, async (request, reply) => {
    if (request.session && hasSessionCookie(request)) await request.session.destroy();
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .redirect(config.quickExitUrl, 303);
  });

  // ---------------------------------------------------------------------------------------------
  // The embeddable widget: /embed may be framed by any site; /embed.js makes the frame; /widget
  // writes the snippet.

  app.get('/embed', { config: PUBLIC }, async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    const scope = await pages.widgetScope(raw);
    const title = typeof raw.title === 'string' && raw.title.trim() ? raw.title.trim().slice(0, 80) : 'Find support near you';
    const { state, problems } = await pages.readSearch({ q: raw.q, near: raw.near, page: raw.page, radius: raw.radius, sort: raw.sort });
    state.category = scope.categories;
    const areaNames = scope.areas.map((code) => pages.areaName(code)!).filter(Boolean);
    const searched = Boolean(state.q || state.near || raw.go);
    let outcome: Awaited<ReturnType<PublicPagesService['runSearch']>> | undefined;
    let outsideArea: string | undefined;
    if (searched) {
      // A widget limited to areas searches the place given, when it is inside them, or else the area itself.
      if (!state.near && areaNames.length === 1) state.near = areaNames[0]!;
      if (state.near && areaNames.length > 0) {
        const { place } = await pages.resolvePlace(state.near);
        if (place && !areaNames.includes(place.councilArea?.name ?? '')) {
          outsideArea = `This search covers ${areaNames.join(', ')} only. Enter a postcode or place there.`;
        }
      }
      if (!outsideArea) outcome = await pages.runSearch(state, problems, WIDGET_RESULTS_PER_PAGE);
    }
    const scopeQuery = new URLSearchParams();
    for (const code of scope.categories) scopeQuery.append('category', code);
    for (const code of scope.areas) scopeQuery.append('area', code);
    if (typeof raw.title === 'string' && raw.title.trim()) scopeQuery.set('title', title);
    const embedState: SearchState = { ...state, category: [] };
    const embedPath = `/embed`;
    const withScope = (href: string) => `${href}${href.includes('?') ? '&' : '?'}${scopeQuery.toString()}`.replace(/[?&]$/, '');
    const response = outcome?.kind === 'results' ? outcome.response : undefined;
    const paging = response ? pagination(embedState, response.total, WIDGET_RESULTS_PER_PAGE, embedPath) : undefined;
    if (paging) {
      if (paging.previous) paging.previous.href = withScope(paging.previous.href);
      if (paging.next) paging.next.href = withScope(paging.next.href);
      for (const item of paging.items) if (item.href) item.href = withScope(item.href);
    }
    const csp = String(reply.getHeader('content-security-policy') ?? '');
    reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
    reply.header('cross-origin-resource-policy', 'cross-origin');
    return reply.render('public/views/embed.njk', {
      pageTitle: title,
      title,
      state,
      scope,
      scopeFields: [...scope.categories.map((code) => ({ name: 'category', value: code })), ...scope.areas.map((code) => ({ name: 'area', value: code })), ...(scopeQuery.has('title') ? [{ name: 'title', value: title }] : [])],
      areaNames,
      searched,
      outsideArea,
      response,
      problem: outcome?.kind === 'unknown_place' ? outcome.problem.message : outcome?.kind === 'invalid' ? outcome.problems[0]?.message : undefined,
      pagination: paging,
      base: baseUrl(request),
      serviceQuery: state.near ? `?near=${encodeURIComponent(state.near)}` : '',
      moreHref: `${baseUrl(request)}${searchHref({ ...state, category: scope.categories })}`,
    });
  });

  app.get('/embed.js', { config: PUBLIC }, async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600')
      .header('cross-origin-resource-policy', 'cross-origin')
      .type('text/javascript; charset=utf-8')
      .send(EMBED_SCRIPT),
  );

  app.get('/widget', { config: PUBLIC }, async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    const scope = await pages.widgetScope(raw);
    const labels = await pages.taxonomyLabels();
    const title = typeof raw.title === 'string' ? raw.title.trim().slice(0, 80) : '';
    const base = baseUrl(request);
    const params = new URLSearchParams();
    for (const code of scope.categories) params.append('category', code);
    for (const code of scope.areas) params.append('area', code);
    if (title) params.set('title', title);
    const query = params.toString();
    const embedUrl = `${base}/embed${query ? `?${query}` : ''}`;
    const frameTitle = title || 'Find support near you';
    const dataAttributes = [
      scope.categories.length ? ` data-category="${scope.categories.join(',')}"` : '',
      scope.areas.length ? ` data-area="${scope.areas.join(',')}"` : '',
      title ? ` data-title="${title.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"` : '',
    ].join('');
    return page(request, reply, 'widget', {
      pageTitle: 'Add Frontdoor to your website',
      canonicalPath: '/widget',
      categoryItems: labels.categories
        .filter((term) => term.parentCode === null)
        .flatMap((parent) => [parent, ...labels.categories.filter((term) => term.parentCode === parent.code)])
        .map((term) => ({ value: term.code, text: term.name, checked: scope.categories.includes(term.code), ...(term.parentCode ? { label: { classes: 'frontdoor-checkbox--child' } } : {}) })),
      areaItems: pages.councilAreas().map((area) => ({ value: area.code, text: area.name, checked: scope.areas.includes(area.code) })),
      title,
      generated: Object.keys(raw).length > 0,
      previewSrc: `/embed${query ? `?${query}` : ''}`,
      frameTitle,
      iframeSnippet: `<iframe src="${embedUrl.replace(/&/g, '&amp;')}" title="${frameTitle.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="100%" height="640" loading="lazy"></iframe>`,
      scriptSnippet: `<script src="${base}/embed.js"${dataAttributes} async></script>`,
    });
  });

  // ---------------------------------------------------------------------------------------------
  // The site's own notices

  for (const [route, template, title] of [
    ['/accessibility', 'accessibility', 'Accessibility statement'],
    ['/privacy', 'privacy', 'Privacy notice'],
    ['/cookies', 'cookies', 'Cookies'],
  ] as const) {
    app.get(route, { config: PUBLIC }, async (request, reply) =>
      page(request, reply, template, {
        pageTitle: title,
        canonicalPath: route,
        contactEmail: config.contactEmail,
        quickExitUrl: config.quickExitUrl,
        sessionIdleMinutes: config.sessionIdleMinutes,
        sessionAbsoluteHours: config.sessionAbsoluteHours,
        shortlistMax: SHORTLIST_MAX_ENTRIES,
      }),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // For search engines

  app.get('/robots.txt', { config: PUBLIC }, async (request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(
        [
          'User-agent: *',
          'Disallow: /shortlist',
          'Disallow: /exit',
          'Disallow: /embed',
          'Disallow: /search',
          'Disallow: /api/',
          '',
          `Sitemap: ${baseUrl(request)}/sitemap.xml`,
          '',
        ].join('\n'),
      ),
  );

  app.get('/sitemap.xml', { config: PUBLIC }, async (request, reply) => {
    const base = baseUrl(request);
    const records = await pages.publishedRecords();
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const entry = (pathname: string, lastmod?: string) =>
      `<url><loc>${escape(base + pathname)}</loc>${lastmod ? `<lastmod>${lastmod.slice(0, 10)}</lastmod>` : ''}</url>`;
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...['/', '/widget', '/accessibility', '/privacy', '/cookies'].map((pathname) => entry(pathname)),
      ...records.services.map((record) => entry(`/services/${record.id}`, record.updatedAt)),
      ...records.organizations.map((record) => entry(`/organisations/${record.id}`, record.updatedAt)),
      ...records.locations.map((record) => entry(`/locations/${record.id}`, record.updatedAt)),
      '</urlset>',
      '',
    ].join('\n');
    return reply.header('cache-control', 'public, max-age=3600').type('application/xml; charset=utf-8').send(xml);
  });

  function isSameOrigin(request: FastifyRequest): boolean {
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string') return site === 'same-origin' || site === 'none';
    const origin = request.headers.origin;
    if (typeof origin === 'string') return origin === `${request.protocol}://${request.host}` || origin === config.publicUrl;
    // Neither header: not a browser's cross-site form post (every current browser sends one of them).
    return true;
  }
};
