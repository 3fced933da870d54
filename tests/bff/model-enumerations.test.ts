// Enumerations are written once (shared-types, or the model for a state only the BFF keeps) and
// the stored documents are held to the same list: a model refuses a value outside it, and a
// value that must exist cannot be left out.
import mongoose, { type Model } from 'mongoose';
import {
  APPOINTMENT_STATUSES,
  DECISION_KINDS,
  DECISION_STATES,
  PRIORITY_REASONS,
  SLOT_KINDS,
  TICKET_STATUSES,
} from '@onewindow/shared-types';
import { bookingModels } from '@onewindow/bff/modules/booking/model';
import { correctionModels, SUBMISSION_STATES } from '@onewindow/bff/modules/correction/model';
import { queueModels } from '@onewindow/bff/modules/queue/model';
import { signoffModels } from '@onewindow/bff/modules/signoff/model';

// Models compiled on a connection that never opens: validation needs no database.
const db = mongoose.createConnection();
afterAll(() => db.close());
const booking = bookingModels(db);
const signoff = signoffModels(db);
const correction = correctionModels(db);
const queue = queueModels(db);

const fields: [string, Model<any>, string, readonly (string | null)[], boolean][] = [
  ['appointment status', booking.Appointment, 'status', APPOINTMENT_STATUSES, true],
  ['appointment slot kind', booking.Appointment, 'kind', SLOT_KINDS, true],
  ['decision', signoff.Decision, 'decision', DECISION_KINDS, true],
  ['decision state', signoff.Decision, 'state', DECISION_STATES, true],
  ['audited decision', signoff.AuditEntry, 'decision', DECISION_KINDS, true],
  ['correction submission state', correction.Submission, 'state', SUBMISSION_STATES, true],
  ['ticket status', queue.Ticket, 'status', TICKET_STATUSES, true],
  ['ticket priority', queue.Ticket, 'priority', [...PRIORITY_REASONS, null], false],
];

const errorAt = (model: Model<any>, path: string, value: unknown) =>
  new model({ [path]: value }).validateSync()?.errors[path]?.kind;

test.each(fields)('%s: the schema takes the one list as its enum', (_what, model, path, list) => {
  expect(model.schema.path(path).options.enum).toEqual([...list]);
});

test.each(fields)(
  '%s: a value outside the list is refused, each listed one accepted, and a missing one refused where required',
  (_what, model, path, list, required) => {
    expect(errorAt(model, path, 'not-in-the-list')).toBe('enum');
    for (const value of list) expect(errorAt(model, path, value)).toBeUndefined();
    expect(errorAt(model, path, undefined)).toBe(required ? 'required' : undefined);
  },
);
