import type { FastifyReply } from 'fastify';

/**
 * An answer whose success status the work decides (a PUT that created, 201,
 * or replaced, 200; a change held for approval, 202). The audit layer
 * records that status; the controller answers with it (`answerWith`).
 */
export class Answer<V> {
  constructor(
    readonly view: V,
    readonly status: number,
  ) {}

  /** 201 for a creation, 200 for a replacement. */
  static put<V>(view: V, created: boolean): Answer<V> {
    return new Answer(view, created ? 201 : 200);
  }
}

/** Sets the reply's status from the answer and returns what the client sees. */
export function answerWith<V>(reply: FastifyReply, answer: Answer<V>): V {
  reply.code(answer.status);
  return answer.view;
}
