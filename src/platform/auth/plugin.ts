import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import { canSomewhere, isRouteAccess, type Actor, type RouteAccess } from './rules.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Who may reach this route: 'public', 'signed-in', or an action from platform/auth/rules.ts that
     * the actor must be able to do somewhere (the service then decides for the exact resource).
     * Every route must say; a route that does not is refused and fails the route-rule test.
     */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The signed-in account as the rules see it, or null for an anonymous visitor. */
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every route registered, with its access rule (undefined when it has none): for the route-rule test. */
    routeRules: Array<{ method: string; url: string; access: RouteAccess | undefined }>;
  }
}

export interface AuthorisationOptions {
  /** Finds the actor for a request (from its session); null when nobody is signed in. */
  loadActor(request: FastifyRequest): Promise<Actor | null>;
  /**
   * Routes registered by other plugins (API docs, static assets) whose options we do not write:
   * under these prefixes a route with no rule is public.
   */
  publicPrefixes: string[];
  /** Where to send a browser that needs to sign in. */
  signInPath: string;
}

export class SignInRequiredError extends HttpError {
  constructor() {
    super(401, 'sign_in_required', 'You need to sign in to do that.');
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'Your account does not have permission to do that.') {
    super(403, 'forbidden', message);
  }
}

/**
 * Route-level authorisation: every route declares its access rule (`config.access`), every request
 * gets its actor, and a route's rule is checked before its handler runs. Register this before any
 * route so that its onRoute hook sees them all.
 */
export const authorisation = fp<AuthorisationOptions>(async (app, options) => {
  app.decorate('routeRules', []);
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { access?: RouteAccess };
    if (config.access === undefined && options.publicPrefixes.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...config, access: 'public' } as typeof route.config;
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    for (const method of methods) app.routeRules.push({ method: String(method), url: route.url, access });
  });

  // Before validation, so that a request that may not reach the route learns nothing about its fields.
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    // The not-found handler is no route: anyone may be told there is nothing there.
    const access = request.is404 ? 'public' : request.routeOptions.config?.access;
    if (!isRouteAccess(access)) {
      // Fail closed: a route nobody gave a rule is nobody's.
      request.log.error({ route: request.routeOptions.url }, 'route has no access rule');
      throw new ForbiddenError('This page has no access rule yet, so nobody may use it.');
    }
    request.actor = await options.loadActor(request);
    if (access === 'public') return;
    if (!request.actor) {
      if (request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')) {
        const next = request.url.startsWith('/') && !request.url.startsWith('//') ? request.url : '/';
        return reply.redirect(`${options.signInPath}?next=${encodeURIComponent(next)}`, 303);
      }
      throw new SignInRequiredError();
    }
    if (access === 'signed-in') return;
    if (!canSomewhere(request.actor, access)) throw new ForbiddenError();
  });
});
