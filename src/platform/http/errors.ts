import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** An error meant for the person or program that made the request: its message is shown as is. */
export class HttpError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: string,
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, id?: string) {
    super(404, 'not_found', id ? `No ${what} has the id ${id}.` : `No such ${what}.`);
  }
}

export class BadParameterError extends HttpError {
  constructor(parameter: string, message: string, details: Record<string, unknown> = {}) {
    super(400, 'invalid_parameter', message, { parameter, ...details });
  }
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

const CONTEXT_NAMES: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'field',
  headers: 'header',
};

/**
 * Turns Ajv's first complaint into a sentence that names the parameter and what would be valid,
 * for example "per_page must be at most 100".
 */
export function describeValidationError(error: FastifyError): { parameter: string; message: string; allowed?: unknown } {
  const issue = (error.validation?.[0] ?? {}) as ValidationIssue;
  const context = error.validationContext ?? 'querystring';
  const fromPath = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
  const missing = typeof issue.params?.missingProperty === 'string' ? issue.params.missingProperty : undefined;
  const parameter = missing ?? (fromPath.replace(/\.\d+$/, '') || context);
  const kind = CONTEXT_NAMES[context] ?? 'parameter';
  const params = issue.params ?? {};
  let what: string;
  let allowed: unknown;
  switch (issue.keyword) {
    case 'required':
      what = 'is required';
      break;
    case 'enum':
      allowed = params.allowedValues;
      what = `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
      break;
    case 'anyOf':
    case 'const':
      what = 'is not one of the allowed values';
      break;
    case 'maximum':
      what = `must be at most ${params.limit}`;
      break;
    case 'minimum':
      what = `must be at least ${params.limit}`;
      break;
    case 'type':
      what = params.type === 'integer' ? 'must be a whole number' : `must be a ${params.type}`;
      break;
    case 'format':
      what = params.format === 'uuid' ? 'must be a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6' : `must be a valid ${params.format}`;
      break;
    case 'maxLength':
      what = `must be at most ${params.limit} characters long`;
      break;
    case 'minLength':
      what = Number(params.limit) === 1 ? 'must not be empty' : `must be at least ${params.limit} characters long`;
      break;
    case 'pattern':
      what = 'is not in the expected format';
      break;
    default:
      what = issue.message ?? 'is not valid';
  }
  return { parameter, message: `The ${kind} "${parameter}" ${what}.`, ...(allowed ? { allowed } : {}) };
}

export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/') || request.url.startsWith('/openreferral')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

export interface ErrorPageRenderer {
  (reply: FastifyReply, statusCode: number, title: string, message: string): FastifyReply | Promise<FastifyReply>;
}

/**
 * One error handler for the whole app. Problems with the request get a 4xx that says what to change;
 * anything else is logged with the request context and answered with a 500 that reveals nothing.
 */
export function installErrorHandlers(app: FastifyInstance, renderErrorPage?: ErrorPageRenderer): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    let statusCode: number;
    let body: Record<string, unknown>;
    if (error instanceof HttpError) {
      statusCode = error.statusCode;
      body = { error: error.code, message: error.message, ...error.details };
    } else if (error.validation) {
      const described = describeValidationError(error);
      statusCode = 400;
      body = { error: 'invalid_parameter', ...described };
    } else if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN') {
      statusCode = 403;
      body = {
        error: 'csrf_failed',
        message: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
      };
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      statusCode = error.statusCode;
      body = { error: error.code?.toLowerCase() ?? 'bad_request', message: clientMessageFor(error) };
    } else {
      statusCode = 500;
      request.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
      body = { error: 'internal_error', message: 'Something went wrong on our side. Please try again later.' };
    }
    body.request_id = request.id;
    if (renderErrorPage && wantsHtml(request)) {
      return renderErrorPage(reply.code(statusCode), statusCode, titleFor(statusCode), String(body.message));
    }
    return reply.code(statusCode).type('application/json').send(body);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const message = 'There is nothing at this address. Check it is typed correctly.';
    if (renderErrorPage && wantsHtml(request)) return renderErrorPage(reply.code(404), 404, 'Page not found', message);
    return reply.code(404).send({ error: 'not_found', message, request_id: request.id });
  });
}

function clientMessageFor(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'The request has a content type this address does not accept.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON.';
    default:
      // Fastify's own 4xx messages describe the request, not our internals, so they are safe to show.
      return error.message;
  }
}

function titleFor(statusCode: number): string {
  if (statusCode === 404) return 'Page not found';
  if (statusCode === 403) return 'You cannot do that';
  if (statusCode === 429) return 'Too many requests';
  if (statusCode >= 500) return 'Sorry, there is a problem with the service';
  return 'There is a problem';
}
