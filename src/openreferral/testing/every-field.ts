import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { taxonomyId, termId } from '../../directory/taxonomy.ts';
import { insertEdgeCases } from './fixtures.ts';

/**
 * The feed's edge cases (fixtures.ts: every optional field filled in somewhere, every one absent
 * somewhere) plus what a whole-directory export needs on top: a service for the parent organisation
 * (so every record a published service refers to is published too), a phone and a contact that name
 * their organisation as well as their service, and reference data with every optional field
 * (`fillReferenceData`). tabular.test.ts checks that every column of the export is filled somewhere.
 */
export async function insertEveryField(db: Kysely<Database>) {
  const edge = await insertEdgeCases(db);
  await fillReferenceData(db);
  await db
    .insertInto('service')
    .values({ organization_id: edge.organizationIds.parent, name: 'Parent Trust grants', updated_at: '2025-07-01T00:00:00Z' })
    .execute();
  const [contact] = await db
    .insertInto('contact')
    .values({ service_id: edge.serviceIds.helpline, organization_id: edge.organizationIds.full, name: 'Helpline manager' })
    .returning('id')
    .execute();
  await db
    .insertInto('phone')
    .values({ service_id: edge.serviceIds.helpline, organization_id: edge.organizationIds.full, contact_id: contact!.id, number: '0800 000 0000', type: 'voice' })
    .execute();
  return edge;
}

/**
 * Reference data is the installation's, not the directory's: an import maps terms to ours and leaves
 * the terms as they are. A round trip therefore starts both databases from the same reference data.
 */
export async function fillReferenceData(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('taxonomy_term')
    .set({ description: 'Level or ramped access to the entrance and the rooms used.', term_uri: 'https://frontdoor.example.org/terms/step-free-access' })
    .where('id', '=', termId('accessibility', 'step-free-access'))
    .execute();
  await db.updateTable('taxonomy').set({ uri: 'https://frontdoor.example.org/taxonomies/accessibility' }).where('id', '=', taxonomyId('accessibility')).execute();
}
