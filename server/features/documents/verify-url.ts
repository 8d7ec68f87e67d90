import type { Config } from "../../config/env.ts";

/** Where the public verification page of `code` lives: PUBLIC_URL, or this server on localhost. */
export function verifyUrl(config: Pick<Config, "PUBLIC_URL" | "PORT">, code: string): string {
  const base = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
  return `${base}/verify/${code}`;
}
