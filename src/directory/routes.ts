import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApiError,
  IdParams,
  LocationPage,
  LocationRecord,
  OrganizationPage,
  OrganizationRecord,
  PageQuery,
  ServicePage,
  ServiceRecord,
  TaxonomyTermPage,
  TaxonomyTermQuery,
  TaxonomyTermRecord,
} from './schemas.ts';
import type { DirectoryService } from './service.ts';

const notFound = { 404: ApiError };
const badRequest = { 400: ApiError };

/** The directory's record API: every organisation, service, location and taxonomy term by id and in pages. */
export const directoryRoutes: FastifyPluginAsyncTypebox<{ directory: DirectoryService }> = async (app, { directory }) => {
  // The record API is open data: every route is public (see "Who may use a route" in the README).
  const config = { access: 'public' as const };
  app.get('/api/v1/organizations', {
    schema: { tags: ['Records'], summary: 'Organisations, in pages', querystring: PageQuery, response: { 200: OrganizationPage, ...badRequest } },
    config,
  }, async (request) => directory.listOrganizations(request.query));

  app.get('/api/v1/organizations/:id', {
    schema: { tags: ['Records'], summary: 'One organisation with its services and locations', params: IdParams, response: { 200: OrganizationRecord, ...notFound, ...badRequest } },
    config,
  }, async (request) => directory.getOrganization(request.params.id));

  app.get('/api/v1/services', {
    schema: { tags: ['Records'], summary: 'Services, in pages, with everything about each', querystring: PageQuery, response: { 200: ServicePage, ...badRequest } },
    config,
  }, async (request) => directory.listServices(request.query));

  app.get('/api/v1/services/:id', {
    schema: { tags: ['Records'], summary: 'One service with its organisation, locations, opening times and terms', params: IdParams, response: { 200: ServiceRecord, ...notFound, ...badRequest } },
    config,
  }, async (request) => directory.getService(request.params.id));

  app.get('/api/v1/locations', {
    schema: { tags: ['Records'], summary: 'Locations, in pages', querystring: PageQuery, response: { 200: LocationPage, ...badRequest } },
    config,
  }, async (request) => directory.listLocations(request.query));

  app.get('/api/v1/locations/:id', {
    schema: { tags: ['Records'], summary: 'One location with the services delivered there', params: IdParams, response: { 200: LocationRecord, ...notFound, ...badRequest } },
    config,
  }, async (request) => directory.getLocation(request.params.id));

  app.get('/api/v1/taxonomy-terms', {
    schema: { tags: ['Records'], summary: 'Categories, client groups and accessibility features', querystring: TaxonomyTermQuery, response: { 200: TaxonomyTermPage, ...badRequest } },
    config,
  }, async (request) => directory.listTaxonomyTerms(request.query));

  app.get('/api/v1/taxonomy-terms/:id', {
    schema: { tags: ['Records'], summary: 'One taxonomy term', params: IdParams, response: { 200: TaxonomyTermRecord, ...notFound, ...badRequest } },
    config,
  }, async (request) => directory.getTaxonomyTerm(request.params.id));
};
