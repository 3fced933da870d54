// The core system's case as the BFF reads it (mock/docs/core.md): the one place for the shapes
// several features take from its answers (progress caches it, sign-off and correction read it).
// The BFF keeps its own copy rather than importing the simulator's types: the simulator stands
// in for a system the BFF only knows through this contract.

export interface CaseTimelineEntry {
  stage: string;
  status: string;
  at: string;
  department: string;
  note?: string;
}

export interface CaseCorrection {
  id: string;
  issuedAt: string;
  deadline: string;
  status: string;
  items: { materialCode: string; name: string; reason: string; required: boolean }[];
}

/** What a case says about itself, without the applicant (the part the BFF caches). */
export interface CaseFacts {
  acceptNo: string;
  itemCode: string;
  itemName: string;
  department: string;
  departmentCode: string;
  hallId: string;
  status: string;
  acceptedAt: string;
  dueAt: string;
  promisedDays: number;
  warning: 'green' | 'yellow' | 'red';
  timeline: CaseTimelineEntry[];
  correction: CaseCorrection | null;
}

/** A case as the core system answers it. */
export interface CoreCase extends CaseFacts {
  applicant: { name: string; idNumber: string; phone: string };
  delivery: { method: string; hallId?: string; address?: unknown; tracking?: string } | null;
}
