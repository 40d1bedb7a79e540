import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import { FormClient } from '../../platform/testing/http.ts';
import { createAccount, signIn } from '../../accounts/testing/helpers.ts';

/**
 * The people the listings tests act as, each signed in: a member and an admin of the organisation,
 * the moderator of its area (North Ayrshire) and a moderator of somewhere else (Shetland).
 */
export async function signInListingPeople(app: FastifyInstance, db: Kysely<Database>, organizationId: string, clock: Clock) {
  const signedIn = async (email: string, options: Parameters<typeof createAccount>[2]) => {
    const client = new FormClient(app);
    await signIn(client, await createAccount(db, email, options), clock);
    return client;
  };
  return {
    member: await signedIn('worker@irvine-carers.example.org', { totp: true, roles: [{ role: 'organisation_member', organizationId }] }),
    colleague: await signedIn('colleague@irvine-carers.example.org', { totp: true, roles: [{ role: 'organisation_admin', organizationId }] }),
    moderator: await signedIn('mod@north-ayrshire.example', { roles: [{ role: 'moderator', councilAreaCode: 'north-ayrshire' }] }),
    farModerator: await signedIn('mod@shetland.example', { roles: [{ role: 'moderator', councilAreaCode: 'shetland-islands' }] }),
  };
}
