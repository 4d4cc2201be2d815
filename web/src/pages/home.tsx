import { Link } from "../router";

const FEATURES = [
  {
    title: "Credentials",
    text: "Every worker's safety and training credentials in one place, with expiry reminders and live readiness per site.",
  },
  {
    title: "Gate badges",
    text: "Signed QR badges that a supervisor's phone verifies offline. A forged or altered badge never passes.",
  },
  {
    title: "Requisitions",
    text: "Job requisitions checked for compliance concerns before they are posted, with citations and rewrites.",
  },
  {
    title: "Audit ledger",
    text: "Every action recorded in a tamper-evident log that auditors and regulators can verify themselves.",
  },
];

export function HomePage() {
  return (
    <div class="home">
      <section class="hero">
        <h1>Workforce compliance you can prove.</h1>
        <p class="lead">
          Attest keeps your people's credentials current, lets the gate check them in seconds, and records every
          action where nobody can quietly change it.
        </p>
        <div class="hero-actions">
          <Link href="/sign-in" class="button">
            Sign in
          </Link>
          <Link href="/sign-up" class="button button-secondary">
            Create an organisation
          </Link>
        </div>
        <p class="hero-try">
          Hiring? <Link href="/analyze">Try the requisition checker without an account</Link>: paste a job posting, see what could get you into trouble.
        </p>
      </section>
      <section class="features" aria-label="What Attest does">
        {FEATURES.map((f) => (
          <article class="feature" key={f.title}>
            <h2>{f.title}</h2>
            <p>{f.text}</p>
          </article>
        ))}
      </section>
    </div>
  );
}
