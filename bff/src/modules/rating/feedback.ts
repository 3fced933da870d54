// Rating a guide (办事指南准确吗?) and the app itself, as the national rules ask beside the
// rating of handlings, each reported to the province like every other rating (in the same
// transaction that stores it). A guide is answered once per citizen and guide version: the
// version is a hash of the guide's content, so an edited guide can be judged again, while
// repeated taps on one version never weigh more. The app is rated once per citizen; rating it
// again replaces the earlier one (and is reported as its next revision). Supervisors see each
// guide's accuracy rate (the guides to correct first) and the app's average.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  AppFeedbackBody,
  FeedbackSummary,
  GuideFeedbackBody,
  GuideFeedbackState,
  type Item,
} from '@onewindow/shared-types';
import { AppError } from '../../errors';
import { currentUser } from '../../plugins/auth';
import type { CatalogueService } from '../catalogue/service';
import type { ProvinceReporter } from './province-reporter';
import { errorResponses as errors } from '../../errors';

/** A citizen's answer to 办事指南准确吗？ for one version of one item's guide, as stored and reported. */
export interface GuideAnswer {
  userId: string;
  itemCode: string;
  itemName: string;
  guideVersion: string;
  accurate: boolean;
  comment: string;
  at: Date;
}
interface GuideFeedbackDoc extends GuideAnswer {
  _id: string; // `${userId}|${itemCode}|${guideVersion}`
}
interface AppFeedbackDoc {
  _id: string; // userId
  /** How many times this citizen rated the app: each is reported to the province as its own revision. */
  revision: number;
  level: number;
  comment: string;
  at: Date;
}

export function feedbackModels(db: Connection) {
  return {
    Guide: db.model<GuideFeedbackDoc>(
      'GuideFeedback',
      new Schema<GuideFeedbackDoc>(
        {
          _id: String,
          userId: String,
          itemCode: { type: String, index: true },
          itemName: String,
          guideVersion: String,
          accurate: Boolean,
          comment: String,
          at: Date,
        },
        { versionKey: false },
      ),
      'guide_feedback',
    ),
    App: db.model<AppFeedbackDoc>(
      'AppFeedback',
      new Schema<AppFeedbackDoc>(
        { _id: String, revision: Number, level: Number, comment: String, at: Date },
        { versionKey: false },
      ),
      'app_feedback',
    ),
  };
}

/**
 * The guide's content as the citizen read it: what they judged accurate or not, and the item
 * version (事项版本) a handling of it is reported under.
 */
export function itemVersion(item: Item): string {
  const { code, name, legalBasis, conditions, materials, approvalType, statutoryDays, promisedDays, fees } =
    item;
  const content = {
    code,
    name,
    legalBasis,
    conditions,
    materials,
    approvalType,
    statutoryDays,
    promisedDays,
    fees,
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 12);
}

export class FeedbackService {
  constructor(
    private readonly models: { Guide: Model<GuideFeedbackDoc>; App: Model<AppFeedbackDoc> },
    private readonly catalogue: CatalogueService,
    private readonly reporter: ProvinceReporter,
    private readonly now: () => Date,
  ) {}

  /** The guide's current version and the caller's answer to it, if any (the page's answered state). */
  async guideState(userId: string, itemCode: string): Promise<GuideFeedbackState> {
    const { item } = await this.catalogue.item(itemCode);
    const version = itemVersion(item);
    const mine = await this.models.Guide.findById(
      `${userId}|${item.code}|${version}`,
    ).lean<GuideFeedbackDoc>();
    return {
      guideVersion: version,
      answer: mine ? { accurate: mine.accurate, comment: mine.comment, at: mine.at.toISOString() } : null,
    };
  }

