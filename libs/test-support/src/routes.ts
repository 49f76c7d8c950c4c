/** "METHOD /path" of every route an Express 4 app answers (its router's own table). */
export function expressRoutes(app: unknown): string[] {
  const stack =
    (app as { _router?: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } })._router?.stack ?? [];
  return stack
    .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : []))
    .sort();
}

/** "METHOD /path" of every operation an OpenAPI document describes. */
export function openApiOperations(doc: { paths: Record<string, object> }): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}
