// The Requisitions product's shapes, labels in plain words, and the structured fields as a form
// edits them (strings and ticks) and as the API takes them.

import type { Schema } from "./api";

export type Severity = Schema<"Severity">;
export type Source = Schema<"Source">;
export type PersonRef = Schema<"PersonRef">;
export type Analysis = Schema<"AnalysisView">;
export type Review = Schema<"ReviewView">;
/** A finding: a stored one (with its review, if any), or the anonymous checker's. */
export type Finding = Schema<"FindingView">;
export type RequisitionSummary = Schema<"RequisitionListItem">;
export type JobFields = Schema<"JobFields">;
export type RequisitionDetail = Schema<"RequisitionDetail">;
export type VersionSummary = Schema<"RequisitionVersionView">;
/** The anonymous checker's answer. */
export type PublicReport = Schema<"AnonymousReport">;

export type Counts = Pick<Analysis, "high" | "medium" | "low" | "info">;

export const SEVERITIES: Severity[] = ["high", "medium", "low", "info"];

export const SEVERITY_LABELS: Record<Severity, string> = { high: "High", medium: "Medium", low: "Low", info: "Info" };

export const SEVERITY_TONES: Record<Severity, "bad" | "warn" | "info" | "muted"> = { high: "bad", medium: "warn", low: "info", info: "muted" };

const CATEGORY_LABELS: Record<string, string> = {
  pay_transparency: "Pay transparency",
  salary_history: "Salary history",
  criminal_history: "Criminal history",
  age: "Age",
  sex_gender: "Sex and gender",
  gender_coded_wording: "Gender-coded wording",
  national_origin_citizenship: "National origin and citizenship",
  language: "Language requirements",
  disability: "Disability",
  religion: "Religion",
  family_marital_pregnancy: "Family, marital status and pregnancy",
  cannabis_drug_testing: "Cannabis and drug testing",
  non_compete: "Non-compete clauses",
  race_color_appearance: "Race, colour and appearance",
  genetic_medical: "Genetic and medical information",
  military_veteran: "Military and veteran status",
  sexual_orientation: "Sexual orientation",
  unpaid_work: "Unpaid work",
  credit_history: "Credit history",
  drivers_license: "Driver's licence",
};

