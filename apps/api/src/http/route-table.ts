import type { Express, Router } from "express";

/** Where each router is mounted, kept on the app so tests can enumerate every route. */
export interface Mount {
  readonly path: string;
  readonly router: Router;
}

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

export function recordMounts(app: Express, mounts: readonly Mount[]): void {
  app.locals.mounts = mounts;
}

/** Every route as "METHOD /path/:param", for example "GET /v1/endpoints/:id". */
export function routeTable(app: Express): string[] {
  const mounts = (app.locals.mounts ?? []) as readonly Mount[];
  return mounts.flatMap(({ path, router }) =>
    (router.stack as RouteLayer[]).flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${path}${layer.route?.path === "/" ? "" : layer.route?.path}`)
        : [],
    ),
  );
}