  async guide(
    userId: string,
    itemCode: string,
    body: { accurate: boolean; comment?: string },
  ): Promise<GuideFeedbackState> {
    const { item } = await this.catalogue.item(itemCode);
    const version = itemVersion(item);
    const doc = {
      _id: `${userId}|${item.code}|${version}`,
      userId,
      itemCode: item.code,
      itemName: item.name,
      guideVersion: version,
      accurate: body.accurate,
      comment: (body.comment ?? '').trim(),
      at: this.now(),
    };
    let reportId: string;
    try {
      reportId = await this.models.Guide.db.transaction(async (session) => {
        await this.models.Guide.create([doc], { session });
        return this.reporter.guideRated({ ...doc, key: doc._id }, session);
      });
    } catch (error) {
      // The id is the citizen, item and version: a second answer (or two at once) is refused.
      if ((error as { code?: number }).code === 11000) throw new AppError('GUIDE_FEEDBACK_GIVEN');
      throw error;
    }
    this.reporter.start(reportId);
    return {
      guideVersion: version,
      answer: { accurate: doc.accurate, comment: doc.comment, at: doc.at.toISOString() },
    };
  }

  async app(userId: string, body: { level: number; comment?: string }) {
    const at = this.now();
    const comment = (body.comment ?? '').trim();
    const reportId = await this.models.App.db.transaction(async (session) => {
      const stored = await this.models.App.findOneAndUpdate(
        { _id: userId },
        { $set: { level: body.level, comment, at }, $inc: { revision: 1 } },
        { upsert: true, returnDocument: 'after', session },
      ).lean<AppFeedbackDoc>();
      return this.reporter.appRated(
        { userId, revision: stored.revision, level: body.level, comment, at },
        session,
      );
    });
    this.reporter.start(reportId);
    return { ok: true };
  }

  async summary() {
    const guides: { _id: string; itemName: string; answers: number; accurate: number }[] =
      await this.models.Guide.aggregate([
        {
          $group: {
            _id: '$itemCode',
            itemName: { $first: '$itemName' },
            answers: { $sum: 1 },
            accurate: { $sum: { $cond: ['$accurate', 1, 0] } },
          },
        },
        { $sort: { _id: 1 } },
      ]);
    const [app] = await this.models.App.aggregate<{ count: number; total: number }>([
      { $group: { _id: null, count: { $sum: 1 }, total: { $sum: '$level' } } },
    ]);
    return {
      // Least accurate first: the guides to correct.
      guides: guides
        .map((g) => ({
          itemCode: g._id,
          itemName: g.itemName,
          answers: g.answers,
          accurate: g.accurate,
          accuracyRate: Math.round((g.accurate / g.answers) * 10_000) / 10_000,
        }))
        .sort((a, b) => a.accuracyRate - b.accuracyRate),
      app: { count: app?.count ?? 0, average: app ? Math.round((app.total / app.count) * 100) / 100 : null },
    };
  }
}

const ok = Type.Object({ ok: Type.Boolean() });
const itemParams = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
});

export const feedbackRoutes: FastifyPluginAsyncTypebox<{ service: FeedbackService }> = async (
  app,
  { service },
) => {
  app.get(
    '/items/:code/guide-feedback',
    {
      config: { roles: ['citizen'] },
      schema: { tags: ['rating'], params: itemParams, response: { 200: GuideFeedbackState, ...errors } },
    },
    (request) => service.guideState(currentUser(request).sub, request.params.code),
  );
  app.put(
    '/items/:code/guide-feedback',
    {
      config: { roles: ['citizen'] },
      schema: {
        tags: ['rating'],
        params: itemParams,
        body: GuideFeedbackBody,
        response: { 200: GuideFeedbackState, ...errors },
      },
    },
    (request) => service.guide(currentUser(request).sub, request.params.code, request.body),
  );
  app.put(
    '/app-feedback',
    {
      config: { roles: ['citizen'] },
      schema: { tags: ['rating'], body: AppFeedbackBody, response: { 200: ok, ...errors } },
    },
    (request) => service.app(currentUser(request).sub, request.body),
  );
  app.get(
    '/staff/ratings/feedback',
    {
      config: { roles: ['supervisor'] },
      schema: { tags: ['rating'], response: { 200: FeedbackSummary, ...errors } },
    },
    () => service.summary(),
  );
};
