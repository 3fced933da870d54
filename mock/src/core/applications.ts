// Online application (在线申报) as the core system sees it: the form each online-capable item
// asks for, and the e-licence library (电子证照库) of the certificates government bodies issued.
// Both are derived without touching the seeded random draws, so the rest of the world stays
// exactly as it was seeded.
import { createHash } from 'node:crypto';
import type { Citizen, Item, Material } from './model';

export type FieldType = 'text' | 'textarea' | 'idNumber' | 'phone' | 'number' | 'date' | 'select';
/** Real-name facts a field is filled from. */
export type Prefill = 'name' | 'idNumber' | 'phone';

export interface FormField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  /** Filled from the applicant's real-name facts. */
  prefill?: Prefill;
  /** Taken from the real-name binding and never typed (name, identity number). */
  locked?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** Shown when `pattern` does not match. */
  patternHint?: string;
  min?: number;
  max?: number;
  options?: string[];
  /** `date` fields: no later than the day of application. */
  notAfterToday?: boolean;
}

export type LicenceType = 'id_card' | 'household' | 'marriage' | 'business_licence' | 'real_estate';

export interface FormMaterial {
  code: string;
  name: string;
  required: boolean;
  /** The e-licence that can stand in for the paper (免证办), when there is one. */
  licenceType: LicenceType | null;
  /** 告知承诺: the applicant may sign a commitment instead of handing the material in. */
  commitment: string | null;
}

export interface ApplicationForm {
  itemCode: string;
  itemName: string;
  fields: FormField[];
  materials: FormMaterial[];
}

export interface Licence {
  licenceNo: string;
  type: LicenceType;
  name: string;
  holderName: string;
  holderIdNumber: string;
  /** The certificate's own number (for an identity card, the identity number). */
  number: string;
  issuer: string;
  issuedAt: string;
  validFrom: string;
  /** null: valid without limit (长期有效). */
  validUntil: string | null;
  /** The PDF rendering in OSS. */
  fileKey: string;
}

export interface LicenceQuery {
  at: string;
  holderIdNumber: string;
  type: LicenceType | null;
  purpose: string;
  requester: string;
  found: number;
}

const LICENCE_OF_MATERIAL: Record<string, LicenceType> = {
  申请人居民身份证: 'id_card',
  居民户口簿: 'household',
  结婚证: 'marriage',
  营业执照: 'business_licence',
  不动产权证书: 'real_estate',
};

const LICENCE_NAMES: Record<LicenceType, { name: string; issuer: string }> = {
  id_card: { name: '居民身份证', issuer: '云州市公安局' },
  household: { name: '居民户口簿', issuer: '云州市公安局户政管理处' },
  marriage: { name: '结婚证', issuer: '云州市民政局婚姻登记处' },
  business_licence: { name: '营业执照', issuer: '云州市市场监督管理局' },
  real_estate: { name: '不动产权证书', issuer: '云州市不动产登记中心' },
};

/** Materials whose guide allows 告知承诺制: the applicant's signed promise replaces the paper. */
const COMMITMENTS: Record<string, string> = {
  家庭收入及财产状况声明: '本人承诺所申报的家庭收入及财产状况真实、完整，如有虚假，愿承担相应法律责任。',
  居住证或房产证明: '本人承诺在本市有合法稳定住所，所填地址真实有效，如有虚假，愿承担相应法律责任。',
  劳动合同或就业证明: '本人承诺与所填单位存在劳动关系，如有虚假，愿承担相应法律责任。',
  经营场所使用证明: '本人承诺对所填经营场所享有合法使用权，如有虚假，愿承担相应法律责任。',
  申请表: '本人承诺本次网上申报所填信息即为申请表内容，真实有效，如有虚假，愿承担相应法律责任。',
};

/** 零跑腿 items (no visit needed) are the ones that can be applied for from the phone. */
export function isOnline(item: Item): boolean {
  return item.visits === 0;
}

