import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Checks an `Authorization` header against the token in constant time: both sides are
 * hashed first, so the comparison takes the same time whatever the length or content of
 * the guess, and the token is never compared (or logged) as text.
 */
export function createBearerCheck(token: string): (header: string | undefined) => boolean {
  if (token === "") throw new Error("CONTROL_TOKEN must not be empty");
  const expected = digest(token);
  return (header) => {
    const match = /^Bearer (.+)$/.exec(header ?? "");
    // Hash something even when there is no token, so a missing header is not faster.
    const given = digest(match?.[1] ?? "");
    return timingSafeEqual(given, expected) && match !== null;
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
