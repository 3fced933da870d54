// Reading `explain` output the same way for the offline server and a real MongoDB 7.0, whose
// plans may nest under `stages[].$cursor`, `queryPlan` (slot-based engine) or `shards`.
import type { Document } from 'mongodb';

function walk(node: unknown, visit: (doc: Document) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (node && typeof node === 'object' && !(node instanceof Date)) {
    visit(node);
    for (const [key, value] of Object.entries(node))
      if (key !== 'rejectedPlans' && key !== 'command') walk(value, visit);
  }
}

/** The winning plans of an explain answer (one per pipeline cursor). */
function winningPlans(explained: Document): Document[] {
  const plans: Document[] = [];
  walk(explained, (doc) => {
    if (doc.queryPlanner && typeof doc.queryPlanner === 'object')
      plans.push((doc.queryPlanner as Document).winningPlan as Document);
  });
  return plans;
}

/** Every stage name of the winning plans, outermost first. */
export function planStages(explained: Document): string[] {
  const stages: string[] = [];
  for (const plan of winningPlans(explained))
    walk(plan, (doc) => typeof doc.stage === 'string' && stages.push(doc.stage));
  return stages;
}

/** The index names the winning plans scan. */
export function winningIndexes(explained: Document): string[] {
  const names: string[] = [];
  for (const plan of winningPlans(explained))
    walk(plan, (doc) => typeof doc.indexName === 'string' && names.push(doc.indexName));
  return [...new Set(names)];
}

/** Documents read by every cursor of an explain answer at `executionStats` verbosity. */
export function docsExamined(explained: Document): number {
  let total = 0;
  walk(explained, (doc) => {
    const stats = doc.executionStats as Document | undefined;
    if (stats && typeof stats.totalDocsExamined === 'number') total += stats.totalDocsExamined;
  });
  return total;
}
