// Online application (在线申报). A draft is kept per citizen and item, resumable from any phone
// and deleted 30 days after its last change; its form is checked field by field against the
// item's rules; each material is satisfied by an e-licence from the library (shown, never
// uploaded), a file uploaded straight to OSS, or a signed commitment where the guide allows it.
// The submission is claimed once per draft and sent with the draft's one idempotency key, so a
// double tap, a retry after a lost answer, or the sweep all reach the same case.
// 代办: an agent acts on the principal's draft through the one X-Act-As hook (plugins/acting), as
// for booking and the rest: the draft is hers, each step passes the agent (`AgentStep`) so the
// draft, the library query, the case and the agency log name who acted.
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type {
  ApplicationDraft,
  ApplicationList,
  ApplicationUploadPolicyBody,
  ChooseMaterialBody,
  FieldProblem,
  LicenceList,
  LicenceView,
  UploadPolicy,
} from '@onewindow/shared-types';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { issueUploadPolicy } from '../../uploads/upload-policy';
import type { Acting } from '../../plugins/acting';
import { CoreRejection, type CoreClient } from '../../plugins/core-client';
import type { OssClient } from '../../plugins/oss-client';
import { shanghaiDate } from '@onewindow/shared-types/shanghai-time';
import { deleteOrphanUploads, verifyUploadedObject } from '../../uploads/uploaded-object';
import { maskIdNumber } from '../../identity-protection';
import type { CoreCase } from '../../core-contract';
import type { ProgressService } from '../progress/service';
import type { AgencyService } from './agency';
import { isAssistedApplicant, isStaffKeeper, type AssistedService } from './assisted';
import { checkForm, refuseUnknown } from './form-rules';
import type {
  ApplicationForm,
  ApplicationModels,
  ApplicationUploadDoc,
  ChosenMaterial,
  DraftDoc,
} from './model';

export interface ApplicationConfig {
  /** A draft not changed for this long is deleted. */
  draftTtlDays: number;
  upload: Config['upload'];
}

/** The real-name facts a form is prefilled from. */
export interface RealNameFacts {
  realNameFacts(userId: string): Promise<{ name: string; idNumber: string; phone: string } | null>;
}

interface CoreLicence {
  licenceNo: string;
  type: LicenceView['type'];
  name: string;
  holderIdNumber: string;
  number: string;
  issuer: string;
  validFrom: string;
  validUntil: string | null;
}

/** The agent acting on the principal's draft (the request's X-Act-As), or null when she acts herself. */
export type AgentStep = Pick<Acting, 'grantId' | 'agent' | 'principalName'> | null;

/** A claim still `submitting` after this long was left by a crash or an unanswered call; the sweep settles it. */
const STALE_CLAIM_MS = 60_000;
const DAY_MS = 86_400_000;

/** Where every upload for one material of one draft lives; nothing else can be chosen for it. */
function materialPrefix(draftId: string, materialCode: string): string {
  return `applications/${draftId}/${materialCode}/`;
}

export class ApplicationService {
  constructor(
    private readonly models: ApplicationModels,
    private readonly core: CoreClient,
    private readonly oss: OssClient,
    private readonly progress: ProgressService,
    private readonly citizens: RealNameFacts,
    private readonly agency: AgencyService,
    private readonly assisted: AssistedService,
    private readonly config: ApplicationConfig,
    private readonly now: () => Date,
  ) {}

