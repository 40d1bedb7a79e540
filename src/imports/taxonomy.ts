import { parse } from 'csv-parse/sync';
import { findAccessTerm } from '../openreferral/access-taxonomy.ts';
import { taxonomyId as frontdoorTaxonomyId, termId as frontdoorTermId, type TaxonomyKey } from '../directory/taxonomy.ts';
import type { TermResolution } from './mapping.ts';

// Taxonomy terms of an imported record become ours: our own terms (categories, client groups,
// accessibility, and the derived access-and-delivery terms) map to themselves; anything else maps
// through the source's mapping file, a CSV with a header row:
//
//   source_taxonomy,source_term,frontdoor_term
//   LGA,123,categories/dementia
//   ,esd-service-656,0b9c…  (an empty source_taxonomy matches the term in any taxonomy)
//
// source_term is the source term's id or code; frontdoor_term is our term's id, or
// "<taxonomy>/<code>" with taxonomy one of categories, client-groups, accessibility.

export interface TaxonomyMapping {
  /** Lower-cased "taxonomy|term" (taxonomy empty for "any") → our term id. */
  entries: Map<string, string>;
}

export interface OurTerm {
  id: string;
  taxonomy_id: string;
  code: string;
}

const TAXONOMY_KEYS: TaxonomyKey[] = ['categories', 'client-groups', 'accessibility'];

/** Parses a mapping CSV; throws an Error with a sentence naming the bad line. */
export function parseTaxonomyMapping(csv: string, ourTermIds?: ReadonlySet<string>): TaxonomyMapping {
  const entries = new Map<string, string>();
  if (!csv.trim()) return { entries };
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(csv, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Array<Record<string, string>>;
  } catch (error) {
    throw new Error(`The taxonomy mapping is not valid CSV: ${(error as Error).message}`);
  }
  rows.forEach((row, index) => {
    const line = index + 2;
    const sourceTerm = row.source_term ?? '';
    const target = row.frontdoor_term ?? '';
    if (!('source_term' in row) || !('frontdoor_term' in row)) throw new Error('The taxonomy mapping needs a header row with source_taxonomy, source_term and frontdoor_term.');
    if (!sourceTerm) throw new Error(`Line ${line} of the taxonomy mapping has no source_term.`);
    let termId: string | undefined;
    const slash = /^([a-z-]+)\/(.+)$/.exec(target);
    if (slash && (TAXONOMY_KEYS as string[]).includes(slash[1]!)) termId = frontdoorTermId(slash[1] as TaxonomyKey, slash[2]!);
    else if (/^[0-9a-f-]{36}$/i.test(target)) termId = target.toLowerCase();
    if (!termId) throw new Error(`Line ${line} of the taxonomy mapping: "${target}" is not a term id or categories/…, client-groups/… or accessibility/… code.`);
    if (ourTermIds && !ourTermIds.has(termId)) throw new Error(`Line ${line} of the taxonomy mapping: "${target}" is not one of our taxonomy terms.`);
    entries.set(`${(row.source_taxonomy ?? '').toLowerCase()}|${sourceTerm.toLowerCase()}`, termId);
  });
  return { entries };
}

/** Decides what an imported taxonomy term is to us. */
export function createTermResolver(ourTerms: OurTerm[], mapping: TaxonomyMapping) {
  const byId = new Set(ourTerms.map((term) => term.id));
  const byTaxonomyAndCode = new Map(ourTerms.map((term) => [`${term.taxonomy_id}|${term.code}`, term.id]));
  const ourTaxonomies = new Set(TAXONOMY_KEYS.map((key) => frontdoorTaxonomyId(key)));
  return (term: Record<string, unknown>, termId: string | undefined): TermResolution => {
    const id = termId?.toLowerCase();
    if (id) {
      const access = findAccessTerm(id);
      if (access) return { kind: 'access', term: access };
      if (byId.has(id)) return { kind: 'ours', termId: id };
    }
    const code = typeof term.code === 'string' ? term.code : undefined;
    const taxonomyId = typeof term.taxonomy_id === 'string' ? term.taxonomy_id.toLowerCase() : undefined;
    if (code && taxonomyId && ourTaxonomies.has(taxonomyId)) {
      const ours = byTaxonomyAndCode.get(`${taxonomyId}|${code}`);
      if (ours) return { kind: 'ours', termId: ours };
    }
    const taxonomyNames = [term.taxonomy, term.taxonomy_id].filter((value): value is string => typeof value === 'string' && value !== '');
    for (const key of [id, code].filter((value): value is string => Boolean(value))) {
      for (const taxonomy of [...taxonomyNames, '']) {
        const mapped = mapping.entries.get(`${taxonomy.toLowerCase()}|${key.toLowerCase()}`);
        if (mapped && byId.has(mapped)) return { kind: 'ours', termId: mapped };
      }
    }
    const name = typeof term.name === 'string' ? term.name : typeof term.term === 'string' ? term.term : '';
    const taxonomy = taxonomyNames[0] ?? 'no taxonomy';
    return { kind: 'unmapped', label: `${taxonomy}: ${code ?? id ?? '(no id)'}${name ? ` (${name})` : ''}` };
  };
}
