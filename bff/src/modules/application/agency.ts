// Applying for someone else (亲友代办). A citizen authorises a person, named by real name and
// identity number, for chosen items or all, for a period; that person accepts from their own
// account (bound to the same identity) and can then act in the principal's name — apply, book,
// take numbers, correct and rate — through the one X-Act-As hook (plugins/acting), which asks
// this service about the grant on every step: revocation takes effect at the agent's next one.
// Everything done under a grant is written to an append-only log that both sides read.
import type { AgencyAction, Grant, GrantBody } from '@onewindow/shared-types';
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import type { Acting, ActingResolver, ActTarget } from '../../plugins/acting';
import { GENERAL_CATEGORY } from '../booking/service';
import type { CatalogueService } from '../catalogue/service';
import { keyedHash, maskIdNumber } from '../../identity-protection';
import type { AgencyActionDoc, ApplicationModels, GrantDoc } from './model';
import type { RealNameFacts } from './service';

const DAY_MS = 86_400_000;

export class AgencyService implements ActingResolver {
  constructor(
    private readonly models: ApplicationModels,
    private readonly citizens: RealNameFacts,
    private readonly catalogue: CatalogueService,
    private readonly identity: Config['identity'],
    private readonly now: () => Date,
  ) {}

  async grant(userId: string, body: GrantBody): Promise<Grant> {
    const principal = await this.facts(userId);
    const agentIdNumber = body.agentIdNumber.toUpperCase();
    if (agentIdNumber === principal.idNumber) throw new AppError('INVALID_INPUT', '不能授权本人为代办人');
    const at = this.now();
    const grant = (
      await this.models.Grant.create({
        principalUserId: userId,
        principalName: principal.name,
        agentName: body.agentName.trim(),
        agentKey: keyedHash(this.identity.hashKey, agentIdNumber),
        agentIdMasked: maskIdNumber(agentIdNumber),
        agentUserId: null,
        itemCodes: body.itemCodes ? [...new Set(body.itemCodes)] : null,
        state: 'pending',
        validUntil: new Date(at.getTime() + body.days * DAY_MS),
        createdAt: at,
        acceptedAt: null,
        revokedAt: null,
      })
    ).toObject();
    await this.record(grant, 'grant', userId, principal.name);
    return this.view(grant, userId);
  }

  /** Grants the citizen gave and grants given to them (matched by the identity their account is bound to). */
  async list(userId: string): Promise<{ grants: Grant[] }> {
    const me = await this.facts(userId);
    const key = keyedHash(this.identity.hashKey, me.idNumber);
    const grants = await this.models.Grant.find({ $or: [{ principalUserId: userId }, { agentKey: key }] })
      .sort({ createdAt: -1 })
      .limit(100)
      .lean<GrantDoc[]>();
    return { grants: grants.map((g) => this.view(g, userId)) };
  }

  /** The named agent, bound to that identity and name, takes the grant up. */
  async accept(userId: string, grantId: string): Promise<Grant> {
    const me = await this.facts(userId);
    const grant = await this.models.Grant.findOne({
      _id: new Types.ObjectId(grantId),
      agentKey: keyedHash(this.identity.hashKey, me.idNumber),
    }).lean<GrantDoc>();
    // A grant to someone else is not revealed; neither is one whose name does not match the binding.
    if (!grant || grant.agentName !== me.name) throw new AppError('NOT_FOUND', '代办授权不存在');
    if (grant.validUntil <= this.now()) throw new AppError('AGENT_NOT_AUTHORISED');
    const accepted = await this.models.Grant.findOneAndUpdate(
      { _id: grant._id, state: 'pending' },
      { $set: { state: 'active', agentUserId: userId, acceptedAt: this.now() } },
      { returnDocument: 'after' },
    ).lean<GrantDoc>();
    if (!accepted) throw new AppError('GRANT_NOT_PENDING');
    await this.record(accepted, 'accept', userId, me.name);
    return this.view(accepted, userId);
  }

  /** The principal withdraws it; whatever the agent does next is refused. */
  async revoke(userId: string, grantId: string): Promise<Grant> {
    const grant = await this.models.Grant.findOne({
      _id: new Types.ObjectId(grantId),
      principalUserId: userId,
    }).lean<GrantDoc>();
    if (!grant) throw new AppError('NOT_FOUND', '代办授权不存在');
    const revoked = await this.models.Grant.findOneAndUpdate(
      { _id: grant._id, state: { $in: ['pending', 'active'] } },
      { $set: { state: 'revoked', revokedAt: this.now() } },
      { returnDocument: 'after' },
    ).lean<GrantDoc>();
    if (!revoked) throw new AppError('GRANT_NOT_PENDING');
    await this.record(revoked, 'revoke', userId, grant.principalName);
    return this.view(revoked, userId);
  }