  /**
   * The citizen's open draft of the item (another phone's, or the one her agent started, resumed),
   * or a new one prefilled from real-name facts. An agent (X-Act-As) reaches the principal's.
   */
  async start(
    userId: string,
    itemCode: string,
    agent: AgentStep,
    assistedId?: string,
  ): Promise<ApplicationDraft> {
    // 帮办: a clerk applies only for a walk-in citizen who signed consent, never for themself.
    const assistedApplicant = assistedId
      ? await this.assisted.applicantFor(userId, assistedId, itemCode)
      : null;
    if (!assistedApplicant && isStaffKeeper(userId)) throw new AppError('CONSENT_REQUIRED');
    const principalUserId = assistedApplicant;
    const facts = await this.facts(principalUserId ?? userId);
    const open = await this.openDraft(userId, itemCode, principalUserId);
    if (open) return this.view(open, facts, agent);
    const form = await this.form(itemCode);
    const at = this.now();
    // Editable prefilled fields start with the fact (the phone); locked ones are never stored.
    const values = Object.fromEntries(
      form.fields.filter((f) => f.prefill && !f.locked).map((f) => [f.name, facts[f.prefill!]]),
    );
    try {
      const draft = await this.models.Draft.create({
        userId,
        principalUserId,
        grantId: agent?.grantId ?? null,
        agentUserId: agent?.agent.userId ?? null,
        agentName: agent?.agent.name ?? null,
        itemCode,
        form,
        values,
        materials: [],
        state: 'draft',
        open: true,
        version: 1,
        idempotencyKey: randomUUID(),
        acceptNo: null,
        createdAt: at,
        updatedAt: at,
        expiresAt: this.expiry(at),
        claimedAt: null,
        submittedAt: null,
      });
      if (agent) await this.logAgent(agent, userId, 'start_draft', itemCode, null);
      if (assistedApplicant) await this.assisted.drafted(assistedApplicant, String(draft._id));
      return this.view(draft.toObject(), facts, agent);
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      // Two phones started the item at once: both get the one draft.
      return this.view((await this.openDraft(userId, itemCode, principalUserId))!, facts, agent);
    }
  }

  async list(userId: string): Promise<ApplicationList> {
    // Their own (some an agent acted on in their name), and those they acted on for others (代办).
    const drafts = await this.models.Draft.find({
      $and: [
        { $or: [{ userId }, { agentUserId: userId }] },
        { $or: [{ state: { $ne: 'draft' } }, { expiresAt: { $gt: this.now() } }] },
      ],
    })
      .sort({ updatedAt: -1 })
      .limit(100)
      .lean<DraftDoc[]>();
    // Whose each 代办 draft is, by name, for the agent's list.
    const principals = new Map<string, string>();
    for (const id of new Set(drafts.filter((d) => d.userId !== userId).map((d) => d.userId)))
      principals.set(id, (await this.citizens.realNameFacts(id))?.name ?? '');
    const forOther = (d: DraftDoc) => d.userId !== userId;
    return {
      applications: drafts.map((d) => ({
        id: String(d._id),
        grantId: forOther(d) ? (d.grantId ?? null) : null,
        principalName: forOther(d) ? (principals.get(d.userId) ?? null) : null,
        agentName: !forOther(d) && d.agentUserId ? (d.agentName ?? null) : null,
        itemCode: d.itemCode,
        itemName: d.form.itemName,
        state: d.state,
        updatedAt: d.updatedAt.toISOString(),
        expiresAt: d.state === 'draft' && d.expiresAt ? d.expiresAt.toISOString() : null,
        acceptNo: d.acceptNo,
      })),
    };
  }

  async get(userId: string, draftId: string, agent: AgentStep): Promise<ApplicationDraft> {
    const draft = await this.owned(userId, draftId);
    return this.view(draft, await this.applicant(draft), agent);
  }

  /** The item of the citizen's live draft, for the X-Act-As hook's scope check; else NOT_FOUND. */
  async itemOf(userId: string, draftId: string): Promise<string> {
    return (await this.owned(userId, draftId)).itemCode;
  }

  /** Saves the given values (each field checked, every problem returned at once in the view). */
  async saveValues(
    userId: string,
    draftId: string,
    values: Record<string, string>,
    agent: AgentStep,
  ): Promise<ApplicationDraft> {
    const draft = await this.owned(userId, draftId);
    const refused = refuseUnknown(draft.form.fields, values);
    if (refused.length > 0)
      throw new AppError('APPLICATION_FORM_INVALID', refused.map((p) => p.message).join('；'), {
        problems: refused,
      });
    const set: Record<string, unknown> = {};
    // Field names are checked against the form (letters and digits only), so each is a safe path.
    for (const [name, value] of Object.entries(values)) set[`values.${name}`] = value.trim();
    return this.change(userId, draft, set, agent);
  }

