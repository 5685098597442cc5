/** One route a pb_hooks file or hook module added (`routerAdd`): PocketBase's path form (`/hello/{name}`). */
export interface CustomRoute {
  readonly method: string;
  readonly path: string;
}

/**
 * The routes hooks added in this process, for the OpenAPI document (libs/apidocs) to list: the hooks lib sets
 * them when it installs them (again after a `--dev` reload); `version` changes each time.
 */
export class CustomRoutes {
  private list: readonly CustomRoute[] = [];
  private current = 0;

  replace(routes: readonly CustomRoute[]): void {
    this.list = routes.map(({ method, path }) => ({ method: method.toUpperCase(), path }));
    this.current++;
  }

  all(): readonly CustomRoute[] {
    return this.list;
  }

  get version(): number {
    return this.current;
  }
}

/** The process's custom routes. */
export const CUSTOM_ROUTES = new CustomRoutes();
