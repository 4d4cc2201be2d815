// The structured fields of a requisition: facts the text alone cannot tell, which decide whether
// some rules apply. The signed-in form has them all; the public checker the few that matter most.

import type { ComponentChildren } from "preact";
import { type FieldsDraft, STATES, problemLines } from "../requisitions";
import { CheckField, Field, SelectField } from "./form";

type Props = {
  draft: FieldsDraft;
  onDraft: (draft: FieldsDraft) => void;
  /** Problems keyed as the API keys them (`fields.pay_min`). */
  errors: Record<string, string>;
  /** The public checker's short form. */
  short?: boolean;
};

const STATE_OPTIONS = [{ value: "", label: "Not specified" }, ...STATES.map(([code, name]) => ({ value: code, label: `${name} (${code})` }))];

const PERIOD_OPTIONS = [
  { value: "", label: "Choose…" },
  { value: "hour", label: "Per hour" },
  { value: "year", label: "Per year" },
];

export function RequisitionFields({ draft, onDraft, errors, short = false }: Props) {
  const set = <K extends keyof FieldsDraft>(key: K) => (value: FieldsDraft[K]) => onDraft({ ...draft, [key]: value });
  const error = (key: keyof FieldsDraft) => errors[`fields.${key}`];
  return (
    <div class="req-fields">
      <Group id="where" title="Where the work is" why="Most rules follow California law; other states' pay-range laws depend on the state and, for New York City, the city.">
        <div class="req-fieldset-grid">
          <SelectField label="Work state" name="work-state" value={draft.work_state} onValue={set("work_state")} options={STATE_OPTIONS} error={error("work_state")} />
          {short ? null : <Field label="City" name="work-city" value={draft.work_city} onValue={set("work_city")} error={error("work_city")} hint="Some cities add rules of their own." />}
        </div>
        {short ? null : (
          <CheckField label="Remote role" name="remote" checked={draft.remote} onChecked={set("remote")} hint="A remote role that could be filled in California must follow California's rules." />
        )}
      </Group>
      <Group id="employer" title="The employer" why="California's pay-scale rule applies to employers with 15 or more employees; other states' thresholds differ.">
        <div class="req-fieldset-grid">
          <Field label="Employees in total" name="employees-total" value={draft.employees_total} onValue={set("employees_total")} inputmode="numeric" error={error("employees_total")} />
          {short ? null : (
            <Field label="Employees in the work state" name="employees-in-state" value={draft.employees_in_state} onValue={set("employees_in_state")} inputmode="numeric" error={error("employees_in_state")} />
          )}
        </div>
      </Group>
      <Group id="pay" title="Pay range" why="If the posting will show this range (most job boards have a pay field), it counts as the posted pay scale even when the text does not repeat it.">
        <div class="req-fieldset-grid req-fieldset-pay">
          <Field label="From ($)" name="pay-min" value={draft.pay_min} onValue={set("pay_min")} inputmode="decimal" error={error("pay_min")} />
          <Field label="To ($)" name="pay-max" value={draft.pay_max} onValue={set("pay_max")} inputmode="decimal" error={error("pay_max")} />
          <SelectField label="Pay period" name="pay-period" value={draft.pay_period} onValue={(v) => set("pay_period")(v === "hour" || v === "year" ? v : "")} options={PERIOD_OPTIONS} error={error("pay_period")} />
        </div>
      </Group>
      {short ? null : (
        <Group id="facts" title="Facts that change the answer" why="Some rules apply differently to these employers and roles.">
          <CheckField
            label="Work under a government contract"
            name="government-contract"
            checked={draft.government_contract}
            onChecked={set("government_contract")}
            hint="Citizenship and security-clearance requirements can be lawful when a government contract demands them."
          />
          <CheckField
            label="Building or construction trade"
            name="construction-trade"
            checked={draft.construction_trade}
            onChecked={set("construction_trade")}
            hint="California's cannabis-testing protections do not cover the building and construction trades."
          />
          <CheckField label="Nonprofit employer" name="nonprofit" checked={draft.nonprofit} onChecked={set("nonprofit")} hint="Volunteer and unpaid roles are not flagged at a nonprofit." />
        </Group>
      )}
    </div>
  );
}

/** A group of fields beside its title and why it matters. */
function Group({ id, title, why, children }: { id: string; title: string; why: string; children: ComponentChildren }) {
  return (
    <div class="req-fieldset" role="group" aria-labelledby={`group-${id}`}>
      <div class="req-fieldset-intro">
        <h3 id={`group-${id}`}>{title}</h3>
        <p class="req-fieldset-why">{why}</p>
      </div>
      <div class="req-fieldset-inputs">{children}</div>
    </div>
  );
}

/** A form's problems in one place, so that none is missed far from the button. */
export function ProblemSummary({ problems }: { problems: Record<string, string> }) {
  const lines = problemLines(problems);
  if (!lines.length) return null;
  return (
    <div class="alert alert-error" role="alert" data-testid="problems">
      <p>Check {lines.length === 1 ? "this" : "these"} and try again:</p>
      <ul class="problem-list">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
