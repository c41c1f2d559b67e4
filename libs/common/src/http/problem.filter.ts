import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem';

/** Every error that reaches HTTP leaves as problem+json; nothing else is ever sent for an error. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(request, reply, error, this.logger);
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown, logger?: Logger): void {
  // The path only: query strings may carry identifiers such as a JMBG.
  const instance = (request.url ?? '/').split('?')[0];
  const { problem, headers } = toProblem(error, instance);
  if (problem.status >= 500 && logger) {
    logger.error({ err: error, requestId: request.id }, 'request failed');
  }
  if (reply.sent) return;
  reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}
