import { AppError } from "../../domain/errors.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";

/**
 * The working calendar is one for the whole installation (the government's notices apply to every office), so
 * only a system-wide administrator (no organisation) may change it.
 * @throws AppError FORBIDDEN for anyone else, an organisation's administrator included.
 */
export function assertCalendarAdmin(user: AuthUser): void {
  if (user.role !== "ADMIN" || user.organizationId !== null) {
    throw new AppError("FORBIDDEN", "calendar changes need a system-wide administrator", { messageKey: "errors.calendar_admin_only" });
  }
}
