// What every feature's upload record holds, whatever else it adds: the one key its policy
// admits, what the phone declared, and where the upload is in its life (`issued` until a
// feature uses it; `deleting`/`deleted` once the orphan sweep took it).
export interface UploadRecord {
  key: string;
  contentType: string;
  declaredSize: number;
  state: string;
  createdAt: Date;
  stateAt: Date;
}

/** The schema fields of an upload record; a feature's schema spreads them and adds its own. */
export const uploadRecordFields = {
  key: { type: String, required: true, unique: true },
  contentType: { type: String, required: true },
  declaredSize: { type: Number, required: true },
  state: { type: String, required: true },
  createdAt: { type: Date, required: true },
  stateAt: { type: Date, required: true },
} as const;

/** The orphan sweep's index: unused records by age. */
export const ORPHAN_SWEEP_INDEX = { state: 1, createdAt: 1 } as const;
