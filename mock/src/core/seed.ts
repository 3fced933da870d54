// Builds the whole seeded world of the core system: halls, items, staff, citizens, cases and
// tasks. Deterministic from the seed; dates are relative to `now`, ages in working days, so
// a case seeded yellow or red is yellow or red whatever day the tests run.
import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { makeIdNumber, makePhone } from './identity';
import type {
  Case,
  CaseStatus,
  Citizen,
  CorrectionNotice,
  Hall,
  HallLevel,
  Item,
  Material,
  StaffRecord,
  Task,
  TimelineEntry,
  Window,
} from './model';
import { SeededRandom } from './random';
import {
  CATEGORIES,
  CATEGORIES_BY_LEVEL,
  CITY,
  COMMUNITY_SUFFIXES,
  DEPARTMENTS,
  DISTRICTS,
  GIVEN_NAMES,
  ITEMS,
  LATE_DEPARTMENTS,
  LATE_ITEMS,
  type ItemSpec,
  REJECT_REASONS,
  SURNAMES,
  VILLAGE_SUFFIXES,
  commonMaterial,
} from './seed-catalogue';
import { shanghaiDate } from '@onewindow/shared-types/shanghai-time';
import type { WorkingCalendar } from '@onewindow/shared-types/working-days';

/** Every seeded staff member's password; printed by `pnpm start` as the demo login. */
export const SEEDED_STAFF_PASSWORD = 'Yunzhou@2026';
/** Correction notices give the citizen this many working days. */
export const CORRECTION_WORKING_DAYS = 5;

