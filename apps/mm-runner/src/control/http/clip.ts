import type { Problem } from "../../config/raw.ts";

/** The longest piece of what a caller sent that is ever echoed (answers, audit lines). */
export const MAX_ECHO_CHARS = 40;

/** `text` cut to `max` characters with an ellipsis: never echo a caller's megabyte back. */
export function clip(text: string, max = MAX_ECHO_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * A value as it may be shown back: short scalars as they are, long text clipped, lists
 * and objects as their clipped JSON text (never walked deeply: JSON.stringify of a deeply
 * nested value could itself overflow the stack).
 */
export function clipValue(value: unknown): unknown {
  if (typeof value === "string") return clip(value);
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value !== "object") return clip(String(value));
  return Array.isArray(value) ? "[a list]" : "{an object}";
}

/** A problem about a caller's input, with its name and value clipped. */
export function clipProblem(problem: Problem): Problem {
  return {
    ...problem,
    name: clip(problem.name),
    ...(problem.value === undefined ? {} : { value: clipValue(problem.value) }),
  };
}

/** How deep a control body may nest: the largest valid one is 2 levels deep. */
export const MAX_BODY_DEPTH = 8;

/**
 * How deeply `text` nests its JSON arrays and objects (brackets in strings do not count),
 * measured without parsing, so a 50,000-deep body is refused before anything recurses.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{" || char === "[") deepest = Math.max(deepest, ++depth);
    else if (char === "}" || char === "]") depth--;
  }
  return deepest;
}
