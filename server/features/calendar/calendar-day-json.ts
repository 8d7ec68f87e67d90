import type { Prisma } from "../../db/prisma.ts";

/** An administrator's adjustment as the API shows it. */
export type CalendarDayJson = {
  date: string;
  kind: "WORKING" | "OFF";
  note: string | null;
  updated_by: { id: number; name: string } | null;
  updated_at: string;
};

export const CALENDAR_DAY_SELECT = {
  date: true,
  kind: true,
  note: true,
  updatedAt: true,
  updatedBy: { select: { id: true, name: true } },
} satisfies Prisma.CalendarDaySelect;

type Row = Prisma.CalendarDayGetPayload<{ select: typeof CALENDAR_DAY_SELECT }>;

export function toCalendarDayJson(row: Row): CalendarDayJson {
  return { date: row.date.toISOString().slice(0, 10), kind: row.kind, note: row.note, updated_by: row.updatedBy, updated_at: row.updatedAt.toISOString() };
}
