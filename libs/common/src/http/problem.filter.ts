import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OutOfReach } from '../errors/domain-error';
import { type Problem, PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem';

/** The most field errors one answer lists: a hostile request could otherwise have thousands named back. */
export const MAX_LISTED_ERRORS = 20;

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

const OUT_OF_REACH = Symbol('answered out of reach');

/** Whether the request was answered with a record out of the caller's reach: the audit records a denial. */
export function answeredOutOfReach(request: FastifyRequest): boolean {
  return (request as FastifyRequest & { [OUT_OF_REACH]?: boolean })[OUT_OF_REACH] === true;
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown, logger?: Logger): void {
  if (error instanceof OutOfReach) (request as FastifyRequest & { [OUT_OF_REACH]?: boolean })[OUT_OF_REACH] = true;
  // The path only: query strings may carry identifiers such as a JMBG.
  const instance = (request.url ?? '/').split('?')[0];
  const { problem: full, headers } = toProblem(error, instance);
  const problem = withListedErrors(full);
  if (problem.status >= 500 && logger) {
    logger.error({ err: error, requestId: request.id }, 'request failed');
  }
  if (reply.sent) return;
  reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** The problem with at most MAX_LISTED_ERRORS errors, its detail saying how many there were. */
export function withListedErrors(problem: Problem): Problem {
  const errors = problem.errors;
  if (!errors || errors.length <= MAX_LISTED_ERRORS) return problem;
  return {
    ...problem,
    detail: `${problem.detail} The first ${MAX_LISTED_ERRORS} of ${errors.length} errors are listed.`,
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  };
}
