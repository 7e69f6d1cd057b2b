export interface ListenAddress {
  /** Without brackets for IPv6, e.g. `127.0.0.1`, `::1`, `0.0.0.0`. */
  readonly host: string;
  /** 0 asks the system for a free port. */
  readonly port: number;
}

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/**
 * `METRICS_ADDR` → where to listen, or `undefined` for `off` (the endpoint is disabled).
 * Bad input is an error naming the variable and the value.
 */
export function parseMetricsAddr(value: string, name = "METRICS_ADDR"): ListenAddress | undefined {
  const text = value.trim();
  if (text.toLowerCase() === "off") return undefined;
  const match = HOST_PORT.exec(text);
  const port = match === null ? Number.NaN : Number(match[3]);
  if (match === null || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `${name}=${JSON.stringify(value)}: must be host:port (e.g. 127.0.0.1:9464, [::1]:9464) or off`,
    );
  }
  return { host: match[1] ?? match[2]!, port };
}

/** `host:port`, bracketing IPv6 hosts. */
export function formatAddress({ host, port }: ListenAddress): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
