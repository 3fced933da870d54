// The composition root: every feature's service built once, so a feature that needs another
// (booking needs the catalogue, the notifier needs the citizen's openid) calls its service,
// never its models.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { IdempotentWrites } from './plugins/idempotency';
import { authModels } from './modules/auth/model';
import { AuthService } from './modules/auth/service';
import { catalogueModels } from './modules/catalogue/model';
import { CatalogueService } from './modules/catalogue/service';
import { messageModels } from './modules/messages/model';
import { Notifier } from './modules/messages/notifier';
import { MessageService } from './modules/messages/service';
import { SmsGateway } from './modules/messages/sms-gateway';
import { SmsSender } from './modules/messages/sms-sender';
import { queueModels } from './modules/queue/model';
import { TicketIssuer } from './modules/queue/tickets';
import { QueueService } from './modules/queue/service';
import { OperatingFigures } from './modules/queue/figures';
import { bookingModels } from './modules/booking/model';
import { BookingService } from './modules/booking/service';
import { progressModels } from './modules/progress/model';
import { ProgressService } from './modules/progress/service';
import { correctionModels } from './modules/correction/model';
import { CorrectionService } from './modules/correction/service';
import { applicationModels } from './modules/application/model';
import { ApplicationService } from './modules/application/service';
import { PrecheckService } from './modules/application/precheck';
import { AgencyService } from './modules/application/agency';
import { AssistedService } from './modules/application/assisted';
import { ratingLinkModel, ratingModels } from './modules/rating/model';
import { RatingLinks } from './modules/rating/links';
import { FeedbackService, feedbackModels } from './modules/rating/feedback';
import { ProvinceReporter, provinceReportModel } from './modules/rating/province-reporter';
import { RatingService } from './modules/rating/service';
import { signoffModels } from './modules/signoff/model';
import { SignoffService } from './modules/signoff/service';
import { WorkingCalendar } from '@onewindow/shared-types/working-days';

export type Services = ReturnType<typeof createServices>;

export function createServices(app: FastifyInstance, config: Config, now: () => Date) {
  const auth = new AuthService(authModels(app.db), app.accessTokens, app.core, app.wechat, config);
  app.accessTokens.useRevocations(auth.revoked);
  const catalogue = new CatalogueService(
    catalogueModels(app.db),
    app.core,
    config.catalogueRefreshMs,
    now,
    app.oss,
  );
  const messageStore = messageModels(app.db);
  const sms = new SmsSender(
    messageStore,
    new SmsGateway(config.sms),
    (userId) => auth.phone(userId),
    config.sms,
    config.identity.hashKey,
    now,
    app.log,
  );
  const notifier = new Notifier(
    messageStore,
    app.wechat,
    (userId) => auth.openid(userId),
    { ...config.wechat, ...config.notify },
    now,
    app.log,
    sms,
  );
  const messages = new MessageService(
    messageStore,
    config.wechat.templates,
    sms,
    config.sms.receiptToken,
    now,
  );
  const queueStore = queueModels(app.db);
  const tickets = new TicketIssuer(queueStore, now);
  const queue = new QueueService(
    queueStore,
    tickets,
    catalogue,
    (userId) => auth.identityNumber(userId),
    (userId) => auth.maskedName(userId),
    notifier,
    config.queue,
    now,
    app.log,
  );
  const booking = new BookingService(
    bookingModels(app.db),
    catalogue,
    queue,
    auth,
    config.booking,
    config.booking.qrSigningKey,
    now,
  );
  const progress = new ProgressService(
    progressModels(app.db),
    app.core,
    catalogue,
    auth,
    notifier,
    { ...config.progress, identity: config.identity },
    now,
  );
  const correction = new CorrectionService(
    correctionModels(app.db),
    app.core,
    app.oss,
    progress,
    config.upload,
    now,
  );
  const applicationStore = applicationModels(app.db);
  const agency = new AgencyService(applicationStore, auth, catalogue, config.identity, now);
  const assisted = new AssistedService(applicationStore, app.core, catalogue, config.identity, now);
  const application = new ApplicationService(
    applicationStore,
    app.core,
    app.oss,
    progress,
    auth,
    agency,
    assisted,
    { draftTtlDays: config.application.draftTtlDays, upload: config.upload },
    now,
  );
  const prechecks = new PrecheckService(
    applicationStore,
    app.core,
    app.oss,
    progress,
    config.signoff.materialUrlTtlSeconds,
    now,
  );
  const calendar = new WorkingCalendar(config.calendar.holidays, config.calendar.makeupWorkdays);
  const rating = new RatingService(
    ratingModels(app.db),
    progress,
    queue,
    booking,
    catalogue,
    notifier,
    calendar,
    config.rating,
    now,
    app.log,
  );
  const province = new ProvinceReporter(
    provinceReportModel(app.db),
    config.province,
    config.identity.hashKey,
    now,
    app.log,
  );
  rating.useReporter(province);
  const feedback = new FeedbackService(feedbackModels(app.db), catalogue, province, now);
  const ratingLinks = new RatingLinks(
    ratingLinkModel(app.db),
    rating,
    queue,
    { ...config.rating, secret: config.jwt.secret },
    now,
  );
  sms.useRatingLinks((userId, acceptNo) => ratingLinks.smsLink(userId, acceptNo));
  const signoff = new SignoffService(
    signoffModels(app.db),
    app.core,
    app.oss,
    catalogue,
    progress,
    notifier,
    calendar,
    {
      ...config.signoff,
      policyTtlSeconds: config.upload.policyTtlSeconds,
      orphanGraceMs: config.upload.orphanGraceMs,
    },
    now,
    app.log,
  );
  const queueFigures = new OperatingFigures(
    queueStore,
    catalogue,
    {
      bookings: (hallId, from, to) => booking.bookingsOf(hallId, from, to),
      staffName: (staffId) => signoff.staffName(staffId),
    },
    config.queue.targetWaitMinutes,
    now,
  );
  return {
    auth,
    catalogue,
    notifier,
    messages,
    queue,
    queueFigures,
    booking,
    progress,
    correction,
    rating,
    ratingLinks,
    province,
    feedback,
    signoff,
    application,
    prechecks,
    agency,
    assisted,
    idempotency: new IdempotentWrites(app.db),
  };
}
