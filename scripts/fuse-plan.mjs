// What scripts/build.mjs bundles into the fused init handler, decided from
// esbuild's metafile alone (pure, so test/cli/fuse-plan.test.ts checks it on
// small made-up graphs).
//
// Node loads each chunk as a module of its own (resolve, read, link,
// evaluate), and the init handler's code is spread over a dozen chunks, one
// per set of commands sharing it. The plan puts into one file every chunk the
// handler imports, except
//  - the chunks already loaded when the handler is (`before`: cli.js's and
//    the init spec's), and
//  - the chunks that a large lazy part (ajv, yaml) shares with it (`kept`,
//    files of their own, loaded by both),
// and with them each lazy part that would otherwise load one of its modules
// again (the self-test loads templates), still run only when called. Lazy
// parts that share nothing stay files of their own (`later`). So no module
// is ever loaded twice in an init run: a second copy of a class (UserError,
// TemplateError) would fail every `instanceof`. twiceLoaded() checks it.

const STATIC = ['import-statement'];
const ANY = ['import-statement', 'dynamic-import'];

/** The output files `file` imports (of the given kinds), bundled ones only. */
function importsOf(outputs, file, kinds) {
  return (outputs[file]?.imports ?? [])
    .filter((i) => !i.external && kinds.includes(i.kind))
    .map((i) => i.path);
}

/** Every output reachable from `roots` through imports of the given kinds, the roots included. */
export function closure(outputs, roots, kinds) {
  const seen = new Set();
  const todo = [...roots];
  while (todo.length > 0) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...importsOf(outputs, file, kinds));
  }
  return seen;
}

/**
 * The plan for fusing `handler`: `inline` (bundled into the fused file),
 * `kept` and `later` (imported from it as they are). `loaded` are the
 * outputs loaded before the handler; a lazy part whose own code is over
 * `lazyBytes` is never fused.
 */
export function planFusion(outputs, { handler, loaded, lazyBytes }) {
  const before = closure(outputs, loaded, STATIC);
  const inline = new Set();
  const kept = new Set();
  const adding = (file) =>
    [...closure(outputs, [file], STATIC)].filter(
      (f) => !before.has(f) && !inline.has(f) && !kept.has(f),
    );
  const bytes = (files) => files.reduce((n, f) => n + outputs[f].bytes, 0);
  for (const f of adding(handler)) inline.add(f);
  let lazy;
  for (;;) {
    lazy = [
      ...new Set([...inline].flatMap((f) => importsOf(outputs, f, ['dynamic-import']))),
    ].filter((f) => !inline.has(f));
    const overlapping = lazy.filter((f) =>
      [...closure(outputs, [f], ANY)].some((g) => inline.has(g)),
    );
    if (overlapping.length === 0) break;
    for (const file of overlapping) {
      const added = adding(file);
      if (bytes(added) <= lazyBytes) for (const f of added) inline.add(f);
      else for (const f of closure(outputs, [file], ANY)) if (inline.delete(f)) kept.add(f);
    }
  }
  return { before, inline, kept, later: closure(outputs, lazy, ANY) };
}

/**
 * The source modules an init run could load twice under `plan`, as
 * messages: each bundled module (Node's built-ins aside, which are one
 * instance whoever requires them) must sit in one file only.
 */
export function twiceLoaded(outputs, plan, fusedFile) {
  const owner = new Map();
  const problems = [];
  const claim = (file, source) => {
    if (source.startsWith('node-builtin:')) return;
    const other = owner.get(source);
    if (other !== undefined && other !== file)
      problems.push(
        `${source} would be loaded twice by init (${other} and ${fusedFile === file ? `${file} (fused)` : file})`,
      );
    else owner.set(source, file);
  };
  for (const file of new Set([...plan.before, ...plan.later, ...plan.kept]))
    for (const source of Object.keys(outputs[file].inputs)) claim(file, source);
  for (const file of plan.inline)
    for (const source of Object.keys(outputs[file].inputs)) claim(fusedFile, source);
  return problems;
}
