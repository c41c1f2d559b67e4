import { applyDecorators, SetMetadata, type Type } from '@nestjs/common';
import { ApiExtraModels } from '@nestjs/swagger';

export const API_ANSWER_METADATA = 'register:api-answer';

/** How a route's success answer carries its view: alone, a page of them, or a whole reference list. */
export type AnswerShape = 'one' | 'page' | 'list';

export interface ApiAnswerDeclaration {
  view: Type<unknown>;
  shape: AnswerShape;
  /** The success statuses; by default the route's own (201 for a POST unless it says otherwise, else 200). */
  statuses?: number[];
  description?: string;
}

/**
 * The success answer of a route in the served OpenAPI document: the view
 * class, whose properties carry their examples. The document builder
 * (apps/api/src/api-document.ts) turns it into the success response at the
 * route's status and adds, once for every route, the problem answers, the
 * security requirement and the headers.
 */
export const ApiAnswer = (
  view: Type<unknown>,
  options: { shape?: AnswerShape; statuses?: number[]; description?: string } = {},
): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(view),
    SetMetadata(API_ANSWER_METADATA, {
      view,
      shape: options.shape ?? 'one',
      ...options,
    } satisfies ApiAnswerDeclaration),
  );

/** A page of views (`ListPages.page`): the items and the cursor of the next page, null on the last. */
export const ApiPageAnswer = (view: Type<unknown>, description?: string): MethodDecorator =>
  ApiAnswer(view, { shape: 'page', description });

/** Every entry of a reference list: `{ items }`. */
export const ApiListAnswer = (view: Type<unknown>, description?: string): MethodDecorator =>
  ApiAnswer(view, { shape: 'list', description });
