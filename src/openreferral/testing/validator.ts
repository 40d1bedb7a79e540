import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { buildOpenApiDocument, profileSchemaFiles } from '../spec.ts';

// Validates API answers against the Open Referral UK profile's own JSON Schemas (draft 2020-12), found
// through our served OpenAPI document exactly as a client would find them, but offline: every schema
// file is loaded from data/openreferral-uk-3.0/ under the URL the document's relative $refs resolve to.

const BASE = 'https://frontdoor.test/openreferral/';
// The profile's schemas carry Frictionless Data and documentation keywords that JSON Schema does not
// define; they are annotations, so we declare them rather than switching strict mode off.
const ANNOTATIONS = ['name', 'constraints', 'example', 'core', 'datapackage_metadata', 'datapackage_type', 'path', 'tabular_required'];

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = any;

function rewriteRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      copy.$ref = value.startsWith('#/components/schemas/')
        ? `${BASE}components.json#/$defs/${value.slice('#/components/schemas/'.length)}`
        : new URL(value, `${BASE}openapi.json`).href;
    } else {
      copy[key] = rewriteRefs(value);
    }
  }
  return copy;
}

export interface ResponseValidator {
  /** Errors of a 200 answer to GET `pathTemplate` ("/services/{id}"); empty when it conforms. */
  errors(pathTemplate: string, body: unknown): ErrorObject[];
  /** Errors of a document against one of the profile's schema files ("compiled/service.json"). */
  errorsAgainstFile(file: string, body: unknown): ErrorObject[];
}

export function createResponseValidator(): ResponseValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats(ajv);
  ajv.addVocabulary(ANNOTATIONS);
  for (const [file, text] of profileSchemaFiles()) {
    ajv.addSchema({ ...JSON.parse(text), $id: `${BASE}schema/${file}` });
  }
  const document = buildOpenApiDocument({ serverUrl: '/openreferral', rateLimitPerMinute: 1 });
  ajv.addSchema({ $id: `${BASE}components.json`, $defs: rewriteRefs(document.components.schemas) });

  const compiled = new Map<string, ValidateFunction>();
  function validatorFor(pathTemplate: string): ValidateFunction {
    let validate = compiled.get(pathTemplate);
    if (!validate) {
      const schema = document.paths[pathTemplate]?.get?.responses?.['200']?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`The OpenAPI document has no 200 response schema for GET ${pathTemplate}`);
      validate = ajv.compile(rewriteRefs(schema));
      compiled.set(pathTemplate, validate);
    }
    return validate;
  }

  return {
    errors(pathTemplate, body) {
      const validate = validatorFor(pathTemplate);
      return validate(body) ? [] : [...(validate.errors ?? [])];
    },
    errorsAgainstFile(file, body) {
      const validate = ajv.getSchema(`${BASE}schema/${file}`);
      if (!validate) throw new Error(`No schema ${file}`);
      return validate(body) ? [] : [...(validate.errors ?? [])];
    },
  };
}

/** A short, readable account of validation errors for assertion messages. */
export function describeErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 10)
    .map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`)
    .join('\n');
}