  /** The citizen's e-licences of the type a material takes, each with issuer and validity (the query is logged with its purpose). */
  async licences(
    userId: string,
    draftId: string,
    materialCode: string,
    agent: AgentStep,
  ): Promise<LicenceList> {
    const draft = await this.owned(userId, draftId);
    const material = this.material(draft, materialCode);
    if (!material.licenceType) throw new AppError('LICENCE_NOT_AVAILABLE');
    return {
      licences: (await this.queryLicences(userId, draft, material.licenceType, agent)).map((l) =>
        this.licenceView(l),
      ),
    };
  }

  async chooseMaterial(
    userId: string,
    draftId: string,
    materialCode: string,
    body: ChooseMaterialBody,
    agent: AgentStep,
  ): Promise<ApplicationDraft> {
    const draft = await this.owned(userId, draftId);
    if (draft.state !== 'draft') throw new AppError('APPLICATION_SUBMITTED');
    const material = this.material(draft, materialCode);
    let chosen: ChosenMaterial;
    if (body.via === 'licence') {
      if (!material.licenceType) throw new AppError('LICENCE_NOT_AVAILABLE');
      // Asked of the library by the holder's own identity: another person's licence is simply not there.
      const licence = (await this.queryLicences(userId, draft, material.licenceType, agent)).find(
        (l) => l.licenceNo === body.licenceNo,
      );
      if (!licence) throw new AppError('LICENCE_NOT_HELD');
      const view = this.licenceView(licence);
      if (!view.valid) throw new AppError('LICENCE_EXPIRED', undefined, { validUntil: view.validUntil });
      chosen = { materialCode, via: 'licence', licence: view };
    } else if (body.via === 'commitment') {
      if (!material.commitment) throw new AppError('COMMITMENT_NOT_ALLOWED');
      chosen = { materialCode, via: 'commitment', commitment: material.commitment, signedAt: this.now() };
    } else {
      if (!body.key.startsWith(materialPrefix(draftId, materialCode)) || body.key.split('/').includes('..'))
        throw new AppError('UPLOAD_KEY_INVALID', '文件不属于该申报材料，请重新上传', { key: body.key });
      const upload = await this.models.Upload.findOne({ key: body.key }).lean<ApplicationUploadDoc>();
      if (!upload)
        throw new AppError('UPLOAD_KEY_INVALID', '文件不属于该申报材料，请重新上传', { key: body.key });
      if (upload.userId !== userId) throw new AppError('UPLOAD_NOT_YOURS');
      if (upload.state === 'deleting' || upload.state === 'deleted') throw new AppError('UPLOAD_MISSING');
      await verifyUploadedObject(this.oss, upload, this.config.upload.maxBytes);
      // Taken out of the orphan sweep's reach by the same conditional flip the sweep competes with.
      const taken = await this.models.Upload.updateOne(
        { key: body.key, state: { $in: ['issued', 'used'] } },
        { $set: { state: 'used', stateAt: this.now() } },
      );
      if (taken.matchedCount !== 1) throw new AppError('UPLOAD_MISSING');
      chosen = { materialCode, via: 'upload', uploadKey: upload.key, fileName: upload.fileName };
    }
    const replaced = draft.materials.find((m) => m.materialCode === materialCode);
    const view = await this.change(
      userId,
      draft,
      { materials: [...draft.materials.filter((m) => m.materialCode !== materialCode), chosen] },
      agent,
    );
    await this.releaseUpload(replaced, chosen);
    return view;
  }

  async clearMaterial(
    userId: string,
    draftId: string,
    materialCode: string,
    agent: AgentStep,
  ): Promise<ApplicationDraft> {
    const draft = await this.owned(userId, draftId);
    this.material(draft, materialCode);
    const replaced = draft.materials.find((m) => m.materialCode === materialCode);
    const view = await this.change(
      userId,
      draft,
      { materials: draft.materials.filter((m) => m.materialCode !== materialCode) },
      agent,
    );
    await this.releaseUpload(replaced, null);
    return view;
  }

