// Mobile sign-off (移动审批) and supervision (电子监察): the approver's tasks, one task with its
// case and materials, the decision, the audit log that proves every decision, and the
// supervisor's list of cases near or past their deadline.
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './literal-union';
import { TimelineEntry, Warning } from './progress';

const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const TaskParams = Type.Object({ id: Id });
export const TaskQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('decided')])) },
  { additionalProperties: false },
);

export const DECISION_KINDS = ['approve', 'reject', 'return'] as const;
export const DecisionKind = literalUnion(DECISION_KINDS);
export const DECISION_STATES = ['pending', 'applied', 'refused'] as const;

/**
 * A decision as the BFF holds it: `pending` while the core system has not answered (it is
 * retried with the same idempotency key until it does), `applied` once it has, `refused` when
 * the core system said no.
 */
export const DecisionState = Type.Object({
  id: Type.String(),
  taskId: Type.String(),
  decision: DecisionKind,
  state: literalUnion(DECISION_STATES),
  submittedAt: Type.String(),
  appliedAt: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  refusal: Type.Union([Type.String(), Type.Null()]),
});
export type DecisionState = Static<typeof DecisionState>;

export const TaskSummary = Type.Object({
  id: Type.String(),
  acceptNo: Type.String(),
  itemName: Type.String(),
  department: Type.String(),
  stage: Type.String(),
  status: Type.String(),
  assignedAt: Type.String(),
  dueAt: Type.String(),
  /** Working days until `dueAt`; negative once overdue (working days since). */
  workingDaysLeft: Type.Integer(),
  warning: Warning,
  version: Type.Integer(),
  /** The approver's decision the core system has not answered yet, or the last one it refused. */
  decision: Type.Union([DecisionState, Type.Null()]),
});
export type TaskSummary = Static<typeof TaskSummary>;

export const TaskList = Type.Object({
  tasks: Type.Array(TaskSummary),
  counts: Type.Object({ red: Type.Integer(), yellow: Type.Integer(), green: Type.Integer() }),
});
export type TaskList = Static<typeof TaskList>;

export const TaskMaterial = Type.Object({
  code: Type.String(),
  name: Type.String(),
  contentType: Type.String(),
  /** A signed GET URL that stops working at `expiresAt`. */
  url: Type.String(),
  expiresAt: Type.String(),
});

/** 督办: a supervisor's reminder to the approver of a yellow or red case, with a note. */
export const Reminder = Type.Object({
  id: Type.String(),
  at: Type.String(),
  acceptNo: Type.String(),
  approverId: Type.String(),
  supervisorId: Type.String(),
  supervisorName: Type.Union([Type.String(), Type.Null()]),
  warning: Type.Union([Type.Literal('yellow'), Type.Literal('red')]),
  note: Type.String(),
});
export type Reminder = Static<typeof Reminder>;
export const ReminderBody = Type.Object(
  { note: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
);
export type ReminderBody = Static<typeof ReminderBody>;

export const TaskDetail = Type.Object({
  task: TaskSummary,
  /** Supervisors' reminders (督办) on this case, newest first. */
  reminders: Type.Array(Reminder),
  case: Type.Object({
    acceptNo: Type.String(),
    itemCode: Type.String(),
    itemName: Type.String(),
    department: Type.String(),
    hallId: Type.String(),
    status: Type.String(),
    acceptedAt: Type.String(),
    dueAt: Type.String(),
    promisedDays: Type.Integer(),
    timeline: Type.Array(TimelineEntry),
  }),
  applicant: Type.Object({ name: Type.String(), idNumberMasked: Type.String(), phoneMasked: Type.String() }),
  materials: Type.Array(TaskMaterial),
  /** Every material the item asks for: what a return for correction can name. */
  itemMaterials: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), required: Type.Boolean() }),
  ),
  corrections: Type.Array(
    Type.Object({
      id: Type.String(),
      issuedAt: Type.String(),
      deadline: Type.String(),
      status: Type.String(),
      items: Type.Array(
        Type.Object({ materialCode: Type.String(), name: Type.String(), reason: Type.String() }),
      ),
    }),
  ),
  history: Type.Array(
    Type.Object({
      taskId: Type.String(),
      stage: Type.String(),
      approverId: Type.String(),
      decision: DecisionKind,
      opinion: Type.String(),
      decidedAt: Type.String(),
    }),
  ),
});
export type TaskDetail = Static<typeof TaskDetail>;

export const Deficiency = Type.Object(
  { materialCode: Code, reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const DecisionBody = Type.Object(
  {
    decision: DecisionKind,
    opinion: Type.String({ maxLength: 500 }),
    signatureKey: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    deficiencies: Type.Optional(Type.Array(Deficiency, { minItems: 1, maxItems: 30 })),
    version: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const DecisionResult = Type.Object({
  decision: DecisionState,
  task: Type.Union([TaskSummary, Type.Null()]),
});
export type DecisionResult = Static<typeof DecisionResult>;

export const SignaturePolicyBody = Type.Object(
  { contentType: Type.Literal('image/png'), size: Type.Integer({ minimum: 1, maximum: 100 * 1024 * 1024 }) },
  { additionalProperties: false },
);
export type SignaturePolicyBody = Static<typeof SignaturePolicyBody>;

export const SupervisionQuery = Type.Object(
  {
    warning: Type.Optional(Type.Union([Type.Literal('yellow'), Type.Literal('red')])),
    departmentCode: Type.Optional(Code),
    hallId: Type.Optional(Code),
  },
  { additionalProperties: false },
);
export type SupervisionQuery = Static<typeof SupervisionQuery>;

export const SupervisedCase = Type.Object({
  acceptNo: Type.String(),
  itemName: Type.String(),
  department: Type.String(),
  departmentCode: Type.String(),
  hallId: Type.String(),
  hallName: Type.String(),
  status: Type.String(),
  acceptedAt: Type.String(),
  dueAt: Type.String(),
  workingDaysLeft: Type.Integer(),
  warning: Warning,
  approverId: Type.Union([Type.String(), Type.Null()]),
  approverName: Type.Union([Type.String(), Type.Null()]),
});
export const SupervisionList = Type.Object({
  cases: Type.Array(SupervisedCase),
  counts: Type.Object({ yellow: Type.Integer(), red: Type.Integer() }),
});
export type SupervisionList = Static<typeof SupervisionList>;

export const AuditQuery = Type.Object(
  { taskId: Type.Optional(Id), acceptNo: Type.Optional(Code) },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Type.String(),
  /** The approver's name from the staff directory (null if no longer there). */
  actorName: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  taskId: Type.String(),
  acceptNo: Type.String(),
  decision: DecisionKind,
  opinion: Type.String(),
  signatureKey: Type.Union([Type.String(), Type.Null()]),
  /** A short-lived signed GET URL of the signature image, for the supervisor to see it. */
  signatureUrl: Type.Union([Type.String(), Type.Null()]),
  deficiencies: Type.Array(Type.Object({ materialCode: Type.String(), reason: Type.String() })),
  requestId: Type.String(),
  prevHash: Type.String(),
  hash: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** The chain is checked from its first entry on every read; `brokenAt` is the first entry that does not fit. */
export const AuditView = Type.Object({
  entries: Type.Array(AuditEntry),
  /** 督办 sent on the cases searched for (by 受理编号; a task search finds its case's), newest first. */
  reminders: Type.Array(Reminder),
  chain: Type.Object({
    verified: Type.Boolean(),
    length: Type.Integer(),
    brokenAt: Type.Union([Type.Integer(), Type.Null()]),
  }),
});
export type AuditView = Static<typeof AuditView>;
