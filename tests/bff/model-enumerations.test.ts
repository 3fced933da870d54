// Enumerations are written once (shared-types, or the model for a state only the BFF keeps) and
// the stored documents are held to the same list: a model refuses a value outside it, and a
// value that must exist cannot be left out.
import mongoose, { type Model } from 'mongoose';
import {
  APPEAL_STATUSES,
  APPOINTMENT_STATUSES,
  DECISION_KINDS,
  DECISION_STATES,
  FOLLOW_UP_STATUSES,
  HALL_LEVELS,
  NOTICE_KINDS,
  PRIORITY_REASONS,
  RATING_CHANNELS,
  RATING_STAGES,
  RATING_TARGET_KINDS,
  RATING_VIAS,
  SLOT_KINDS,
  TICKET_STATUSES,
} from '@onewindow/shared-types';
import { APPLICATION_UPLOAD_STATES, applicationModels } from '@onewindow/bff/modules/application/model';
import { bookingModels } from '@onewindow/bff/modules/booking/model';
import { catalogueModels } from '@onewindow/bff/modules/catalogue/model';
import {
  CORRECTION_UPLOAD_STATES,
  correctionModels,
  SUBMISSION_STATES,
} from '@onewindow/bff/modules/correction/model';
import { messageModels } from '@onewindow/bff/modules/messages/model';
import { queueModels } from '@onewindow/bff/modules/queue/model';
import { LINK_VIAS, ratingLinkModel, ratingModels } from '@onewindow/bff/modules/rating/model';
import { DECIDING_ROLES, SIGNATURE_STATES, signoffModels } from '@onewindow/bff/modules/signoff/model';

// Models compiled on a connection that never opens: validation needs no database.
const db = mongoose.createConnection();
afterAll(() => db.close());
const booking = bookingModels(db);
const signoff = signoffModels(db);
const correction = correctionModels(db);
const queue = queueModels(db);
const { Rating } = ratingModels(db);
const RatingLink = ratingLinkModel(db);
const { Message } = messageModels(db);
const catalogue = catalogueModels(db);
const application = applicationModels(db);

const fields: [string, Model<any>, string, readonly (string | null)[], boolean][] = [
  ['appointment status', booking.Appointment, 'status', APPOINTMENT_STATUSES, true],
  ['appointment slot kind', booking.Appointment, 'kind', SLOT_KINDS, true],
  ['decision', signoff.Decision, 'decision', DECISION_KINDS, true],
  ['decision state', signoff.Decision, 'state', DECISION_STATES, true],
  ['audited decision', signoff.AuditEntry, 'decision', DECISION_KINDS, true],
  ['correction submission state', correction.Submission, 'state', SUBMISSION_STATES, true],
  ['ticket status', queue.Ticket, 'status', TICKET_STATUSES, true],
  ['ticket priority', queue.Ticket, 'priority', [...PRIORITY_REASONS, null], false],
  ['rating channel', Rating, 'channel', RATING_CHANNELS, true],
  ['rating stage', Rating, 'stage', RATING_STAGES, true],
  ['rated handling kind', Rating, 'target.kind', RATING_TARGET_KINDS, true],
  // Absent, a rating was given in the app.
  ['rating way in', Rating, 'via', RATING_VIAS, false],
  ['follow-up status', Rating, 'followUp.status', FOLLOW_UP_STATUSES, true],
  ['appeal status', Rating, 'appeal.status', APPEAL_STATUSES, true],
  ['rating link way in', RatingLink, 'via', LINK_VIAS, false],
  ['rating link handling kind', RatingLink, 'target.kind', RATING_TARGET_KINDS, false],
  ['message kind', Message, 'kind', NOTICE_KINDS, true],
  ['hall level', catalogue.Hall, 'level', HALL_LEVELS, true],
  ['decision role', signoff.Decision, 'role', DECIDING_ROLES, true],
  ['audited role', signoff.AuditEntry, 'role', DECIDING_ROLES, true],
  ['signature upload state', signoff.SignatureUpload, 'state', SIGNATURE_STATES, true],
  ['correction upload state', correction.Upload, 'state', CORRECTION_UPLOAD_STATES, true],
  ['application upload state', application.Upload, 'state', APPLICATION_UPLOAD_STATES, true],
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
