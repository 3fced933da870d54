// The core system's records as its API returns them. The BFF has its own schemas for these
// (shared-types); the two are kept apart on purpose, as with any third-party system.

export type HallLevel = 'district' | 'street' | 'community';

export interface TimeRange {
  start: string; // HH:mm, Asia/Shanghai
  end: string;
}

export interface HallHours {
  weekday: { open: string; close: string; lunch?: TimeRange };
  /** 延时服务: evening hours on the listed ISO weekdays (1 = Monday). */
  evening?: TimeRange & { days: number[] };
  /** 双休日服务: weekend hours on the listed ISO weekdays (6, 7). */
  weekend?: { open: string; close: string; days: number[] };
}

export interface QueueCategory {
  code: string;
  name: string;
  /** First letter of queue numbers of this line, e.g. `A` for A023. */
  prefix: string;
}

export interface Window {
  id: string;
  name: string;
  categories: string[];
}

export interface Hall {
  id: string;
  name: string;
  level: HallLevel;
  parentId: string | null;
  district: string;
  address: string;
  phone: string;
  /** WGS-84, for 附近大厅 (distance) and navigation (openLocation). */
  location: { lat: number; lng: number };
  hours: HallHours;
  windows: Window[];
  categories: QueueCategory[];
}

export interface Material {
  code: string;
  name: string;
  legalBasis: string;
  format: string;
  copies: number;
  original: 'original' | 'copy' | 'both';
  required: boolean;
  sample: string | null;
  notes: string;
}

export interface Item {
  code: string;
  name: string;
  department: string;
  departmentCode: string;
  themes: string[];
  keywords: string[];
  category: string;
  legalBasis: string[];
  conditions: string[];
  materials: Material[];
  approvalType: 'immediate' | 'promised';
  statutoryDays: number;
  promisedDays: number;
  fees: { amount: number; basis: string } | null;
  hallIds: string[];
  visits: 0 | 1;
  bookable: boolean;
  onlineCorrection: boolean;
}

export type StaffRole = 'window' | 'approver' | 'supervisor';

export interface Staff {
  id: string;
  username: string;
  name: string;
  role: StaffRole;
  hallId?: string;
  departmentCode?: string;
  windowId?: string;
}

export interface StaffRecord extends Staff {
  /** `scrypt$N$salt$hash`, base64 parts. */
  passwordHash: string;
}

export interface Citizen {
  name: string;
  idNumber: string;
  phone: string;
}

/** `prechecking`: applied for online, waiting for window staff's 预审 before it is accepted into review. */
export type CaseStatus =
  'prechecking' | 'accepted' | 'reviewing' | 'deciding' | 'correcting' | 'completed' | 'delivered';
export type Stage = '受理' | '审查' | '决定' | '补正' | '办结' | '送达';
export type Warning = 'green' | 'yellow' | 'red';

export interface TimelineEntry {
  stage: Stage;
  status: CaseStatus;
  at: string;
  department: string;
  note?: string;
}

export interface CorrectionItem {
  materialCode: string;
  name: string;
  reason: string;
  required: boolean;
}

export interface CorrectionNotice {
  id: string;
  acceptNo: string;
  issuedAt: string;
  deadline: string;
  items: CorrectionItem[];
  status: 'open' | 'submitted' | 'expired';
  /** Issued at pre-check (预审) of an online application: answered, the case goes back to pre-check. */
  atPrecheck?: boolean;
  submittedFiles?: { materialCode: string; key: string }[];
}

export interface Delivery {
  method: 'pickup' | 'express';
  hallId?: string;
  address?: { name: string; phone: string; region: string; detail: string };
  tracking?: string;
}

export interface CaseMaterial {
  code: string;
  name: string;
  key: string;
  /** How an online application satisfied it; absent for paper scanned at a window. */
  source?: 'licence' | 'upload' | 'commitment';
  licenceNo?: string;
}

/** Where a case came from: a window (paper) or the phone (在线申报), with who acted for whom. */
export interface CaseOrigin {
  channel: 'window' | 'online';
  /** Who pressed submit when not the applicant (代办): their identity number. */
  actorIdNumber?: string;
  values?: Record<string, string>;
}

export interface Case {
  acceptNo: string;
  itemCode: string;
  itemName: string;
  department: string;
  departmentCode: string;
  hallId: string;
  applicant: Citizen;
  status: CaseStatus;
  result: 'approved' | 'rejected' | null;
  timeline: TimelineEntry[];
  acceptedAt: string;
  dueAt: string;
  promisedDays: number;
  warning: Warning;
  materials: CaseMaterial[];
  correction: CorrectionNotice | null;
  corrections: CorrectionNotice[];
  delivery: Delivery | null;
  version: number;
  origin?: CaseOrigin;
}

export interface Decision {
  decision: 'approve' | 'reject' | 'return';
  opinion: string;
  signatureKey?: string;
  deficiencies?: { materialCode: string; reason: string }[];
  approverId: string;
  decidedAt: string;
}

export interface Task {
  id: string;
  acceptNo: string;
  approverId: string;
  stage: '审查' | '决定';
  assignedAt: string;
  dueAt: string;
  warning: Warning;
  version: number;
  status: 'open' | 'decided';
  decision?: Decision;
}

export type WebhookType =
  | 'case.status_changed'
  | 'case.correction_issued'
  | 'task.assigned'
  | 'case.result_ready'
  | 'case.delivery_updated';

export interface WebhookEvent {
  id: string;
  type: WebhookType;
  acceptNo: string;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}
