import type { ComponentChildren } from "preact";
import type { Schema } from "../api/client";
import { Link } from "../router";
import { Logo } from "./brand";

/** The frame of every page seen before signing in. */
export function PublicLayout({ meta, children }: { meta: Schema<"Meta"> | undefined; children: ComponentChildren }) {
  return (
    <div class="public">
      <header class="topbar">
        <Link href="/" class="brand">
          <Logo />
          <span>Attest</span>
        </Link>
        <nav aria-label="Main">
          <Link href="/sign-in">Sign in</Link>
          <Link href="/sign-up" class="button button-small">
            Create an organisation
          </Link>
        </nav>
      </header>
      <main class="public-main">{children}</main>
      <footer class="footer">
        <span>Attest {meta ? `v${meta.version}` : ""}</span>
        <span>
          Data residency:{" "}
          {meta ? meta.regions.map((r) => r.label).join(" · ") : "…"}
        </span>
        <span>HTTPS only · strict Content-Security-Policy</span>
      </footer>
    </div>
  );
}

/** A centred card with a heading, for forms. */
export function Card({ title, lead, children }: { title: string; lead?: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby="card-title">
      <h1 id="card-title">{title}</h1>
      {lead ? <p class="lead">{lead}</p> : null}
      {children}
    </section>
  );
}
