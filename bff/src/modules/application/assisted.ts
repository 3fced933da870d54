// 帮办: window or community-station staff apply for a citizen standing at the window. The clerk
// types the name, identity number and phone from the identity card; the population register must
// confirm all three (as real-name binding does), so nobody is applied for under a made-up identity.
// Consent is the simplest mechanism that leaves evidence without the citizen owning a phone: the
// citizen signs under a statement naming the clerk, the item and the date on the window's
// signature pad, and the PNG is kept with its SHA-256 and the moment and clerk. Only then can the
// clerk start the application, which then runs through the ordinary draft pipeline with the
// clerk as its keeper (`staff:<id>`) and the citizen as the applicant (`assisted:<id>`).
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { Assisted, AssistBody } from '@onewindow/shared-types';
import type { Config } from '../../config';
import type { CoreClient } from '../../plugins/core-client';
import type { AccessClaims } from '../../plugins/auth';
import { AppError } from '../../errors';
import { decrypt, encrypt, maskIdNumber, maskPhone } from '../../identity-protection';
import { shanghaiDate } from '@onewindow/shared-types/shanghai-time';
import type { CatalogueService } from '../catalogue/service';
import type { ApplicationModels, AssistedDoc } from './model';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Smaller than any drawn stroke on the pad: an empty or near-empty canvas is no signature. */
const MIN_SIGNATURE_BYTES = 200;
const ASSISTED_PREFIX = 'assisted:';
const STAFF_PREFIX = 'staff:';

/** The draft keeper for a clerk: never a citizen's id, so citizen routes never reach it. */
export const staffKeeper = (staffId: string) => `${STAFF_PREFIX}${staffId}`;
export const isAssistedApplicant = (id: string) => id.startsWith(ASSISTED_PREFIX);
export const isStaffKeeper = (id: string) => id.startsWith(STAFF_PREFIX);

export class AssistedService {
  constructor(
    private readonly models: ApplicationModels,
    private readonly core: CoreClient,
    private readonly catalogue: CatalogueService,
    private readonly identity: Config['identity'],
    private readonly now: () => Date,
  ) {}

  async start(staff: AccessClaims, body: AssistBody): Promise<Assisted> {
    const idNumber = body.idNumber.toUpperCase();
    const { item } = await this.catalogue.item(body.itemCode);
    const { match } = await this.core.call<{ match: boolean }>('POST', '/api/identity/verify', {
      body: { name: body.name, idNumber, phone: body.phone },
      idempotent: true,
    });
    if (!match) throw new AppError('REALNAME_MISMATCH');
    const at = this.now();
    const key = this.identity.encryptionKey;
    const doc = await this.models.Assisted.create({
      staffId: staff.sub,
      hallId: staff.hallId ?? null,
      name: body.name,
      idCipher: encrypt(key, idNumber),
      phoneCipher: encrypt(key, body.phone),
      idMasked: maskIdNumber(idNumber),
      phoneMasked: maskPhone(body.phone),
      itemCode: item.code,
      itemName: item.name,
      statement: `本人${body.name}（身份证号${maskIdNumber(idNumber)}）同意由窗口工作人员（工号${staff.sub}）于${shanghaiDate(at)}代为网上申报「${item.name}」，申报内容以本人提供的信息和材料为准。`,
      consent: null,
      draftId: null,
      acceptNo: null,
      createdAt: at,
    });
    return this.view(doc.toObject());
  }

  /** The signature under the statement; once given it stays (a second one changes nothing). */
  async consent(staff: AccessClaims, id: string, signaturePng: string): Promise<Assisted> {
    const record = await this.mine(staff, id);
    if (record.consent) return this.view(record);
    const image = Buffer.from(signaturePng, 'base64');
    if (image.length < MIN_SIGNATURE_BYTES || !image.subarray(0, 8).equals(PNG_MAGIC))
      throw new AppError('INVALID_INPUT', '签名无效，请办事群众在签字板上重新签名');
    const consent = {
      method: 'signature' as const,
      at: this.now(),
      staffId: staff.sub,
      sha256: createHash('sha256').update(image).digest('hex'),
      signature: image,
    };
    const done = await this.models.Assisted.findOneAndUpdate(
      { _id: record._id, consent: null },
      { $set: { consent } },
      { returnDocument: 'after' },
    ).lean<AssistedDoc>();
    return this.view(done ?? (await this.mine(staff, id)));
  }

  async list(staff: AccessClaims): Promise<{ assisted: Assisted[] }> {
    const docs = await this.models.Assisted.find({ staffId: staff.sub }, { 'consent.signature': 0 })
      .sort({ createdAt: -1 })
      .limit(50)
      .lean<AssistedDoc[]>();
    return { assisted: docs.map((d) => this.view(d)) };
  }

  /** For starting a draft: the clerk's own record, for that item, with consent given; else refused. */
  async applicantFor(keeper: string, id: string, itemCode: string): Promise<string> {
    if (!keeper.startsWith(STAFF_PREFIX)) throw new AppError('FORBIDDEN');
    const record = await this.models.Assisted.findOne({
      _id: new Types.ObjectId(id),
      staffId: keeper.slice(STAFF_PREFIX.length),
    }).lean<AssistedDoc>();
    if (!record) throw new AppError('NOT_FOUND', '帮办记录不存在');
    if (record.itemCode !== itemCode) throw new AppError('INVALID_INPUT', '帮办事项与群众确认的事项不一致');
    if (!record.consent) throw new AppError('CONSENT_REQUIRED');
    return `${ASSISTED_PREFIX}${id}`;
  }

  /** Whom an `assisted:` applicant is, for the draft's prefill and the submission. */
  async facts(applicant: string): Promise<{ name: string; idNumber: string; phone: string } | null> {
    const id = applicant.slice(ASSISTED_PREFIX.length);
    if (!Types.ObjectId.isValid(id)) return null;
    const record = await this.models.Assisted.findById(id).lean<AssistedDoc>();
    if (!record?.consent) return null;
    const key = this.identity.encryptionKey;
    return {
      name: record.name,
      idNumber: decrypt(key, record.idCipher),
      phone: decrypt(key, record.phoneCipher),
    };
  }

  async drafted(applicant: string, draftId: string): Promise<void> {
    await this.models.Assisted.updateOne(
      { _id: new Types.ObjectId(applicant.slice(ASSISTED_PREFIX.length)), draftId: null },
      { $set: { draftId } },
    );
  }

  async submitted(applicant: string, acceptNo: string): Promise<void> {
    await this.models.Assisted.updateOne(
      { _id: new Types.ObjectId(applicant.slice(ASSISTED_PREFIX.length)) },
      { $set: { acceptNo } },
    );
  }

  private async mine(staff: AccessClaims, id: string): Promise<AssistedDoc> {
    const record = await this.models.Assisted.findOne({
      _id: new Types.ObjectId(id),
      staffId: staff.sub,
    }).lean<AssistedDoc>();
    if (!record) throw new AppError('NOT_FOUND', '帮办记录不存在');
    return record;
  }

  private view(d: AssistedDoc): Assisted {
    return {
      id: String(d._id),
      name: d.name,
      idMasked: d.idMasked,
      phoneMasked: d.phoneMasked,
      itemCode: d.itemCode,
      itemName: d.itemName,
      statement: d.statement,
      consent: d.consent
        ? {
            method: 'signature',
            at: d.consent.at.toISOString(),
            staffId: d.consent.staffId,
            sha256: d.consent.sha256,
          }
        : null,
      draftId: d.draftId,
      acceptNo: d.acceptNo,
      createdAt: d.createdAt.toISOString(),
    };
  }
}