/** A category's name in plain words (an unknown one, from a newer rule pack, made readable). */
export function categoryLabel(category: string): string {
  const label = CATEGORY_LABELS[category];
  if (label) return label;
  const words = category.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const SOURCE_LABELS: Record<Source, string> = { paste: "Pasted text", text: "Text file", docx: "Word document", pdf: "PDF" };

/** The score's colour: red with any high concern or a low score, amber with any medium one. */
export function scoreTone(score: number, counts: Counts): "ok" | "warn" | "bad" {
  if (counts.high > 0 || score < 60) return "bad";
  if (counts.medium > 0 || score < 90) return "warn";
  return "ok";
}

/** Something missing (no pay scale, say) rather than words in the text. */
export const isMissing = (f: Finding) => f.start === f.end;

/** Findings in reading order, the most severe first among those on the same words. */
export function byPosition(findings: Finding[]): Finding[] {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  return [...findings].sort((a, b) => a.start - b.start || b.end - a.end || rank(a.severity) - rank(b.severity));
}

export function countsOf(findings: Finding[]): Counts {
  const counts: Counts = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

export const STATES: [string, string][] = [
  ["AL", "Alabama"], ["AK", "Alaska"], ["AZ", "Arizona"], ["AR", "Arkansas"], ["CA", "California"], ["CO", "Colorado"],
  ["CT", "Connecticut"], ["DE", "Delaware"], ["DC", "District of Columbia"], ["FL", "Florida"], ["GA", "Georgia"],
  ["HI", "Hawaii"], ["ID", "Idaho"], ["IL", "Illinois"], ["IN", "Indiana"], ["IA", "Iowa"], ["KS", "Kansas"],
  ["KY", "Kentucky"], ["LA", "Louisiana"], ["ME", "Maine"], ["MD", "Maryland"], ["MA", "Massachusetts"],
  ["MI", "Michigan"], ["MN", "Minnesota"], ["MS", "Mississippi"], ["MO", "Missouri"], ["MT", "Montana"],
  ["NE", "Nebraska"], ["NV", "Nevada"], ["NH", "New Hampshire"], ["NJ", "New Jersey"], ["NM", "New Mexico"],
  ["NY", "New York"], ["NC", "North Carolina"], ["ND", "North Dakota"], ["OH", "Ohio"], ["OK", "Oklahoma"],
  ["OR", "Oregon"], ["PA", "Pennsylvania"], ["PR", "Puerto Rico"], ["RI", "Rhode Island"], ["SC", "South Carolina"],
  ["SD", "South Dakota"], ["TN", "Tennessee"], ["TX", "Texas"], ["UT", "Utah"], ["VT", "Vermont"], ["VA", "Virginia"],
  ["WA", "Washington"], ["WV", "West Virginia"], ["WI", "Wisconsin"], ["WY", "Wyoming"],
];

/** The structured fields as the form holds them. */
export interface FieldsDraft {
  work_state: string;
  work_city: string;
  remote: boolean;
  employees_total: string;
  employees_in_state: string;
  pay_min: string;
  pay_max: string;
  pay_period: "" | "hour" | "year";
  government_contract: boolean;
  construction_trade: boolean;
  nonprofit: boolean;
}

export const EMPTY_DRAFT: FieldsDraft = {
  work_state: "",
  work_city: "",
  remote: false,
  employees_total: "",
  employees_in_state: "",
  pay_min: "",
  pay_max: "",
  pay_period: "",
  government_contract: false,
  construction_trade: false,
  nonprofit: false,
};

const text = (n: number | undefined) => (n === undefined || n === null ? "" : String(n));

export function draftOf(fields: JobFields): FieldsDraft {
  return {
    work_state: fields.work_state ?? "",
    work_city: fields.work_city ?? "",
    remote: fields.remote ?? false,
    employees_total: text(fields.employees_total),
    employees_in_state: text(fields.employees_in_state),
    pay_min: text(fields.pay_min),
    pay_max: text(fields.pay_max),
    pay_period: fields.pay_period ?? "",
    government_contract: fields.government_contract ?? false,
    construction_trade: fields.construction_trade ?? false,
    nonprofit: fields.nonprofit ?? false,
  };
}

/** The draft as the API takes it (blank: unknown, so left out), or the problems the browser can
 * see without asking the server, keyed as the server keys them (`fields.pay_min`). */
export function fieldsOf(draft: FieldsDraft): { fields: JobFields; problems: Record<string, string> } {
  const fields: JobFields = {};
  const problems: Record<string, string> = {};
  const whole = (key: "employees_total" | "employees_in_state") => {
    const raw = draft[key].trim().replace(/[,\s]/g, "");
    if (!raw) return;
    if (/^\d+$/.test(raw) && Number(raw) <= 4_294_967_295) fields[key] = Number(raw);
    else problems[`fields.${key}`] = "must be a whole number";
  };
  const amount = (key: "pay_min" | "pay_max") => {
    const raw = draft[key].trim().replace(/[$,\s]/g, "");
    if (!raw) return;
    const value = Number(raw);
    if (Number.isFinite(value) && value >= 0) fields[key] = value;
    else problems[`fields.${key}`] = "must be an amount, such as 24.50 or 65000";
  };
  if (draft.work_state.trim()) fields.work_state = draft.work_state.trim().toUpperCase();
  if (draft.work_city.trim()) fields.work_city = draft.work_city.trim();
  if (draft.remote) fields.remote = true;
  whole("employees_total");
  whole("employees_in_state");
  amount("pay_min");
  amount("pay_max");
  if (draft.pay_period) fields.pay_period = draft.pay_period;
  if (draft.government_contract) fields.government_contract = true;
  if (draft.construction_trade) fields.construction_trade = true;
  if (draft.nonprofit) fields.nonprofit = true;
  return { fields, problems };
}

/** Pay as people read it: "$22–$26 per hour". */
export function payRange(fields: JobFields): string | undefined {
  const money = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
  const per = fields.pay_period ? ` per ${fields.pay_period}` : "";
  if (fields.pay_min !== undefined && fields.pay_max !== undefined) return `${money(fields.pay_min)}–${money(fields.pay_max)}${per}`;
  if (fields.pay_min !== undefined) return `from ${money(fields.pay_min)}${per}`;
  if (fields.pay_max !== undefined) return `up to ${money(fields.pay_max)}${per}`;
  return undefined;
}

/** The fields in one line, for the report's header. */
export function fieldsSummary(fields: JobFields): string[] {
  const state = STATES.find(([code]) => code === fields.work_state)?.[1] ?? fields.work_state;
  const parts: string[] = [];
  const place = [fields.work_city, state].filter(Boolean).join(", ");
  if (place) parts.push(place);
  if (fields.remote) parts.push("Remote");
  if (fields.employees_total !== undefined) parts.push(`${fields.employees_total.toLocaleString("en-US")} employees`);
  if (fields.employees_in_state !== undefined) parts.push(`${fields.employees_in_state.toLocaleString("en-US")} in the state`);
  const pay = payRange(fields);
  if (pay) parts.push(`Pay ${pay}`);
  if (fields.government_contract) parts.push("Government contract");
  if (fields.construction_trade) parts.push("Construction trade");
  if (fields.nonprofit) parts.push("Nonprofit");
  return parts;
}

/** Someone named on a requisition, or a neutral word when the caller may not see who. */
export const personName = (p: PersonRef | undefined) => p?.name ?? "Someone in your organisation";

/** The API's field keys in words, for a list of problems. */
const PROBLEM_LABELS: Record<string, string> = {
  title: "Title",
  text: "Text",
  file: "File",
  file_name: "File name",
  fields: "Details",
  "fields.work_state": "Work state",
  "fields.work_city": "City",
  "fields.employees_total": "Employees in total",
  "fields.employees_in_state": "Employees in the work state",
  "fields.pay_min": "Pay from",
  "fields.pay_max": "Pay to",
  "fields.pay_period": "Pay period",
  decision: "Decision",
  note: "Note",
};

/** Each problem as "Label: what is wrong", for a summary above a form. */
export function problemLines(problems: Record<string, string>): string[] {
  return Object.entries(problems).map(([key, problem]) => `${PROBLEM_LABELS[key] ?? key}: ${problem}`);
}
