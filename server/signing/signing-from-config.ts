import type { Config } from "../config/env.ts";
import { AppError } from "../domain/errors.ts";
import { createLocalP12Transport } from "./local-p12-transport.ts";
import type { SigningTransport } from "./signing-transport.ts";

/** Gives the configured transport, or null when the server does not sign. */
export type SigningProvider = () => Promise<SigningTransport | null>;

/**
 * The signing transport SIGNING_P12_PATH / SIGNING_P12_PASSWORD describe, opened on first use and
 * kept. A file that cannot be opened (missing, wrong password) is retried on the next call, so an
 * operator can fix it without a restart.
 * @throws AppError UNAVAILABLE (503) from the provider while the PKCS#12 cannot be opened.
 */
export function signingFromConfig(config: Pick<Config, "SIGNING_P12_PATH" | "SIGNING_P12_PASSWORD">): SigningProvider {
  let opened: Promise<SigningTransport> | null = null;
  return async () => {
    if (!config.SIGNING_P12_PATH) return null;
    opened ??= createLocalP12Transport({ path: config.SIGNING_P12_PATH, password: config.SIGNING_P12_PASSWORD });
    try {
      return await opened;
    } catch (err) {
      opened = null;
      throw new AppError("UNAVAILABLE", "signing certificate unavailable", { messageKey: "errors.unavailable", params: { what: "chữ ký số (SIGNING_P12_PATH)" }, cause: err });
    }
  };
}
