/** `npm start`: runs chidao; stops cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from "./config/env.ts";
import { createLogger, scrubText } from "./config/logger.ts";
import { startRuntime } from "./runtime.ts";

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    // No logger yet: its level is part of the configuration that just failed. zod's messages name
    // variables, not values; scrubbed all the same (a URL with a password).
    process.stderr.write(`${scrubText(err.message)}\n`);
    process.exit(1);
  }
  throw err;
}
const logger = createLogger(config.LOG_LEVEL);
// Node would print these raw (a rejected Bot API call carries the token in its URL): through the
// logger instead, then the process ends as Node would end it.
process.on("uncaughtException", (err) => {
  logger.fatal({ err }, "uncaught exception");
  process.exit(1);
});
process.on("unhandledRejection", (err) => {
  logger.fatal({ err }, "unhandled rejection");
  process.exit(1);
});
const runtime = await startRuntime(config, logger).catch((err) => {
  logger.fatal({ err }, "chidao could not start");
  process.exit(1);
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