  /** A PostObject policy for one file of one material of the draft, and the upload's record. */
  async policy(userId: string, body: ApplicationUploadPolicyBody): Promise<UploadPolicy> {
    const draft = await this.owned(userId, body.draftId);
    if (draft.state !== 'draft') throw new AppError('APPLICATION_SUBMITTED');
    this.material(draft, body.materialCode);
    const { maxBytes, policyTtlSeconds, policiesPerNotice } = this.config.upload;
    return issueUploadPolicy(
      this.models.Upload,
      this.oss,
      { maxBytes, policyTtlSeconds, perOwner: policiesPerNotice },
      this.now(),
      {
        file: body,
        owner: { userId, draftId: body.draftId },
        fields: { userId, draftId: body.draftId, materialCode: body.materialCode, fileName: body.fileName },
        keyPrefix: materialPrefix(body.draftId, body.materialCode),
      },
    );
  }

  async discard(userId: string, draftId: string): Promise<void> {
    const draft = await this.owned(userId, draftId);
    if (draft.state !== 'draft') throw new AppError('APPLICATION_SUBMITTED');
    const removed = await this.models.Draft.deleteOne({ _id: draft._id, userId, state: 'draft' });
    if (removed.deletedCount !== 1) throw new AppError('APPLICATION_SUBMITTED');
    // Its uploads go back to the orphan sweep.
    await this.models.Upload.updateMany(
      { draftId, state: 'used' },
      { $set: { state: 'issued', stateAt: this.now() } },
    );
  }

  /**
   * The one submission of a draft. Everything is checked before the claim, so a refusal leaves
   * the draft as it was; the claim is a conditional flip of the version that was checked, and
   * every later submit of the draft (a double tap, a retry after a lost answer) sends the same
   * claim with the same key, so the core system makes one case.
   */
  async submit(userId: string, draftId: string, agent: AgentStep): Promise<ApplicationDraft> {
    const draft = await this.owned(userId, draftId);
    if (draft.state === 'submitted') return this.view(draft, await this.applicant(draft), agent);
    if (draft.state === 'submitting') return this.send(draft, agent);
    const problems = checkForm(draft.form.fields, draft.values, this.now());
    if (problems.length > 0)
      throw new AppError('APPLICATION_FORM_INVALID', problems.map((p) => p.message).join('；'), { problems });
    const missing = this.missingMaterials(draft);
    if (missing.length > 0)
      throw new AppError(
        'APPLICATION_MATERIALS_MISSING',
        `还需提交：${missing.map((m) => m.name).join('、')}`,
        { missing: missing.map((m) => m.code) },
      );
    const expired = draft.materials.find((m) => m.licence && !this.validToday(m.licence));
    if (expired) throw new AppError('LICENCE_EXPIRED', undefined, { materialCode: expired.materialCode });
    const at = this.now();
    const claim = await this.models.Draft.findOneAndUpdate(
      { _id: draft._id, userId, state: 'draft', version: draft.version },
      {
        $set: {
          state: 'submitting',
          claimedAt: at,
          updatedAt: at,
          // Who submits: the case and the log name this agent, or nobody when she submits herself.
          grantId: agent?.grantId ?? null,
          agentUserId: agent?.agent.userId ?? null,
          agentName: agent?.agent.name ?? null,
        },
      },
      { returnDocument: 'after' },
    ).lean<DraftDoc>();
    // Another submit claimed it first (share its outcome), or it changed since it was checked (check again).
    if (!claim) return this.submit(userId, draftId, agent);
    return this.send(claim, agent);
  }

