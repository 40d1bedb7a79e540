import { randomUUID } from 'node:crypto';
import { LogController, type FastifyInstance, type FastifyServerOptions, type RawRequestDefaultExpression } from 'fastify';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * JSON logs that never contain a query string, a request body or a full URL: people search for
 * refuges and addiction services, and a postcode is personal data. A request is logged by its method
 * and route pattern ("/api/v1/services/:id") only.
 */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'logController' | 'requestIdHeader'> {
  return {
    logger:
      level === 'silent'
        ? false
        : {
            level,
            ...(stream ? { stream } : {}),
            // Fastify would otherwise log every request's full URL, query string included.
            serializers: {
              req: () => ({}),
              res: () => ({}),
            },
            redact: { paths: ['req.url', 'url', 'query', 'body', 'headers.cookie', 'headers.authorization'], remove: true },
          },
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (request: RawRequestDefaultExpression) => {
      const offered = request.headers['x-request-id'];
      return typeof offered === 'string' && SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
    },
  };
}

export function installRequestLogging(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });
}
