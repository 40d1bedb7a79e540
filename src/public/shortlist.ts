/**
 * A shortlist is what a professional gathers while searching, to hand on to the person they are
 * helping. It lives in the session (no account needed) as an ordered list of service ids, each with
 * an optional note. These rules are pure: the routes read the list from the session, apply one
 * rule and write the result back.
 */

export interface ShortlistEntry {
  serviceId: string;
  /** The professional's note for the person, e.g. "Ask for Morag; drop-in on Tuesdays". */
  note: string;
}

/** More than this is no longer a shortlist, and the session row would grow without bound. */
export const SHORTLIST_MAX_ENTRIES = 30;
export const SHORTLIST_NOTE_MAX_LENGTH = 500;

export class ShortlistFullError extends Error {
  constructor() {
    super(`A shortlist can hold up to ${SHORTLIST_MAX_ENTRIES} services. Remove one before adding another.`);
    this.name = 'ShortlistFullError';
  }
}

/** Adds a service at the end; adding one already there changes nothing. */
export function addToShortlist(list: readonly ShortlistEntry[], serviceId: string): ShortlistEntry[] {
  if (list.some((entry) => entry.serviceId === serviceId)) return [...list];
  if (list.length >= SHORTLIST_MAX_ENTRIES) throw new ShortlistFullError();
  return [...list, { serviceId, note: '' }];
}

export function removeFromShortlist(list: readonly ShortlistEntry[], serviceId: string): ShortlistEntry[] {
  return list.filter((entry) => entry.serviceId !== serviceId);
}

/** Moves a service one place up (towards the top) or down; at either end it stays where it is. */
export function moveInShortlist(list: readonly ShortlistEntry[], serviceId: string, direction: 'up' | 'down'): ShortlistEntry[] {
  const result = [...list];
  const index = result.findIndex((entry) => entry.serviceId === serviceId);
  const target = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= result.length) return result;
  [result[index], result[target]] = [result[target]!, result[index]!];
  return result;
}

/** Replaces a service's note; whitespace is tidied and the note is cut to the maximum length. */
export function annotateShortlist(list: readonly ShortlistEntry[], serviceId: string, note: string): ShortlistEntry[] {
  const tidied = note
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, SHORTLIST_NOTE_MAX_LENGTH);
  return list.map((entry) => (entry.serviceId === serviceId ? { ...entry, note: tidied } : entry));
}

/** What a session holds, checked: anything malformed (an old format, a tampered store) is dropped. */
export function readShortlist(stored: unknown): ShortlistEntry[] {
  if (!Array.isArray(stored)) return [];
  const seen = new Set<string>();
  const result: ShortlistEntry[] = [];
  for (const item of stored) {
    if (!item || typeof item !== 'object') continue;
    const { serviceId, note } = item as Record<string, unknown>;
    if (typeof serviceId !== 'string' || seen.has(serviceId)) continue;
    seen.add(serviceId);
    result.push({ serviceId, note: typeof note === 'string' ? note.slice(0, SHORTLIST_NOTE_MAX_LENGTH) : '' });
    if (result.length === SHORTLIST_MAX_ENTRIES) break;
  }
  return result;
}