  /**
   * Settles claims a crash or an unanswered call left `submitting`, deletes drafts not changed
   * for the TTL, and deletes uploads never used. Returns what it did, for logs and tests.
   */
  async sweep(): Promise<{ settled: number; expired: number; deleted: number }> {
    const now = this.now();
    let settled = 0;
    const stale = await this.models.Draft.find({
      state: 'submitting',
      claimedAt: { $lt: new Date(now.getTime() - STALE_CLAIM_MS) },
    })
      .limit(200)
      .lean<DraftDoc[]>();
    for (const claim of stale) {
      await this.send(claim, null).then(
        () => (settled += 1),
        (error: unknown) => {
          if (error instanceof AppError && error.code !== 'UPSTREAM_UNAVAILABLE') settled += 1;
        },
      );
    }
    const gone = await this.models.Draft.find({ state: 'draft', expiresAt: { $lte: now } }, { _id: 1 })
      .limit(500)
      .lean<DraftDoc[]>();
    let expired = 0;
    for (const draft of gone) {
      // Conditional on still being expired: a save that just renewed it wins.
      const removed = await this.models.Draft.deleteOne({
        _id: draft._id,
        state: 'draft',
        expiresAt: { $lte: now },
      });
      if (removed.deletedCount !== 1) continue;
      expired += 1;
      await this.models.Upload.updateMany(
        { draftId: String(draft._id), state: 'used' },
        { $set: { state: 'issued', stateAt: new Date(0) } },
      );
    }
    const deleted = await deleteOrphanUploads(
      this.models.Upload,
      this.oss,
      new Date(now.getTime() - this.config.upload.orphanGraceMs),
      this.now,
    );
    return { settled, expired, deleted };
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Sends a claim; a definite refusal gives the draft back to the citizen, an unknown outcome keeps the claim for a retry. */
  private async send(claim: DraftDoc, viewer: AgentStep): Promise<ApplicationDraft> {
    const facts = await this.applicant(claim);
    const actor = claim.agentUserId ? await this.facts(claim.agentUserId) : null;
    const editable = new Set(claim.form.fields.filter((f) => !f.locked).map((f) => f.name));
    let created: CoreCase;
    try {
      ({ case: created } = await this.core.call<{ case: CoreCase }>('POST', '/api/applications', {
        body: {
          idempotencyKey: claim.idempotencyKey,
          itemCode: claim.itemCode,
          applicantIdNumber: facts.idNumber,
          ...(actor ? { actorIdNumber: actor.idNumber } : {}),
          values: Object.fromEntries(
            Object.entries(claim.values).filter(([name, value]) => editable.has(name) && value !== ''),
          ),
          materials: claim.materials.map((m) => ({
            materialCode: m.materialCode,
            source: m.via,
            ...(m.licence ? { licenceNo: m.licence.licenceNo } : {}),
            ...(m.uploadKey ? { key: m.uploadKey } : {}),
          })),
        },
        idempotent: true,
      }));
    } catch (error) {
      if (!(error instanceof CoreRejection)) throw error;
      // The core system answered no: nothing was created, so the draft is the citizen's again.
      await this.models.Draft.updateOne(
        { _id: claim._id, state: 'submitting' },
        { $set: { state: 'draft', claimedAt: null, updatedAt: this.now() }, $inc: { version: 1 } },
      );
      throw refusal(error);
    }
    // The case copy first: whoever then sees the draft submitted can open the case at once.
    await this.progress.store(created);
    const at = this.now();
    const flipped = await this.models.Draft.updateOne(
      { _id: claim._id, state: 'submitting' },
      {
        $set: {
          state: 'submitted',
          acceptNo: created.acceptNo,
          submittedAt: at,
          updatedAt: at,
          expiresAt: null,
        },
        $unset: { open: '' },
      },
    );
    await this.models.Upload.updateMany(
      { key: { $in: claim.materials.flatMap((m) => (m.uploadKey ? [m.uploadKey] : [])) } },
      { $set: { state: 'submitted', stateAt: at } },
    );
    if (claim.principalUserId && isAssistedApplicant(claim.principalUserId))
      await this.assisted.submitted(claim.principalUserId, created.acceptNo);
    // Logged once, by whichever send settled the claim (a double tap's other sends find it settled).
    if (flipped.modifiedCount === 1 && claim.grantId && claim.agentUserId)
      await this.logAgent(
        {
          grantId: claim.grantId,
          agent: { userId: claim.agentUserId, name: actor!.name },
          principalName: facts.name,
        },
        claim.userId,
        'submit',
        claim.itemCode,
        created.acceptNo,
      );
    return this.view((await this.models.Draft.findById(claim._id).lean<DraftDoc>())!, facts, viewer);
  }

  /** An agent's step on the principal's application, in the agency log both of them read. */
  private logAgent(
    agent: NonNullable<AgentStep>,
    principalUserId: string,
    action: 'start_draft' | 'submit',
    itemCode: string,
    acceptNo: string | null,
  ): Promise<void> {
    return this.agency.log(
      { ...agent, principalUserId, action, target: { itemCode } },
      { ref: null, targetId: null, acceptNo },
    );
  }

  private async facts(userId: string): Promise<{ name: string; idNumber: string; phone: string }> {
    if (isAssistedApplicant(userId)) {
      const assisted = await this.assisted.facts(userId);
      if (!assisted) throw new AppError('CONSENT_REQUIRED');
      return assisted;
    }
    const facts = await this.citizens.realNameFacts(userId);
    if (!facts) throw new AppError('REALNAME_REQUIRED');
    return facts;
  }

  private async form(itemCode: string): Promise<ApplicationForm> {
    try {
      return await this.core.call<ApplicationForm>(
        'GET',
        `/api/items/${encodeURIComponent(itemCode)}/application-form`,
      );
    } catch (error) {
      if (error instanceof CoreRejection && error.code === 'NOT_ONLINE')
        throw new AppError('APPLICATION_NOT_ONLINE');
      if (error instanceof CoreRejection && error.status === 404)
        throw new AppError('NOT_FOUND', '事项不存在');
      throw error;
    }
  }

  private openDraft(
    userId: string,
    itemCode: string,
    principalUserId: string | null,
  ): Promise<DraftDoc | null> {
    return this.models.Draft.findOne({
      userId,
      itemCode,
      principalUserId,
      open: true,
      $or: [{ state: { $ne: 'draft' } }, { expiresAt: { $gt: this.now() } }],
    })
      .lean<DraftDoc>()
      .then(async (found) => {
        if (found) return found;
        // An expired draft still holding the item's place gives it up.
        await this.models.Draft.deleteOne({
          userId,
          itemCode,
          principalUserId,
          open: true,
          state: 'draft',
          expiresAt: { $lte: this.now() },
        });
        return null;
      });
  }

  /** The citizen's own live draft, else NOT_FOUND: another person's draft is never revealed. */
  private async owned(userId: string, draftId: string): Promise<DraftDoc> {
    const draft = await this.models.Draft.findOne({
      _id: new Types.ObjectId(draftId),
      userId,
    }).lean<DraftDoc>();
    if (!draft || (draft.state === 'draft' && (!draft.expiresAt || draft.expiresAt <= this.now())))
      throw new AppError('NOT_FOUND', '申报草稿不存在或已过期');
    return draft;
  }

  /** Whose application it is: the walk-in citizen's facts under 帮办, else the draft owner's. */
  private applicant(draft: DraftDoc) {
    return this.facts(draft.principalUserId ?? draft.userId);
  }

  private material(draft: DraftDoc, materialCode: string) {
    const material = draft.form.materials.find((m) => m.code === materialCode);
    if (!material) throw new AppError('APPLICATION_MATERIAL_UNKNOWN', undefined, { materialCode });
    return material;
  }

  /** A change of a draft still open for changes; every change renews its 30 days. */
  private async change(
    userId: string,
    draft: DraftDoc,
    set: Record<string, unknown>,
    agent: AgentStep,
  ): Promise<ApplicationDraft> {
    const at = this.now();
    const changed = await this.models.Draft.findOneAndUpdate(
      { _id: draft._id, userId, state: 'draft' },
      { $set: { ...set, updatedAt: at, expiresAt: this.expiry(at) }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    ).lean<DraftDoc>();
    if (!changed) throw new AppError('APPLICATION_SUBMITTED');
    return this.view(changed, await this.applicant(changed), agent);
  }

  /** An upload no longer chosen goes back to the orphan sweep. */
  private async releaseUpload(
    replaced: ChosenMaterial | undefined,
    chosen: ChosenMaterial | null,
  ): Promise<void> {
    if (replaced?.uploadKey && replaced.uploadKey !== chosen?.uploadKey)
      await this.models.Upload.updateOne(
        { key: replaced.uploadKey, state: 'used' },
        { $set: { state: 'issued', stateAt: this.now() } },
      );
  }

  private async queryLicences(
    userId: string,
    draft: DraftDoc,
    type: LicenceView['type'],
    agent: AgentStep,
  ): Promise<CoreLicence[]> {
    const facts = await this.applicant(draft);
    const { licences } = await this.core.call<{ licences: CoreLicence[] }>('POST', '/api/licences/query', {
      body: {
        holderIdNumber: facts.idNumber,
        type,
        purpose: `在线申报${agent ? `（${agent.agent.name}代办）` : ''}：${draft.form.itemName}（${draft.itemCode}）`,
        // Who asked the library: the agent when one acts in the holder's name.
        requester: `onewindow:${agent?.agent.userId ?? userId}`,
      },
      idempotent: true,
    });
    return licences.filter((l) => l.holderIdNumber === facts.idNumber);
  }

  private licenceView(l: CoreLicence): LicenceView {
    const view = {
      licenceNo: l.licenceNo,
      type: l.type,
      name: l.name,
      number: l.type === 'id_card' ? maskIdNumber(l.number) : l.number,
      issuer: l.issuer,
      validFrom: l.validFrom,
      validUntil: l.validUntil,
      valid: false,
    };
    view.valid = this.validToday(view);
    return view;
  }

  private validToday(l: { validFrom: string; validUntil: string | null }): boolean {
    const today = shanghaiDate(this.now());
    return l.validFrom <= today && (l.validUntil === null || today <= l.validUntil);
  }

  private missingMaterials(draft: DraftDoc) {
    return draft.form.materials.filter(
      (m) => m.required && !draft.materials.some((c) => c.materialCode === m.code),
    );
  }

  private expiry(at: Date): Date {
    return new Date(at.getTime() + this.config.draftTtlDays * DAY_MS);
  }

  /** The draft as its viewer sees it: an agent (X-Act-As) is told whose it is and under which grant. */
  private view(
    draft: DraftDoc,
    facts: { name: string; idNumber: string; phone: string },
    viewer: AgentStep,
  ): ApplicationDraft {
    const locked = { name: facts.name, idNumber: maskIdNumber(facts.idNumber), phone: facts.phone };
    const problems: FieldProblem[] =
      draft.state === 'draft' ? checkForm(draft.form.fields, draft.values, this.now()) : [];
    return {
      id: String(draft._id),
      grantId: viewer?.grantId ?? null,
      principalName: viewer || draft.principalUserId ? facts.name : null,
      itemCode: draft.itemCode,
      itemName: draft.form.itemName,
      state: draft.state,
      fields: draft.form.fields.map((f) => ({
        ...f,
        locked: Boolean(f.locked),
        value: f.locked && f.prefill ? locked[f.prefill] : (draft.values[f.name] ?? ''),
      })),
      materials: draft.form.materials.map((m) => {
        const c = draft.materials.find((x) => x.materialCode === m.code);
        return {
          ...m,
          chosen: c
            ? {
                via: c.via,
                ...(c.licence ? { licence: c.licence } : {}),
                ...(c.uploadKey ? { upload: { key: c.uploadKey, fileName: c.fileName ?? '' } } : {}),
                ...(c.signedAt ? { signedAt: new Date(c.signedAt).toISOString() } : {}),
              }
            : null,
        };
      }),
      problems,
      missingMaterials: draft.state === 'draft' ? this.missingMaterials(draft).map((m) => m.code) : [],
      updatedAt: draft.updatedAt.toISOString(),
      expiresAt: draft.state === 'draft' && draft.expiresAt ? draft.expiresAt.toISOString() : null,
      acceptNo: draft.acceptNo,
      submittedAt: draft.submittedAt ? draft.submittedAt.toISOString() : null,
    };
  }
}

/** The core system's no, in the BFF's codes. */
function refusal(error: CoreRejection): AppError {
  switch (error.code) {
    case 'LICENCE_EXPIRED':
      return new AppError('LICENCE_EXPIRED');
    case 'LICENCE_NOT_HELD':
      return new AppError('LICENCE_NOT_HELD');
    case 'MATERIAL_MISSING':
      return new AppError('APPLICATION_MATERIALS_MISSING', error.message);
    case 'MATERIAL_NOT_REQUESTED':
      return new AppError('APPLICATION_MATERIAL_UNKNOWN');
    case 'COMMITMENT_NOT_ALLOWED':
      return new AppError('COMMITMENT_NOT_ALLOWED');
    case 'NOT_ONLINE':
      return new AppError('APPLICATION_NOT_ONLINE');
    default:
      return new AppError('INVALID_INPUT', error.message);
  }
}
