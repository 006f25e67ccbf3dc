import { EntityManager } from 'typeorm';
import { MatchingRule, canonicalJson } from '@rtp/contracts';
import { OutgoingMessage, eventIds, reconciliationEvent } from '@rtp/reconciler/application';
import { RuleDefinition, RuleId } from '@rtp/reconciler/domain';
import { createHash } from 'node:crypto';

/**
 * Activates the rules' definitions: a definition equal to the latest stored version keeps it, a
 * changed one gets the next version. When any changed, the rules in force are published (one
 * event per set, id from its digest). Returns the versions in force.
 */
export async function activateRules(
  manager: EntityManager,
  definitions: RuleDefinition[],
  partnerIds: readonly string[],
  at: Date,
): Promise<{ versions: Map<RuleId, number>; messages: OutgoingMessage[] }> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('reconciler:rules'))`);
  const rows: { rule_id: string; version: number; definition: RuleDefinition }[] =
    await manager.query(
      `SELECT DISTINCT ON (rule_id) rule_id, version, definition FROM reconciler.matching_rules
       ORDER BY rule_id, version DESC`,
    );
  const latest = new Map(rows.map((row) => [row.rule_id, row]));
  const versions = new Map<RuleId, number>();
  const rules: MatchingRule[] = [];
  let changed = false;
  for (const definition of definitions) {
    const stored = latest.get(definition.ruleId);
    let version = stored?.version ?? 0;
    if (!stored || canonicalJson(stored.definition) !== canonicalJson(definition)) {
      version += 1;
      changed = true;
      await manager.query(
        `INSERT INTO reconciler.matching_rules (rule_id, version, definition, activated_at)
         VALUES ($1, $2, $3, $4)`,
        [definition.ruleId, version, JSON.stringify(definition), at],
      );
    }
    versions.set(definition.ruleId as RuleId, version);
    rules.push({ ...definition, version });
  }
  if (!changed) return { versions, messages: [] };
  const digest = createHash('sha256').update(canonicalJson(rules)).digest('hex').slice(0, 24);
  const messages = partnerIds.map((partnerId) =>
    reconciliationEvent(
      'MatchingRulesActivated',
      eventIds.rulesActivated(`${partnerId}:${digest}`),
      partnerId,
      { rules, at: at.toISOString() },
      `rules:${digest}`,
      at,
    ),
  );
  return { versions, messages };
}
