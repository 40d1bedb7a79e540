import type { Clock } from '../platform/clock.ts';
import type { AuditLog, AuditSearch } from '../platform/audit/log.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { ForbiddenError } from '../platform/auth/plugin.ts';
import { NotFoundError } from '../platform/http/errors.ts';
import { can, organisationsWhere, type Actor } from '../platform/auth/rules.ts';
import type { AdminRepository } from './repository.ts';

type FieldErrors = Record<string, string>;
type Outcome = { ok: true } | { ok: false; errors: FieldErrors };

function requireCan(actor: Actor | null, action: Parameters<typeof can>[1]): Actor {
  if (!actor || !can(actor, action)) throw new ForbiddenError();
  return actor;
}

/** Taxonomy terms, the audit log and background jobs, for admins. Users and organisations are in accounts. */
export function createAdminService(deps: { repository: AdminRepository; audit: AuditLog; jobs: JobQueue; clock: Clock }) {
  const { repository, audit, jobs } = deps;

  /** A system admin sees the whole log; an information-governance lead sees their organisations' entries. */
  function auditScope(actor: Actor | null, search: AuditSearch): AuditSearch {
    if (can(actor, 'audit.view')) return search;
    const organizationIds = organisationsWhere(actor, 'audit.view');
    if (organizationIds.length === 0) throw new ForbiddenError();
    return { ...search, organizationIds };
  }

  return {
    async taxonomyPage(actor: Actor | null) {
      requireCan(actor, 'taxonomy.manage');
      const [taxonomies, terms] = await Promise.all([repository.taxonomies(), repository.termsWithUse()]);
      return taxonomies.map((taxonomy) => ({ ...taxonomy, terms: terms.filter((term) => term.taxonomy_id === taxonomy.id).map((term) => ({ ...term, uses: Number(term.uses) })) }));
    },

    async addTerm(actor: Actor | null, input: { taxonomyId: string; code: string; name: string; description: string }): Promise<Outcome> {
      const signedIn = requireCan(actor, 'taxonomy.manage');
      const errors: FieldErrors = {};
      const code = input.code.trim().toLowerCase();
      const name = input.name.trim();
      const taxonomies = await repository.taxonomies();
      const taxonomy = taxonomies.find((t) => t.id === input.taxonomyId);
      if (!taxonomy) errors.taxonomyId = 'Choose a taxonomy';
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(code)) errors.code = 'Enter a code of lower-case letters, digits and hyphens, like mental-health';
      if (!name) errors.name = 'Enter the term’s name';
      if (taxonomy && code && (await repository.findTermByCode(taxonomy.id, code))) errors.code = `${taxonomy.name} already has a term with this code`;
      if (Object.keys(errors).length > 0 || !taxonomy) return { ok: false, errors };
      await repository.transaction(async (trx) => {
        const id = await repository.insertTerm({ taxonomy_id: taxonomy.id, code, name, description: input.description.trim(), parent_id: null }, trx);
        await audit.record(signedIn, { action: 'taxonomy.term_added', targetType: 'taxonomy_term', targetId: id, summary: `Added ${taxonomy.name} term “${name}” (${code})` }, trx);
      });
      return { ok: true };
    },

    async editTerm(actor: Actor | null, id: string, input: { name: string; description: string }): Promise<Outcome> {
      const signedIn = requireCan(actor, 'taxonomy.manage');
      const term = await repository.findTerm(id);
      if (!term) throw new NotFoundError('taxonomy term', id);
      const name = input.name.trim();
      if (!name) return { ok: false, errors: { [`name-${id}`]: 'Enter the term’s name' } };
      await repository.transaction(async (trx) => {
        await repository.updateTerm(id, { name, description: input.description.trim() }, trx);
        await audit.record(signedIn, { action: 'taxonomy.term_changed', targetType: 'taxonomy_term', targetId: id, summary: `Renamed term ${term.code} from “${term.name}” to “${name}”`, details: { before: { name: term.name, description: term.description } } }, trx);
      });
      return { ok: true };
    },

    async deleteTerm(actor: Actor | null, id: string): Promise<Outcome> {
      const signedIn = requireCan(actor, 'taxonomy.manage');
      const term = await repository.findTerm(id);
      if (!term) throw new NotFoundError('taxonomy term', id);
      const uses = await repository.termUses(id);
      if (uses > 0) return { ok: false, errors: { [`name-${id}`]: `“${term.name}” describes ${uses} listings: remove it from them first` } };
      await repository.transaction(async (trx) => {
        await repository.deleteTerm(id, trx);
        await audit.record(signedIn, { action: 'taxonomy.term_deleted', targetType: 'taxonomy_term', targetId: id, summary: `Deleted term “${term.name}” (${term.code})` }, trx);
      });
      return { ok: true };
    },

    async searchAudit(actor: Actor | null, search: AuditSearch) {
      const scoped = auditScope(actor, search);
      const [result, actions] = await Promise.all([audit.search(scoped), audit.actions()]);
      return { ...result, actions };
    },

    async exportAudit(actor: Actor | null, search: AuditSearch): Promise<AsyncGenerator<string>> {
      const scoped = auditScope(actor, search);
      await audit.record(actor, { action: 'audit.exported', summary: `Exported the audit log as CSV${search.text ? ` (search “${search.text}”)` : ''}`, details: { ...search } });
      return audit.csv(scoped);
    },

    async jobsPage(actor: Actor | null) {
      requireCan(actor, 'jobs.view');
      const [counts, failed, retrying] = await Promise.all([jobs.counts(), jobs.list({ status: 'failed', limit: 50 }), jobs.list({ status: 'pending', limit: 50 })]);
      return { counts, failed, retrying: retrying.filter((job) => job.last_error) };
    },

    async retryJob(actor: Actor | null, jobId: string): Promise<boolean> {
      const signedIn = requireCan(actor, 'jobs.view');
      const retried = await jobs.retry(jobId);
      if (retried) await audit.record(signedIn, { action: 'job.retried', targetType: 'job', targetId: jobId, summary: `Retried failed job ${jobId}` });
      return retried;
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
