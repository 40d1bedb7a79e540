import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

export interface PostcodeRecord {
  /** Upper case with no space, as the table stores it: 'KA128AA'. */
  postcode: string;
  /** The district: 'KA12'. */
  outcode: string;
  latitude: number;
  longitude: number;
}

// Four parameters a row keeps a statement far below PostgreSQL's 65,535-parameter limit, and each
// statement is its own short transaction, so on PGlite other requests get a turn between batches.
const ROWS_PER_STATEMENT = 2_000;

export function createPostcodeRepository(db: Kysely<Database>) {
  return {
    /** `postcode` in the table's form ('KA128AA'); see parsePostcode. */
    async find(postcode: string, executor: Kysely<Database> = db): Promise<PostcodeRecord | undefined> {
      return executor
        .selectFrom('postcode')
        .select(['postcode', 'outcode', 'latitude', 'longitude'])
        .where('postcode', '=', postcode)
        .executeTakeFirst();
    },

    /** Inserts new postcodes and moves existing ones; returns how many distinct postcodes were written. */
    async upsertMany(rows: readonly PostcodeRecord[], executor: Kysely<Database> = db): Promise<number> {
      // One statement may not update the same row twice, so a postcode repeated in the input keeps
      // its last position only.
      const distinct = [...new Map(rows.map((row) => [row.postcode, row])).values()];
      for (let start = 0; start < distinct.length; start += ROWS_PER_STATEMENT) {
        await executor
          .insertInto('postcode')
          .values(distinct.slice(start, start + ROWS_PER_STATEMENT))
          .onConflict((conflict) =>
            conflict.column('postcode').doUpdateSet((update) => ({
              outcode: update.ref('excluded.outcode'),
              latitude: update.ref('excluded.latitude'),
              longitude: update.ref('excluded.longitude'),
            })),
          )
          .execute();
      }
      return distinct.length;
    },

    async count(executor: Kysely<Database> = db): Promise<number> {
      const { total } = await executor
        .selectFrom('postcode')
        .select((select) => select.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      return Number(total);
    },
  };
}

export type PostcodeRepository = ReturnType<typeof createPostcodeRepository>;
