import { isIP } from "node:net";

/**
 * Whether a request's `Host` header names this server in a way a DNS-rebinding page cannot
 * forge: an IP address (the page's requests carry its own DNS name, never an address),
 * `localhost`, or a name the operator configured (OPS_ALLOWED_HOSTS). The port is ignored.
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const name = hostnameOf(host.trim().toLowerCase());
  if (name === undefined) return false;
  if (isIP(name) !== 0 || name === "localhost") return true;
  const bare = name.replace(/\.$/, "");
  return allowed.some((each) => each.replace(/\.$/, "") === bare);
}

/** `example.com:9464` → `example.com`, `[::1]:9464` → `::1`; undefined when malformed. */
function hostnameOf(host: string): string | undefined {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    if (end === -1) return undefined;
    const rest = host.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return undefined;
    return host.slice(1, end);
  }
  const match = /^([^:]+)(?::\d{1,5})?$/.exec(host);
  return match?.[1];
}
