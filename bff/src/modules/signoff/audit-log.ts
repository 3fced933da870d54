// The decision audit log (审批留痕): append-only, each entry chained to the one before by a
// SHA-256 hash over its fields and the previous hash, so changing, removing or reordering any
// entry breaks the chain from that entry on. The application only ever inserts; the chain is
// what shows whether anyone with database access did otherwise.
import { createHash } from 'node:crypto';
import type { Model } from 'mongoose';
import type { AuditEntryDoc } from './model';

export type AuditFacts = Omit<AuditEntryDoc, '_id' | 'prevHash' | 'hash'>;

const GENESIS = '0'.repeat(64);
/** Appenders racing for the same place retry; this many losses in a row means something is wrong. */
const MAX_RACES = 100;

function hashOf(seq: number, facts: AuditFacts, prevHash: string): string {
  // A fixed field order, so the hash does not depend on how a document happens to be stored.
  const canonical = JSON.stringify([
    seq,
    new Date(facts.at).toISOString(),
    facts.actorId,
    facts.role,
    facts.taskId,
    facts.acceptNo,
    facts.hallId,
    facts.district,
    facts.departmentCode,
    facts.decision,
    facts.opinion,
    facts.signatureKey ?? null,
    (facts.deficiencies ?? []).map((d) => [d.materialCode, d.reason]),
    facts.requestId,
    facts.decisionId,
    prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainCheck {
  verified: boolean;
  length: number;
  /** The first entry whose hash, link or place does not fit; null when the chain is whole. */
  brokenAt: number | null;
}

export class AuditLog {
  constructor(private readonly entries: Model<AuditEntryDoc>) {}

  /**
   * Appends the facts of one applied decision as the next entry. Idempotent per decision: a
   * retried append after a crash finds the entry already there (a unique index on
   * `decisionId`) instead of writing it twice.
   */
  async append(facts: AuditFacts): Promise<AuditEntryDoc> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const existing = await this.entries.findOne({ decisionId: facts.decisionId }).lean<AuditEntryDoc>();
      if (existing) return existing;
      const last = await this.entries
        .findOne({}, { _id: 1, hash: 1 })
        .sort({ _id: -1 })
        .lean<Pick<AuditEntryDoc, '_id' | 'hash'>>();
      const seq = (last?._id ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS;
      const entry = { _id: seq, ...facts, prevHash, hash: hashOf(seq, facts, prevHash) };
      try {
        await this.entries.create(entry);
        return entry;
      } catch (error) {
        // Another appender took this place (or appended this very decision): look again.
        if ((error as { code?: number }).code !== 11000) throw error;
      }
    }
    throw new Error('audit log: could not find a free place after many attempts');
  }

  /** Walks the whole chain from its first entry. */
  async verify(): Promise<ChainCheck> {
    let expectedSeq = 1;
    let prevHash = GENESIS;
    let brokenAt: number | null = null;
    for await (const entry of this.entries.find({}).sort({ _id: 1 }).lean<AuditEntryDoc[]>().cursor()) {
      const doc = entry;
      if (
        brokenAt === null &&
        (doc._id !== expectedSeq ||
          doc.prevHash !== prevHash ||
          doc.hash !== hashOf(doc._id, doc, doc.prevHash))
      )
        brokenAt = doc._id;
      prevHash = doc.hash;
      expectedSeq = doc._id + 1;
    }
    return { verified: brokenAt === null, length: expectedSeq - 1, brokenAt };
  }

  list(filter: Record<string, unknown>, limit: number): Promise<AuditEntryDoc[]> {
    return this.entries.find(filter).sort({ _id: -1 }).limit(limit).lean<AuditEntryDoc[]>();
  }
}
