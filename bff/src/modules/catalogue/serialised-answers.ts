// The catalogue's public answers as they were serialised, per URL, until the copy changes: a
// morning's thousands of reads of the same guide or hall list are one serialisation, and a
// phone that kept an answer gets `304 Not Modified` for its `If-None-Match` instead of the
// body again (on a slow mobile network, the difference a citizen sees).
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Enough for every hall and guide, and the common searches; the oldest URL goes first. */
const ANSWERS_KEPT = 5_000;

interface Answer {
  version: string;
  etag: string;
  body: string;
}

export class SerialisedAnswers {
  private readonly answers = new Map<string, Answer>();

  /**
   * Answers `request` from the kept serialisation when the catalogue's `version` is the one it
   * was made from; otherwise runs `produce` (whose errors answer as usual) and keeps its
   * serialisation by the route's response schema.
   */
  async answer(
    request: FastifyRequest,
    reply: FastifyReply,
    version: string,
    produce: () => Promise<unknown>,
  ): Promise<FastifyReply> {
    let answer = this.answers.get(request.url);
    if (answer?.version !== version) {
      // The route's JSON serializer answers text.
      const body = reply.serialize(await produce()) as string;
      answer = {
        version,
        etag: `"${createHash('sha256').update(version).update(body).digest('base64url').slice(0, 27)}"`,
        body,
      };
      this.answers.delete(request.url);
      if (this.answers.size >= ANSWERS_KEPT) this.answers.delete(this.answers.keys().next().value!);
      this.answers.set(request.url, answer);
    }
    // Revalidate on every use: the copy can change at any minute, and a 304 costs a few bytes.
    const { etag, body } = answer;
    void reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  }
}
