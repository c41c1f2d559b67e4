import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';

export const API_ANSWER_METADATA = 'register:api-answer';

/** How a route's success answer carries its view: alone, a page of them, or a whole reference list. */
export type AnswerShape = 'one' | 'page' | 'list' | 'file';

export interface ApiAnswerDeclaration {
  /** The view, or the views of which the answer is one. */
  views: Type<unknown>[];
  shape: AnswerShape;
  /** The success statuses; by default the route's own (201 for a POST unless it says otherwise, else 200). */
  statuses?: number[];
  description?: string;
  /** A file's content types (shape `file`). */
  contentTypes?: string[];
}

/**
 * The success answer of a route in the served OpenAPI document: the view
 * class, whose properties carry their examples. The document builder
 * (apps/api/src/api-document.ts) turns it into the success response at the
 * route's status and adds, once for every route, the problem answers, the
 * security requirement and the headers.
 */
export const ApiAnswer = (
  view: Type<unknown> | Type<unknown>[],
  options: { shape?: AnswerShape; statuses?: number[]; description?: string; contentTypes?: string[] } = {},
): MethodDecorator => {
  const views = Array.isArray(view) ? view : [view];
  const declaration: ApiAnswerDeclaration = { views, shape: options.shape ?? 'one', ...options };
  // A route may answer at several statuses (200 with the account, 202 with a pending change): one each.
  const declare: MethodDecorator = (_target, _key, descriptor) => {
    const declared: ApiAnswerDeclaration[] = Reflect.getMetadata(API_ANSWER_METADATA, descriptor.value as object) ?? [];
    Reflect.defineMetadata(API_ANSWER_METADATA, [...declared, declaration], descriptor.value as object);
  };
  return views.length > 0 ? applyDecorators(ApiExtraModels(...views), declare) : declare;
};

/** A page of views (`ListPages.page`): the items and the cursor of the next page, null on the last. */
export const ApiPageAnswer = (view: Type<unknown>, description?: string): MethodDecorator =>
  ApiAnswer(view, { shape: 'page', description });

/** Every entry of a reference list: `{ items }`. */
export const ApiListAnswer = (view: Type<unknown>, description?: string): MethodDecorator =>
  ApiAnswer(view, { shape: 'list', description });

/** A file (an image, a PDF, JSON Lines) in one of these content types. */
export const ApiFileAnswer = (contentTypes: string[], description: string): MethodDecorator =>
  ApiAnswer([], { shape: 'file', contentTypes, description });

/** A set of public keys as JSON Web Keys (RFC 7517). */
export class JsonWebKeySet {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'k1' }],
  })
  keys!: Record<string, unknown>[];
}