export function applicationForm(item: Item): ApplicationForm | null {
  if (!isOnline(item)) return null;
  const names = item.materials.map((m) => m.name);
  const fields: FormField[] = [
    {
      name: 'applicantName',
      label: '申请人姓名',
      type: 'text',
      required: true,
      prefill: 'name',
      locked: true,
      minLength: 2,
      maxLength: 30,
    },
    {
      name: 'idNumber',
      label: '公民身份号码',
      type: 'idNumber',
      required: true,
      prefill: 'idNumber',
      locked: true,
    },
    { name: 'phone', label: '联系电话', type: 'phone', required: true, prefill: 'phone' },
    { name: 'address', label: '联系地址', type: 'text', required: true, minLength: 5, maxLength: 120 },
  ];
  if (item.category === 'SB')
    fields.push({
      name: 'residentType',
      label: '户籍类别',
      type: 'select',
      required: true,
      options: ['城镇', '农村'],
    });
  if (item.category === 'MZ')
    fields.push({
      name: 'householdSize',
      label: '家庭人口数',
      type: 'number',
      required: true,
      min: 1,
      max: 20,
    });
  if (names.includes('结婚证'))
    fields.push({
      name: 'marriageDate',
      label: '结婚登记日期',
      type: 'date',
      required: true,
      notAfterToday: true,
    });
  if (names.includes('本人银行卡（社保卡）'))
    fields.push({
      name: 'bankAccount',
      label: '收款银行账号',
      type: 'text',
      required: true,
      pattern: '^\\d{12,19}$',
      patternHint: '请填写12至19位数字的银行账号',
    });
  fields.push({ name: 'remark', label: '申请事由', type: 'textarea', required: false, maxLength: 500 });
  return {
    itemCode: item.code,
    itemName: item.name,
    fields,
    materials: item.materials.map((m: Material) => ({
      code: m.code,
      name: m.name,
      required: m.required,
      licenceType: LICENCE_OF_MATERIAL[m.name] ?? null,
      commitment: COMMITMENTS[m.name] ?? null,
    })),
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function licenceNo(type: LicenceType, holderIdNumber: string, serial: number): string {
  return `DZZZ${digest(`${type}|${holderIdNumber}|${serial}`).toString('hex').slice(0, 16).toUpperCase()}`;
}

/**
 * The library: every resident has an identity card and a household register; marriage,
 * business-licence and real-estate certificates are spread over residents by a hash of their
 * number. Certificates issued later (the simulator's admin) are added to these.
 */
export class LicenceLibrary {
  private readonly issued = new Map<string, Licence[]>();
  private readonly queries: LicenceQuery[] = [];

  constructor(
    private readonly store: (key: string, pdf: Buffer) => void,
    private readonly render: (licence: Licence) => Buffer,
  ) {}

  of(citizen: Citizen): Licence[] {
    let held = this.issued.get(citizen.idNumber);
    if (!held) {
      const h = digest(citizen.idNumber);
      const types: LicenceType[] = ['id_card', 'household'];
      if (h[0] % 2 === 0) types.push('marriage');
      if (h[1] % 3 === 0) types.push('business_licence');
      if (h[2] % 2 === 0) types.push('real_estate');
      held = [];
      this.issued.set(citizen.idNumber, held);
      for (const type of types) {
        const year = 2015 + (h[3] % 8);
        this.add(citizen, {
          type,
          validFrom: `${year}-0${1 + (h[4] % 9)}-1${h[5] % 9}`,
          validUntil: type === 'id_card' ? `${year + 20}-0${1 + (h[4] % 9)}-1${h[5] % 9}` : null,
        });
      }
    }
    return held.map((l) => ({ ...l }));
  }

  /** A certificate issued to the citizen (simulator admin: an expired card, a new licence). */
  add(citizen: Citizen, input: { type: LicenceType; validFrom: string; validUntil: string | null }): Licence {
    const held = this.issued.get(citizen.idNumber) ?? (this.of(citizen), this.issued.get(citizen.idNumber)!);
    const no = licenceNo(input.type, citizen.idNumber, held.length + 1);
    const names = LICENCE_NAMES[input.type];
    const number =
      input.type === 'id_card'
        ? citizen.idNumber
        : `${input.type === 'marriage' ? 'J' : input.type === 'business_licence' ? '91439900' : '云(2026)不动产权第'}${digest(no).readUInt32BE(0) % 100_000_000}`;
    const licence: Licence = {
      licenceNo: no,
      type: input.type,
      name: names.name,
      holderName: citizen.name,
      holderIdNumber: citizen.idNumber,
      number,
      issuer: names.issuer,
      issuedAt: `${input.validFrom}T09:00:00+08:00`,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      fileKey: `licences/${no}.pdf`,
    };
    held.push(licence);
    this.store(licence.fileKey, this.render(licence));
    return { ...licence };
  }

  /** A query by the holder's identity and (optionally) the type; every query is logged with its purpose. */
  query(citizen: Citizen, type: LicenceType | null, purpose: string, requester: string, at: Date): Licence[] {
    const found = this.of(citizen).filter((l) => type === null || l.type === type);
    this.queries.push({
      at: at.toISOString(),
      holderIdNumber: citizen.idNumber,
      type,
      purpose,
      requester,
      found: found.length,
    });
    return found;
  }

  find(licenceNo: string): Licence | null {
    for (const held of this.issued.values()) {
      const licence = held.find((l) => l.licenceNo === licenceNo);
      if (licence) return { ...licence };
    }
    return null;
  }

  log(holderIdNumber?: string): LicenceQuery[] {
    return this.queries.filter((q) => !holderIdNumber || q.holderIdNumber === holderIdNumber);
  }
}

export function isLicenceType(value: unknown): value is LicenceType {
  return typeof value === 'string' && Object.hasOwn(LICENCE_NAMES, value);
}

/** Valid on `day` (YYYY-MM-DD, Asia/Shanghai): from its start to its end date inclusive. */
export function licenceValidOn(licence: Licence, day: string): boolean {
  return licence.validFrom <= day && (licence.validUntil === null || day <= licence.validUntil);
}
