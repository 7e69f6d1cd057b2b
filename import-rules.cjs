/**
 * The import check of `pnpm lint` (dependency-cruiser), shared by the packages that define
 * layers (`apps/mm-runner/.dependency-cruiser.cjs`, `packages/core/.dependency-cruiser.cjs`):
 * no import circles, and no import running up the layers. Each package lists its layers top
 * to bottom as one regular expression per layer (paths as the package's lint script sees
 * them: `src/...`); a module may import its own layer and any layer below, never one above.
 *
 * `known` lists violations already there when the check came, each by its exact importing
 * file and imported file: only that one import is let through, and any other import of the
 * same kind (a new circle, a new upward import) still fails. Delete an entry when its import
 * is gone.
 */

const { readdirSync } = require("node:fs");

/** Every source file is in exactly one layer, so no file escapes the layer rules. */
function checkPlaced(layers) {
  const files = readdirSync("src", { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /[.](ts|mts|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => `${entry.parentPath ?? entry.path}/${entry.name}`.replace(/\\/g, "/"))
    .filter((file) => !file.startsWith("src/gen/"));
  const problems = files.flatMap((file) => {
    const found = layers.filter((layer) => new RegExp(layer.path).test(file));
    return found.length === 1
      ? []
      : [
          `${file}: in ${found.length === 0 ? "no layer" : found.map((each) => each.name).join(" and ")}`,
        ];
  });
  if (problems.length > 0) {
    throw new Error(`every file in src/ belongs to exactly one layer:\n  ${problems.join("\n  ")}`);
  }
}

const list = (value) => (value === undefined ? [] : [value].flat());
const exact = (path) => `^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;

/** `restriction` (a rule's `from` or `to`) not matching any of `nots` either. */
const excluding = (restriction, nots) => ({
  ...restriction,
  pathNot: [...list(restriction.pathNot), ...nots],
});

/** `rule` with the known violations of it let through, each by its exact from → to. */
function exempting(rule, known) {
  const mine = known.filter((each) => each.rule === rule.name);
  if (mine.length === 0) return [rule];
  const froms = [...new Set(mine.map((each) => each.from))];
  return [
    { ...rule, from: excluding(rule.from, froms.map(exact)) },
    ...froms.map((from) => ({
      ...rule,
      from: { ...rule.from, path: exact(from) },
      to: excluding(
        rule.to,
        mine.filter((each) => each.from === from).map((each) => exact(each.to)),
      ),
    })),
  ];
}

/**
 * No circle between folders: a folder's modules never reach back into it. It cannot let a
 * known violation through (a folder circle is reported on every one of its arrows), so a
 * package turns it off (`folderCircles: false`) while it has folder circles, and says which.
 */
const FOLDER_CIRCLES = {
  name: "no-circular-folders",
  severity: "error",
  comment: "No circle between folders either: a folder's modules never reach back into it.",
  scope: "folder",
  from: {},
  to: { circular: true },
};

/**
 * A dependency-cruiser configuration: `layers` top to bottom (`{name, path, comment}`), any
 * `rules` of the package's own, the `known` violations (`{rule, from, to}`), and whether
 * circles between folders are checked too (`folderCircles`).
 */
function importRules({ layers, rules = [], known = [], folderCircles = true }) {
  const layerRules = layers.slice(1).map((layer, index) => {
    const above = layers.slice(0, index + 1);
    return {
      name: `layer-${layer.name}`,
      severity: "error",
      comment: `${layer.name} (${layer.comment}) imports nothing above it: ${above.map((each) => each.name).join(", ")}`,
      from: { path: layer.path },
      to: { path: above.map((each) => each.path) },
    };
  });
  const all = [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import circle: a module never (even by a type) reaches itself.",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "Every import resolves, so the check sees every edge.",
      from: {},
      to: { couldNotResolve: true },
    },
    ...(folderCircles ? [FOLDER_CIRCLES] : []),
    ...layerRules,
    ...rules,
  ];
  const named = new Set(all.map((rule) => rule.name));
  for (const each of known) {
    if (!named.has(each.rule) || each.rule === FOLDER_CIRCLES.name) {
      throw new Error(`a known violation cannot be let through for rule ${each.rule}`);
    }
  }
  checkPlaced(layers);
  return {
    forbidden: all.flatMap((rule) => exempting(rule, known)),
    options: {
      // Type-only imports count: a circle of types is still a circle to read.
      tsPreCompilationDeps: true,
      tsConfig: { fileName: "tsconfig.json" },
      // Other packages and node_modules are leaves: their own checks look inside them.
      doNotFollow: { path: ["node_modules", "^[.][.]/"] },
      exclude: { path: "^src/gen/" },
      // `.ts` imports are written with their extension (allowImportingTsExtensions).
      enhancedResolveOptions: {
        extensions: [".ts", ".mjs", ".js", ".cjs", ".json"],
        exportsFields: ["exports"],
        conditionNames: ["import", "require", "node", "default", "types"],
      },
      reporterOptions: { text: { highlightFocused: true } },
    },
  };
}

module.exports = { importRules };
