// Rating a guide (办事指南准确吗?) and the app itself, as the national rules ask beside the
// rating of handlings. One answer per citizen and guide, one rating per citizen of the app;
// answering again replaces the earlier one, so repeated taps never weigh more. Supervisors see
// each guide's accuracy rate (the guides to correct first) and the app's average.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Schema, type Connection, type Model } from 'mongoose';
import { AppFeedbackBody, FeedbackSummary, GuideFeedbackBody } from '@onewindow/shared-types';
import { currentUser } from '../../plugins/auth';
import type { CatalogueService } from '../catalogue/service';
import { errorResponses as errors } from '../../errors';

interface GuideFeedbackDoc {
  _id: string; // `${userId}|${itemCode}`
  itemCode: string;
  itemName: string;
  accurate: boolean;
  comment: string;
  at: Date;
}
interface AppFeedbackDoc {
  _id: string; // userId
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
          itemCode: { type: String, index: true },
          itemName: String,
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
        { _id: String, level: Number, comment: String, at: Date },
        { versionKey: false },
      ),
      'app_feedback',
    ),
  };
}

export class FeedbackService {
  constructor(
    private readonly models: { Guide: Model<GuideFeedbackDoc>; App: Model<AppFeedbackDoc> },
    private readonly catalogue: CatalogueService,
    private readonly now: () => Date,
  ) {}

  async guide(userId: string, itemCode: string, body: { accurate: boolean; comment?: string }) {
    const { item } = await this.catalogue.item(itemCode);
    await this.models.Guide.updateOne(
      { _id: `${userId}|${item.code}` },
      {
        $set: {
          itemCode: item.code,
          itemName: item.name,
          accurate: body.accurate,
          comment: (body.comment ?? '').trim(),
          at: this.now(),
        },
      },
      { upsert: true },
    );
    return { ok: true };
  }

  async app(userId: string, body: { level: number; comment?: string }) {
    await this.models.App.updateOne(
      { _id: userId },
      { $set: { level: body.level, comment: (body.comment ?? '').trim(), at: this.now() } },
      { upsert: true },
    );
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
    const [app] = await this.models.App.aggregate([
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

export const feedbackRoutes: FastifyPluginAsyncTypebox<{ service: FeedbackService }> = async (
  app,
  { service },
) => {
  app.put(
    '/items/:code/guide-feedback',
    {
      config: { roles: ['citizen'] },
      schema: {
        tags: ['rating'],
        params: Type.Object({
          code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
        }),
        body: GuideFeedbackBody,
        response: { 200: ok, ...errors },
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
