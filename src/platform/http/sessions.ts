import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySession from '@fastify/session';
import fastifyFormbody from '@fastify/formbody';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, Session } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../clock.ts';

declare module 'fastify' {
  interface Session {
    /** When the session began (ISO); it ends a fixed time later whatever the activity. */
    startedAt?: string;
  }
  interface FastifyContextConfig {
    /** Set false on routes that take no form posts from a browser session (token-authenticated APIs). */
    csrf?: boolean;
  }
}

export interface SessionOptions {
  db: Kysely<Database>;
  clock: Clock;
  secret: string;
  secureCookies: boolean;
  idleMinutes: number;
  absoluteHours: number;
}

type StoreCallback = (error?: unknown, session?: Session | null) => void;

/** A session store in the database, shared by every app process, that applies both timeouts. */
export function createDatabaseSessionStore(options: Pick<SessionOptions, 'db' | 'clock' | 'idleMinutes' | 'absoluteHours'>) {
  const { db, clock } = options;
  const idleMs = options.idleMinutes * 60_000;
  const absoluteMs = options.absoluteHours * 3_600_000;
  let writesSinceSweep = 0;

  async function get(id: string): Promise<Session | null> {
    const row = await db.selectFrom('http_session').select(['data', 'created_at', 'expires_at']).where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const now = clock.now().getTime();
    const expired = new Date(row.expires_at).getTime() <= now || new Date(row.created_at).getTime() + absoluteMs <= now;
    if (expired) {
      await destroy(id);
      return null;
    }
    return (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Session;
  }

  async function set(id: string, session: Session): Promise<void> {
    const now = clock.now();
    const startedAt = session.startedAt ?? now.toISOString();
    const data = JSON.stringify({ ...session, startedAt });
    const expiresAt = new Date(Math.min(now.getTime() + idleMs, new Date(startedAt).getTime() + absoluteMs));
    await db
      .insertInto('http_session')
      .values({ id, data, created_at: startedAt, expires_at: expiresAt })
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ data, expires_at: expiresAt }))
      .execute();
    // Expired rows are swept now and then rather than by a timer, so no process needs a schedule.
    if (++writesSinceSweep >= 200) {
      writesSinceSweep = 0;
      await db.deleteFrom('http_session').where('expires_at', '<', now).execute();
    }
  }

  async function destroy(id: string): Promise<void> {
    await db.deleteFrom('http_session').where('id', '=', id).execute();
  }

  return {
    get: (id: string, callback: StoreCallback) => void get(id).then((session) => callback(undefined, session), callback),
    set: (id: string, session: Session, callback: (error?: unknown) => void) => void set(id, session).then(() => callback(), callback),
    destroy: (id: string, callback: (error?: unknown) => void) => void destroy(id).then(() => callback(), callback),
  };
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookies, database sessions and CSRF protection. Every unsafe request that is not opted out with
 * `config: { csrf: false }` must carry the session's CSRF token (form field `_csrf` or header
 * `x-csrf-token`), or it gets a 403.
 */
export const sessions = fp<SessionOptions>(async (app, options) => {
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: options.secret,
    cookieName: 'frontdoor_session',
    store: createDatabaseSessionStore(options),
    saveUninitialized: false,
    rolling: true,
    idGenerator: () => randomBytes(32).toString('base64url'),
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies,
      path: '/',
      maxAge: options.idleMinutes * 60_000,
    },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      const header = request.headers['x-csrf-token'];
      return fromBody ?? (typeof header === 'string' ? header : undefined);
    },
  });

  // A failed check is sent by the plugin as a 403 error, which the app's error handler words for people.
  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (!UNSAFE_METHODS.has(request.method) || request.routeOptions.config?.csrf === false) return done();
    app.csrfProtection(request, reply, done);
  });
});
