// What every feature's upload record holds, whatever else it adds: the one key its policy
// admits, what the phone declared, and where the upload is in its life. Every record starts
// `issued`, and one never used goes `deleting` → `deleted` by the orphan sweep; a feature adds
// the states of its own use (a signature `used` by a decision, a correction `submitting`…).
export const SWEPT_UPLOAD_STATES = ['issued', 'deleting', 'deleted'] as const;

export interface UploadRecord<State extends string = (typeof SWEPT_UPLOAD_STATES)[number]> {
  key: string;
  contentType: string;
  declaredSize: number;
  state: State;
  createdAt: Date;
  stateAt: Date;
}

/** The schema fields of an upload record, its state held to the feature's list; a feature's schema spreads them. */
export function uploadRecordFields(states: readonly string[]) {
  return {
    key: { type: String, required: true, unique: true },
    contentType: { type: String, required: true },
    declaredSize: { type: Number, required: true },
    state: { type: String, enum: states, required: true },
    createdAt: { type: Date, required: true },
    stateAt: { type: Date, required: true },
  } as const;
}

/** The orphan sweep's index: unused records by age. */
export const ORPHAN_SWEEP_INDEX = { state: 1, createdAt: 1 } as const;
