import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { AUDIT_METADATA } from '@app/audit';
import { ACCESS_METADATA } from '@app/authz';
import type { TestApp } from './test-app';

/**
 * Every route the application registered, read from Nest's metadata: the
 * access matrix checks each has its declaration, audit action and row; the
 * attack suites send input to each.
 */
export interface RegisteredRoute {
  /** As the controllers declare it: `METHOD controller/path`, e.g. `GET persons/:id/photos/:photoId`. */
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The declared path without the global prefix, e.g. `persons/:id/photos/:photoId`. */
  path: string;
  /** The names of the path parameters, in order. */
  params: string[];
  declared: boolean;
  audited: boolean;
  isPublic: boolean;
  /** The controller class and the name of its handler method, for reading the handler's own metadata. */
  controller: Function;
  handler: string;
}

const join = (...parts: string[]): string =>
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

export function registeredRoutes(t: TestApp): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!controller) continue;
      const base: string = Reflect.getMetadata(PATH_METADATA, controller) ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path: string | undefined = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const access =
          Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, controller);
        const full = join(base, path);
        routes.push({
          route: `${method} ${full}`,
          method: method as RegisteredRoute['method'],
          path: full,
          params: [...full.matchAll(/:(\w+)/g)].map((m) => m[1]),
          declared: access !== undefined,
          audited: Reflect.getMetadata(AUDIT_METADATA, handler) !== undefined,
          isPublic: access?.kind === 'public',
          controller,
          handler: name,
        });
      }
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

/** A fresh UUID for each path parameter of `route`: an address of records that do not exist. */
export function randomParams(route: Pick<RegisteredRoute, 'params'>): Record<string, string> {
  return Object.fromEntries(route.params.map((name) => [name, randomUUID()]));
}

/** Routes served outside the `/api/v1` prefix (see apps/api/src/http-app.ts). */
const UNPREFIXED = /^(health\/|metrics$|\.well-known\/)/;

/**
 * The URL of a route with its parameters replaced by `values` (already
 * encoded for a path: they are inserted as they are).
 */
export function urlOf(route: Pick<RegisteredRoute, 'path'>, values: Record<string, string> = {}): string {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? name);
  return UNPREFIXED.test(route.path) ? `/${path}` : `/api/v1/${path}`;
}
