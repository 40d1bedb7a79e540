import { sql, type Kysely } from 'kysely';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

export interface Readiness {
  /** False while the app is starting or shutting down: the load balancer should send nothing. */
  accepting: boolean;
  /** Why not, when not accepting: 'shutting down', 'loading the search index', … */
  reason?: string;
}

/**
 * /healthz says the process is alive (restart it if not); /readyz says it can serve requests now:
 * the database answers and the app is not shutting down.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<any>; readiness: Readiness }> = async (app, { db, readiness }) => {
  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['Operations'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags: ['Operations'],
      summary: 'Readiness: the database answers and the app is not shutting down',
      response: {
        200: Type.Object({ status: Type.Literal('ready') }),
        503: Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() }),
      },
    },
  }, async (_request, reply) => {
    if (!readiness.accepting) return reply.code(503).send({ status: 'unavailable' as const, reason: readiness.reason ?? 'shutting down' });
    try {
      await sql`select 1`.execute(db);
      return { status: 'ready' as const };
    } catch {
      return reply.code(503).send({ status: 'unavailable' as const, reason: 'database unavailable' });
    }
  });
};
