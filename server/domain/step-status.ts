/** A school's progress on one checklist step, in the API's words and the database's. */
export const STEP_STATUSES = ["not_started", "in_progress", "done", "blocked"] as const;
export type StepStatusName = (typeof STEP_STATUSES)[number];
export type StepStatusDb = Uppercase<StepStatusName>;

export const toDbStepStatus = (s: StepStatusName): StepStatusDb => s.toUpperCase() as StepStatusDb;
export const fromDbStepStatus = (s: string): StepStatusName => s.toLowerCase() as StepStatusName;

/** Overdue: a due date has passed and the step is not done. */
export function isOverdue(status: StepStatusName, due: Date | null, now: Date): boolean {
  return status !== "done" && due !== null && due.getTime() < now.getTime();
}
