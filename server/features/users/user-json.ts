/** A user as the API shows it (never the password hash). */
export type UserJson = {
  id: number;
  email: string;
  name: string;
  role: "ADMIN" | "OFFICER" | "CLERK" | "VIEWER";
  organization_code: string | null;
  locale: string;
  disabled: boolean;
  disabled_at: string | null;
  created_at: string;
};

/** The Prisma `select` that {@link toUserJson} needs. */
export const USER_JSON_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  locale: true,
  disabledAt: true,
  createdAt: true,
  organization: { select: { code: true } },
} as const;

type UserRow = {
  id: number;
  email: string;
  name: string;
  role: UserJson["role"];
  locale: string;
  disabledAt: Date | null;
  createdAt: Date;
  organization: { code: string } | null;
};

/** Converts a row selected with {@link USER_JSON_SELECT}. */
export function toUserJson(u: UserRow): UserJson {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organization_code: u.organization?.code ?? null,
    locale: u.locale,
    disabled: u.disabledAt !== null,
    disabled_at: u.disabledAt?.toISOString() ?? null,
    created_at: u.createdAt.toISOString(),
  };
}
