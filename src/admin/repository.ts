import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The admin capability's SQL: taxonomy terms (categories, client groups, accessibility features). */
export function createAdminRepository(db: Kysely<Database>) {
  return {
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work);
    },
    taxonomies() {
      return db.selectFrom('taxonomy').select(['id', 'name']).orderBy('name').execute();
    },
    async termsWithUse() {
      return db
        .selectFrom('taxonomy_term as t')
        .leftJoin('attribute as a', 'a.taxonomy_term_id', 't.id')
        .select(['t.id', 't.taxonomy_id', 't.code', 't.name', 't.description', 't.parent_id', (eb) => eb.fn.count<number>('a.id').as('uses')])
        .groupBy(['t.id', 't.taxonomy_id', 't.code', 't.name', 't.description', 't.parent_id'])
        .orderBy('t.taxonomy_id')
        .orderBy('t.name')
        .execute();
    },
    findTerm(id: string, executor: Executor = db) {
      return executor.selectFrom('taxonomy_term').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findTermByCode(taxonomyId: string, code: string) {
      return db.selectFrom('taxonomy_term').select('id').where('taxonomy_id', '=', taxonomyId).where('code', '=', code).executeTakeFirst();
    },
    async termUses(id: string): Promise<number> {
      const row = await db.selectFrom('attribute').select((eb) => eb.fn.countAll<number>().as('count')).where('taxonomy_term_id', '=', id).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async insertTerm(values: { taxonomy_id: string; code: string; name: string; description: string; parent_id: string | null }, executor: Executor = db): Promise<string> {
      const row = await executor.insertInto('taxonomy_term').values({ ...values, language: 'en' }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },
    async updateTerm(id: string, values: { name: string; description: string }, executor: Executor = db): Promise<void> {
      await executor.updateTable('taxonomy_term').set(values).where('id', '=', id).execute();
    },
    async deleteTerm(id: string, executor: Executor = db): Promise<void> {
      await executor.deleteFrom('taxonomy_term').where('id', '=', id).execute();
    },
  };
}

export type AdminRepository = ReturnType<typeof createAdminRepository>;
