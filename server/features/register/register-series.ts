/**
 * Which number sequence a document joins. ND 30 lets the head of the organisation decide: most Sở
 * and schools run one sequence for every type ("*"); an office with `registerPerType` keeps one per
 * type, keyed by the type's abbreviation, and công văn, which has none, by "CV".
 */
export function registerSeries(org: { registerPerType: boolean }, template: { abbreviation: string | null }): string {
  return org.registerPerType ? (template.abbreviation ?? "CV") : "*";
}
