import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import { groupBy } from '../platform/collections.ts';
import { taxonomyId } from '../directory/taxonomy.ts';
import { DAY_CODES, type DayCode, type SearchDocumentInput } from './search-index.ts';

export interface SearchRepositoryOptions {
  /** A listing falls due for review this many months after it was last reviewed. */
  reviewIntervalMonths: number;
}

function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1 + months, day));
  return shifted.toISOString().slice(0, 10);
}

/** Reads what the search index holds about services, in batches that never hold a long transaction. */
export function createSearchRepository(db: Kysely<Database>, options: SearchRepositoryOptions) {
  const categoriesTaxonomy = taxonomyId('categories');
  const clientGroupsTaxonomy = taxonomyId('client-groups');

  async function termTree() {
    const terms = await db.selectFrom('taxonomy_term').select(['id', 'code', 'name', 'parent_id', 'taxonomy_id']).execute();
    return new Map(terms.map((term) => [term.id, term]));
  }

  // Services with a stamp of the transactions that wrote the service's row and its organisation's:
  // one definition for loading and for polling, whose stamps are compared (SearchSync.reloadedStamps).
  const stampedServices = sql`select s.id, s.xmin::text || ':' || o.xmin::text as stamp
    from service s join organization o on o.id = s.organization_id`;

  return {
    /**
     * Searchable services after `afterId`, in id order (active or temporarily closed, of a listed
     * organisation), each with the stamp `writtenSince` gives it.
     */
    async searchableAfter(afterId: string | null, limit: number): Promise<Array<{ id: string; stamp: string }>> {
      const { rows } = await sql<{ id: string; stamp: string }>`
        ${stampedServices}
        where s.status in ('active', 'temporarily closed') and o.listed
          ${afterId ? sql`and s.id > ${afterId}` : sql``}
        order by s.id limit ${limit}`.execute(db);
      return rows;
    },

    /**
     * Where the directory's history stands (a snapshot: which transactions had finished), and
     * whether anything was written to the directory since an earlier snapshot: by a transaction
     * that had not finished when that snapshot was taken, whatever the order in which transactions
     * commit and whatever times they stamp on their rows. The change log (migration 0004) has a row,
     * with its transaction id, for every transaction that wrote to a directory table. One statement,
     * one snapshot: the answer and the snapshot agree.
     */
    async changesSince(snapshot: string | null): Promise<{ snapshot: string; changed: boolean }> {
      const { rows } = await sql<{ snapshot: string; changed: boolean }>`
        select pg_current_snapshot()::text as snapshot, ${
          snapshot === null
            ? sql`true`
            : sql`exists (select 1 from directory_change
                where txid >= pg_snapshot_xmin(${snapshot}::pg_snapshot)::text::bigint
                  and not pg_visible_in_snapshot(txid::text::xid8, ${snapshot}::pg_snapshot))`
        } as changed`.execute(db);
      return { snapshot: rows[0]!.snapshot, changed: Boolean(rows[0]!.changed) };
    },

    /**
     * Services whose row, or whose organisation's row, was written by a transaction that had not
     * finished when `snapshot` was taken (see changesSince), each with a stamp of the transactions
     * that wrote the two rows: a row's xmin names the transaction that wrote it, so a new write
     * gives a new stamp. xmin holds the low 32 bits of the id; it is read as of the epoch (four
     * billion transactions) of the snapshot, and when the directory has moved to the next epoch
     * since, the answer is undefined and the caller reloads everything.
     */
    async writtenSince(snapshot: string, now: string): Promise<Array<{ id: string; stamp: string }> | undefined> {
      // A snapshot's text is "xmin:xmax:in-progress ids" (pg_snapshot).
      const xmin = BigInt(snapshot.split(':')[0]!);
      const xmax = BigInt(now.split(':')[1]!);
      if (xmin >> 32n !== xmax >> 32n) return undefined;
      const low = (xmin & 0xffffffffn).toString();
      const epoch = (xmin - (xmin & 0xffffffffn)).toString();
      const unseen = (column: ReturnType<typeof sql.ref>) => sql`(${column}::text::bigint >= ${low}::bigint
        and not pg_visible_in_snapshot((${epoch}::bigint + ${column}::text::bigint)::text::xid8, ${snapshot}::pg_snapshot))`;
      const { rows } = await sql<{ id: string; stamp: string }>`
        ${stampedServices}
        where ${unseen(sql.ref('s.xmin'))} or ${unseen(sql.ref('o.xmin'))}`.execute(db);
      return rows;
    },

    async countSearchable(): Promise<number> {
      const row = await db
        .selectFrom('service')
        .innerJoin('organization', 'organization.id', 'service.organization_id')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('service.status', 'in', ['active', 'temporarily closed'])
        .where('organization.listed', '=', true)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /**
     * Search documents for the given services; ids that are no longer searchable are simply absent.
     * One query per related table for the whole batch.
     */
    async documents(ids: string[]): Promise<SearchDocumentInput[]> {
      if (ids.length === 0) return [];
      const [terms, services, attributes, locations, areas, schedules] = await Promise.all([
        termTree(),
        db
          .selectFrom('service')
          .innerJoin('organization', 'organization.id', 'service.organization_id')
          .select([
            'service.id',
            'service.name',
            'service.summary',
            'service.description',
            'service.status',
            'service.minimum_age',
            'service.maximum_age',
            'service.access_routes',
            'service.delivery_modes',
            'service.free_of_charge',
            'service.last_reviewed_at',
            'organization.id as organization_id',
            'organization.name as organization_name',
          ])
          .where('service.id', 'in', ids)
          .where('service.status', 'in', ['active', 'temporarily closed'])
          .where('organization.listed', '=', true)
          .execute(),
        db.selectFrom('attribute').select(['service_id', 'taxonomy_term_id']).where('service_id', 'in', ids).execute(),
        db
          .selectFrom('service_at_location')
          .innerJoin('location', 'location.id', 'service_at_location.location_id')
          .select(['service_at_location.service_id', 'location.latitude', 'location.longitude'])
          .where('service_at_location.service_id', 'in', ids)
          .where('location.latitude', 'is not', null)
          .execute(),
        db.selectFrom('service_area').select(['service_id', 'area_type', 'area_name']).where('service_id', 'in', ids).execute(),
        db
          .selectFrom('schedule')
          .leftJoin('service_at_location', 'service_at_location.id', 'schedule.service_at_location_id')
          .select(['schedule.service_id', 'service_at_location.service_id as linked_service_id', 'schedule.byday'])
          .where((eb) => eb.or([eb('schedule.service_id', 'in', ids), eb('service_at_location.service_id', 'in', ids)]))
          .execute(),
      ]);

      const attributesBy = groupBy(attributes, (row) => row.service_id);
      const locationsBy = groupBy(locations, (row) => row.service_id);
      const areasBy = groupBy(areas, (row) => row.service_id);
      const schedulesBy = groupBy(schedules, (row) => row.service_id ?? row.linked_service_id);

      return services.map((service) => {
        const categories = new Set<string>();
        const categoryNames = new Set<string>();
        const clientGroups = new Set<string>();
        const clientGroupNames = new Set<string>();
        for (const attribute of attributesBy.get(service.id) ?? []) {
          let term = terms.get(attribute.taxonomy_term_id);
          if (term?.taxonomy_id === categoriesTaxonomy) {
            categoryNames.add(term.name);
            // A service in "Dementia" is also in its parent "Living with a health condition".
            while (term) {
              categories.add(term.code);
              term = term.parent_id ? terms.get(term.parent_id) : undefined;
            }
          } else if (term?.taxonomy_id === clientGroupsTaxonomy) {
            clientGroups.add(term.code);
            clientGroupNames.add(term.name);
          }
        }
        const coverage = { councilAreas: [] as string[], partnerships: [] as string[], healthBoards: [] as string[], scotland: false, uk: false };
        for (const area of areasBy.get(service.id) ?? []) {
          if (area.area_type === 'scotland') coverage.scotland = true;
          else if (area.area_type === 'uk') coverage.uk = true;
          else if (area.area_name) {
            if (area.area_type === 'council_area') coverage.councilAreas.push(area.area_name);
            else if (area.area_type === 'partnership') coverage.partnerships.push(area.area_name);
            else coverage.healthBoards.push(area.area_name);
          }
        }
        const days = new Set<DayCode>();
        for (const schedule of schedulesBy.get(service.id) ?? []) {
          for (const day of (schedule.byday ?? '').split(',')) {
            // RRULE BYDAY may carry an ordinal ("1MO" = first Monday): the weekday is what matters here.
            const code = day.trim().slice(-2).toUpperCase();
            if ((DAY_CODES as readonly string[]).includes(code)) days.add(code as DayCode);
          }
        }
        return {
          id: service.id,
          name: service.name,
          organizationId: service.organization_id,
          organizationName: service.organization_name,
          summary: service.summary,
          description: service.description,
          status: service.status as 'active' | 'temporarily closed',
          categories: [...categories],
          categoryNames: [...categoryNames],
          clientGroups: [...clientGroups],
          clientGroupNames: [...clientGroupNames],
          minimumAge: service.minimum_age,
          maximumAge: service.maximum_age,
          accessRoutes: service.access_routes,
          deliveryModes: service.delivery_modes,
          free: service.free_of_charge,
          days: [...days],
          lastReviewedAt: service.last_reviewed_at,
          reviewDueAt: service.last_reviewed_at ? addMonths(service.last_reviewed_at, options.reviewIntervalMonths) : null,
          locations: (locationsBy.get(service.id) ?? []).map((row) => ({ latitude: row.latitude!, longitude: row.longitude! })),
          coverage,
        } satisfies SearchDocumentInput;
      });
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;