const SCRYPT_N = 1 << 12;
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number },
) => Promise<Buffer>;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, { N: SCRYPT_N });
  return `scrypt$${SCRYPT_N}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n) });
  return actual.equals(expected);
}

export interface SeededWorld {
  halls: Hall[];
  items: Item[];
  staff: StaffRecord[];
  citizens: Citizen[];
  cases: Case[];
  tasks: Task[];
}

const LEVEL_RANK: Record<HallLevel, number> = { district: 3, street: 2, community: 1 };

function buildHalls(random: SeededRandom): Hall[] {
  const halls: Hall[] = [];
  const categoriesOf = (level: HallLevel) =>
    CATEGORIES.filter((c) => (CATEGORIES_BY_LEVEL[level] as readonly string[]).includes(c.code));
  const windowsOf = (hallId: string, level: HallLevel): Window[] => {
    const lines = CATEGORIES_BY_LEVEL[level].filter((c) => c !== 'ZH');
    const all = [...CATEGORIES_BY_LEVEL[level]];
    if (level === 'district') {
      return [
        ...lines.map((code, i) => ({
          id: `${hallId}-W${i + 1}`,
          name: `${i + 1}号窗口`,
          categories: [code, 'ZH'],
        })),
        { id: `${hallId}-W${lines.length + 1}`, name: `${lines.length + 1}号综合窗口`, categories: all },
        { id: `${hallId}-W${lines.length + 2}`, name: `${lines.length + 2}号综合窗口`, categories: all },
      ];
    }
    const count = level === 'street' ? 2 : 1;
    return Array.from({ length: count }, (_, i) => ({
      id: `${hallId}-W${i + 1}`,
      name: `${i + 1}号综合窗口`,
      categories: all,
    }));
  };
  // Coordinates are laid out from the indexes, never drawn from `random`, so adding them left
  // every other seeded value as it was.
  const at = (lat: number, lng: number) => ({
    lat: Math.round(lat * 1e6) / 1e6,
    lng: Math.round(lng * 1e6) / 1e6,
  });
  for (const [d, district] of DISTRICTS.entries()) {
    const districtId = `H${district.code}`;
    const centre = { lat: 28.19 + d * 0.045, lng: 112.97 + d * 0.055 };
    halls.push({
      id: districtId,
      name: `${CITY}${district.name}政务服务中心`,
      level: 'district',
      parentId: null,
      district: district.name,
      address: `${CITY}${district.name}${district.road}${random.int(1, 300)}号`,
      phone: `0739-${random.int(2000000, 8999999)}`,
      location: at(centre.lat, centre.lng),
      hours: {
        weekday: { open: '08:30', close: '17:30', lunch: { start: '12:00', end: '13:30' } },
        evening: { start: '17:30', end: '19:30', days: [2, 4] },
        weekend: { open: '09:00', close: '12:00', days: [6] },
      },
      windows: windowsOf(districtId, 'district'),
      categories: categoriesOf('district'),
    });
    district.streets.forEach((street, s) => {
      const streetId = `${districtId}-${String(s + 1).padStart(2, '0')}`;
      const town = street.endsWith('镇');
      halls.push({
        id: streetId,
        name: `${district.name}${street}${town ? '便民服务中心' : '党群服务中心'}`,
        level: 'street',
        parentId: districtId,
        district: district.name,
        address: `${CITY}${district.name}${street}${random.pick(['人民路', '建设路', '解放路', '中山路'])}${random.int(1, 200)}号`,
        phone: `0739-${random.int(2000000, 8999999)}`,
        location: at(centre.lat + Math.cos(s * 2.1) * 0.012, centre.lng + Math.sin(s * 2.1) * 0.014),
        hours: {
          weekday: {
            open: '09:00',
            close: '17:00',
            ...(s === 0 ? { lunch: { start: '12:00', end: '13:30' } } : {}),
          },
          ...(s === 0 ? { weekend: { open: '09:00', close: '12:00', days: [6] } } : {}),
        },
        windows: windowsOf(streetId, 'street'),
        categories: categoriesOf('street'),
      });
      const base = street.replace(/街道|镇$/, '');
      const suffixes = town ? VILLAGE_SUFFIXES : COMMUNITY_SUFFIXES;
      suffixes.forEach((suffix, c) => {
        const communityId = `${streetId}-${c + 1}`;
        halls.push({
          id: communityId,
          name: `${base}${suffix}${town ? '便民服务站' : '党群服务站'}`,
          level: 'community',
          parentId: streetId,
          district: district.name,
          address: `${CITY}${district.name}${street}${base}${suffix}${random.int(1, 50)}号`,
          phone: `0739-${random.int(2000000, 8999999)}`,
          location: at(
            centre.lat + Math.cos(s * 2.1) * 0.012 + Math.cos(c * 1.7 + s) * 0.006,
            centre.lng + Math.sin(s * 2.1) * 0.014 + Math.sin(c * 1.7 + s) * 0.007,
          ),
          hours: { weekday: { open: '09:00', close: '17:00' } },
          windows: windowsOf(communityId, 'community'),
          categories: categoriesOf('community'),
        });
      });
    });
  }
  return halls;
}

function buildItems(
  halls: Hall[],
  specs: readonly (Omit<ItemSpec, 'dept'> & { dept: string })[] = ITEMS,
  first = 0,
): Item[] {
  const departments: readonly { code: string; name: string; basis: string }[] = [
    ...DEPARTMENTS,
    ...LATE_DEPARTMENTS,
  ];
  return specs.map((spec, offset) => {
    const index = first + offset;
    const department = departments.find((d) => d.code === spec.dept)!;
    const deptIndex = departments.indexOf(department);
    const code = `1143990${String(deptIndex + 1).padStart(2, '0')}${String(index + 1).padStart(3, '0')}000`;
    const materials: Material[] = spec.materials.map((key, i) => {
      const material = commonMaterial(key);
      return {
        ...material,
        code: `${code}-M${String(i + 1).padStart(2, '0')}`,
        legalBasis: material.legalBasis || department.basis,
      };
    });
    const promised = spec.promised > 0;
    return {
      code,
      name: spec.name,
      department: `${CITY}${department.name}`,
      departmentCode: department.code,
      themes: spec.themes,
      keywords: spec.keywords,
      category: spec.category,
      legalBasis: [department.basis, ...(spec.law ? [spec.law] : [])],
      conditions: spec.conditions,
      materials,
      approvalType: promised ? 'promised' : 'immediate',
      statutoryDays: spec.statutory,
      promisedDays: spec.promised,
      fees: spec.fee ?? null,
      hallIds: halls.filter((h) => LEVEL_RANK[h.level] >= LEVEL_RANK[spec.lowest]).map((h) => h.id),
      visits: spec.visits,
      bookable: true,
      onlineCorrection: promised,
    };
  });
}

function personName(random: SeededRandom): string {
  return `${random.pick([...SURNAMES])}${random.pick(GIVEN_NAMES)}`;
}

async function buildStaff(random: SeededRandom, halls: Hall[]): Promise<StaffRecord[]> {
  const staff: Omit<StaffRecord, 'passwordHash'>[] = [];
  for (const hall of halls) {
    hall.windows.forEach((window, i) => {
      staff.push({
        id: `S-${window.id}`,
        username: `ck${hall.id.slice(5).replace(/-/g, '')}${i + 1}`,
        name: personName(random),
        role: 'window',
        hallId: hall.id,
        windowId: window.id,
      });
    });
    if (hall.level === 'district') {
      staff.push({
        id: `S-${hall.id}-JC`,
        username: `jc${hall.id.slice(5)}`,
        name: personName(random),
        role: 'supervisor',
        hallId: hall.id,
      });
    }
  }
  for (const department of DEPARTMENTS) {
    const code = department.code.toLowerCase();
    for (let i = 1; i <= 3; i += 1) {
      staff.push({
        id: `S-${department.code}-SP${i}`,
        username: `sp${code}${i}`,
        name: personName(random),
        role: 'approver',
        departmentCode: department.code,
      });
    }
    staff.push({
      id: `S-${department.code}-JC`,
      username: `jc${code}`,
      name: personName(random),
      role: 'supervisor',
      departmentCode: department.code,
    });
  }
  const hashes = await Promise.all(staff.map(() => hashPassword(SEEDED_STAFF_PASSWORD)));
  return staff.map((s, i) => ({ ...s, passwordHash: hashes[i] }));
}

function buildCitizens(random: SeededRandom): Citizen[] {
  return moreCitizens(random, 50, new Set());
}

/** `count` residents with valid identity numbers not in `used` (which grows with them). */
export function moreCitizens(random: SeededRandom, count: number, used: Set<string>): Citizen[] {
  const citizens: Citizen[] = [];
  while (citizens.length < count) {
    const district = random.pick(DISTRICTS);
    // A quarter are over 60, so elder-mode and 敬老 journeys have real users.
    const year = random.chance(0.25) ? random.int(1938, 1965) : random.int(1966, 2004);
    const birth = new Date(Date.UTC(year, random.int(0, 11), random.int(1, 28)));
    const idNumber = makeIdNumber(random, district.code, birth);
    if (used.has(idNumber)) continue;
    used.add(idNumber);
    citizens.push({ name: personName(random), idNumber, phone: makePhone(random) });
  }
  return citizens;
}

/** Reviewers take 审查, the department's last approver takes 决定 (受审分离). */
export function approverFor(
  staff: StaffRecord[],
  departmentCode: string,
  stage: '审查' | '决定',
  salt: number,
): StaffRecord {
  const approvers = staff.filter((s) => s.role === 'approver' && s.departmentCode === departmentCode);
  if (stage === '决定') return approvers[approvers.length - 1];
  const reviewers = approvers.slice(0, -1);
  return reviewers[salt % reviewers.length];
}

interface CasePlan {
  /** No seeded case is an online application waiting for pre-check. */
  status: Exclude<CaseStatus, 'prechecking'>;
  /** Age in working days relative to the promised days: a share, or `over` days past due. */
  age: 'fresh' | 'yellow' | 'red';
}

function casePlans(): CasePlan[] {
  const plans: CasePlan[] = [];
  const add = (count: number, status: CasePlan['status'], age: CasePlan['age'] = 'fresh') => {
    for (let i = 0; i < count; i += 1) plans.push({ status, age });
  };
  add(20, 'accepted');
  add(40, 'reviewing');
  add(12, 'reviewing', 'yellow');
  add(8, 'reviewing', 'red');
  add(25, 'deciding');
  add(8, 'deciding', 'yellow');
  add(6, 'deciding', 'red');
  add(25, 'correcting');
  add(50, 'completed');
  add(30, 'delivered');
  return plans;
}

function iso(date: Date): string {
  return date.toISOString();
}

export async function seedWorld(seed: number, now: Date, calendar: WorkingCalendar): Promise<SeededWorld> {
  const random = new SeededRandom(seed);
  const halls = buildHalls(random);
  const items = buildItems(halls);
  const staff = await buildStaff(random, halls);
  const citizens = buildCitizens(random);
  const promisedItems = items.filter((i) => i.promisedDays > 0);
  const cases: Case[] = [];
  const tasks: Task[] = [];
  const seqByDay = new Map<string, number>();

  casePlans().forEach((plan, index) => {
    const immediateAllowed = plan.status === 'completed' || plan.status === 'delivered';
    const item =
      immediateAllowed && random.chance(0.3)
        ? random.pick(items.filter((i) => i.promisedDays === 0))
        : random.pick(promisedItems);
    const hallId = random.pick(item.hallIds);
    const hall = halls.find((h) => h.id === hallId)!;
    const applicant = citizens[index % citizens.length];
    const promised = item.promisedDays;
    const ageDays =
      plan.age === 'red'
        ? promised + random.int(1, 4)
        : plan.age === 'yellow'
          ? Math.max(1, Math.ceil(promised * 0.85))
          : plan.status === 'accepted'
            ? 0
            : plan.status === 'completed' || plan.status === 'delivered'
              ? promised + random.int(3, 40)
              : Math.floor(promised * random.next() * 0.5);
    const acceptedAt = calendar.before(now, ageDays);
    acceptedAt.setTime(acceptedAt.getTime() - random.int(0, 3 * 3600) * 1000);
    const day = shanghaiDate(acceptedAt).replace(/-/g, '');
    const district = DISTRICTS.find((d) => d.name === hall.district)!;
    const seq = (seqByDay.get(day) ?? 0) + 1;
    seqByDay.set(day, seq);
    const acceptNo = `${district.code}${day}${String(seq).padStart(4, '0')}`;
    const dueAt = calendar.deadline(acceptedAt, promised);
    const step = (n: number) =>
      new Date(
        acceptedAt.getTime() +
          n * Math.max(1, (Math.min(now.getTime(), dueAt.getTime()) - acceptedAt.getTime()) / 5),
      );
    const timeline: TimelineEntry[] = [
      { stage: '受理', status: 'accepted', at: iso(acceptedAt), department: hall.name },
    ];
    const paths: Record<CasePlan['status'], CaseStatus[]> = {
      accepted: [],
      reviewing: ['reviewing'],
      deciding: ['reviewing', 'deciding'],
      correcting: ['reviewing', 'correcting'],
      completed: promised ? ['reviewing', 'deciding', 'completed'] : ['completed'],
      delivered: promised ? ['reviewing', 'deciding', 'completed', 'delivered'] : ['completed', 'delivered'],
    };
    const path = paths[plan.status];
    const stageOf: Record<CaseStatus, TimelineEntry['stage']> = {
      prechecking: '受理',
      accepted: '受理',
      reviewing: '审查',
      deciding: '决定',
      correcting: '补正',
      completed: '办结',
      delivered: '送达',
    };
    path.forEach((status, i) =>
      timeline.push({
        stage: stageOf[status],
        status,
        at: iso(step(i + 1)),
        department: status === 'delivered' ? hall.name : item.department,
      }),
    );
    const materials = item.materials
      .filter((m) => m.required)
      .map((m) => ({ code: m.code, name: m.name, key: `cases/${acceptNo}/materials/${m.code}.pdf` }));
    let correction: CorrectionNotice | null = null;
    if (plan.status === 'correcting') {
      const issuedAt = step(2);
      const deficient = materials.slice(0, Math.min(materials.length, random.int(1, 2)));
      correction = {
        id: `BZ${acceptNo}01`,
        acceptNo,
        issuedAt: iso(issuedAt),
        deadline: iso(calendar.deadline(now, CORRECTION_WORKING_DAYS)),
        items: deficient.map((m) => ({
          materialCode: m.code,
          name: m.name,
          reason: random.pick(REJECT_REASONS),
          required: true,
        })),
        status: 'open',
      };
    }
    const result =
      plan.status === 'completed' || plan.status === 'delivered'
        ? random.chance(0.9)
          ? 'approved'
          : 'rejected'
        : null;
    const delivered = plan.status === 'delivered';
    const kase: Case = {
      acceptNo,
      itemCode: item.code,
      itemName: item.name,
      department: item.department,
      departmentCode: item.departmentCode,
      hallId: hall.id,
      applicant,
      status: plan.status,
      result,
      timeline,
      acceptedAt: iso(acceptedAt),
      dueAt: iso(dueAt),
      promisedDays: promised,
      warning: 'green',
      materials,
      correction,
      corrections: correction ? [correction] : [],
      delivery: delivered
        ? random.chance(0.5)
          ? { method: 'pickup', hallId: hall.id }
          : {
              method: 'express',
              address: {
                name: applicant.name,
                phone: applicant.phone,
                region: `${CITY}${hall.district}`,
                detail: `${random.pick(['幸福小区', '阳光花园', '锦绣家园'])}${random.int(1, 30)}栋${random.int(101, 2402)}室`,
              },
              tracking: `EMS${String(random.int(100000000, 999999999))}CN`,
            }
        : null,
      version: 1 + path.length,
    };
    cases.push(kase);
    if (plan.status === 'reviewing' || plan.status === 'deciding') {
      const stage = plan.status === 'reviewing' ? '审查' : '决定';
      tasks.push({
        id: `T${acceptNo}${stage === '审查' ? 'SC' : 'JD'}`,
        acceptNo,
        approverId: approverFor(staff, item.departmentCode, stage, index).id,
        stage,
        assignedAt: timeline[timeline.length - 1].at,
        dueAt: kase.dueAt,
        warning: 'green',
        version: 1,
        status: 'open',
      });
    }
  });
  // Appended after every random draw above, so the rest of the world is unchanged by them.
  items.push(...buildItems(halls, LATE_ITEMS, items.length));
  return { halls, items, staff, citizens, cases, tasks };
}