  /**
   * X-Act-As: the caller's accepted grant, unexpired and unrevoked, else AGENT_NOT_AUTHORISED.
   * The agent is named by the name they bound (the grant's own agent name matched it on accept).
   */
  async resolve(agentUserId: string, grantId: string) {
    const grant = await this.models.Grant.findOne({
      _id: new Types.ObjectId(grantId),
      agentUserId,
    }).lean<GrantDoc>();
    if (!grant || grant.state !== 'active' || grant.validUntil <= this.now())
      throw new AppError('AGENT_NOT_AUTHORISED');
    return {
      grantId: String(grant._id),
      agent: { userId: agentUserId, name: grant.agentName },
      principalUserId: grant.principalUserId,
      principalName: grant.principalName,
      itemCodes: grant.itemCodes,
    };
  }

  /**
   * Whether a grant for these items covers the target. A number is taken for a line: covered when
   * one of the items is accepted at that hall and served on that line (its own, or 综合 where the
   * hall has no line of its own for it).
   */
  async covers(itemCodes: string[], target: ActTarget): Promise<boolean> {
    if ('itemCode' in target) return itemCodes.includes(target.itemCode);
    const { hall } = await this.catalogue.hall(target.hallId);
    const lines = new Set(hall.categories.map((c) => c.code));
    for (const code of itemCodes) {
      const item = await this.catalogue
        .item(code)
        .then((r) => r.item)
        .catch(() => null);
      if (!item || !item.hallIds.includes(hall.id)) continue;
      const line = lines.has(item.category) ? item.category : GENERAL_CATEGORY;
      if (line === target.category) return true;
    }
    return false;
  }

  async log(
    acting: Acting,
    done: { ref: string | null; targetId: string | null; acceptNo: string | null },
  ): Promise<void> {
    await this.models.AgencyAction.create({
      at: this.now(),
      grantId: acting.grantId,
      action: acting.action,
      actorUserId: acting.agent.userId,
      actorName: acting.agent.name,
      principalUserId: acting.principalUserId,
      principalName: acting.principalName,
      itemCode: 'itemCode' in acting.target ? acting.target.itemCode : null,
      acceptNo: done.acceptNo,
      ref: done.ref,
      targetId: done.targetId,
      line: 'hallId' in acting.target ? acting.target : null,
    });
  }

  /** Everything done in the citizen's name, and under every grant they hold as agent, newest first. */
  async actions(userId: string): Promise<{ actions: AgencyAction[] }> {
    const held = await this.models.Grant.find({ agentUserId: userId }, { _id: 1 })
      .limit(500)
      .lean<GrantDoc[]>();
    const actions = await this.models.AgencyAction.find({
      $or: [
        { principalUserId: userId },
        { actorUserId: userId },
        { grantId: { $in: held.map((g) => String(g._id)) } },
      ],
    })
      .sort({ at: -1 })
      .limit(200)
      .lean<AgencyActionDoc[]>();
    return {
      actions: actions.map((a) => ({
        at: a.at.toISOString(),
        grantId: a.grantId,
        action: a.action,
        actorName: a.actorName,
        principalName: a.principalName,
        itemCode: a.itemCode,
        acceptNo: a.acceptNo,
        ref: a.ref ?? null,
        targetId: a.targetId ?? null,
        forMe: a.principalUserId === userId,
      })),
    };
  }

  async record(
    grant: GrantDoc,
    action: AgencyActionDoc['action'],
    actorUserId: string,
    actorName: string,
    extra: { itemCode?: string; acceptNo?: string } = {},
  ): Promise<void> {
    await this.models.AgencyAction.create({
      at: this.now(),
      grantId: String(grant._id),
      action,
      actorUserId,
      actorName,
      principalUserId: grant.principalUserId,
      principalName: grant.principalName,
      itemCode: extra.itemCode ?? null,
      acceptNo: extra.acceptNo ?? null,
    });
  }

  private async facts(userId: string) {
    const facts = await this.citizens.realNameFacts(userId);
    if (!facts) throw new AppError('REALNAME_REQUIRED');
    return facts;
  }

  private view(g: GrantDoc, userId: string): Grant {
    const state = g.state !== 'revoked' && g.validUntil <= this.now() ? 'expired' : g.state;
    return {
      id: String(g._id),
      role: g.principalUserId === userId ? 'principal' : 'agent',
      principalName: g.principalName,
      agentName: g.agentName,
      agentIdMasked: g.agentIdMasked,
      itemCodes: g.itemCodes,
      state,
      validUntil: g.validUntil.toISOString(),
      createdAt: g.createdAt.toISOString(),
      acceptedAt: g.acceptedAt ? g.acceptedAt.toISOString() : null,
      revokedAt: g.revokedAt ? g.revokedAt.toISOString() : null,
    };
  }
}
