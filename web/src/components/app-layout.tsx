import type { ComponentChildren } from "preact";
import { can, forgetMe, roleName, useMe } from "../me";
import { Link, useLocation } from "../router";
import { current, signOut } from "../session";
import { Logo } from "./brand";

const NAV = [
  { href: "/app", label: "Overview", permission: undefined },
  { href: "/app/readiness", label: "Readiness", permission: "credentials.read.crew" },
  { href: "/app/workers", label: "Workers", permission: "credentials.read.crew" },
  { href: "/app/my-credentials", label: "My credentials", permission: "credentials.read.self" },
  { href: "/app/credential-types", label: "Credential types", permission: "credentials.manage" },
  { href: "/app/requirements", label: "Requirements", permission: "credentials.read.crew" },
  { href: "/app/import", label: "Import", permission: "credentials.manage" },
  { href: "/app/members", label: "Members", permission: "people.read.org" },
  { href: "/app/security", label: "Security", permission: undefined },
  { href: "/app/audit", label: "Audit ledger", permission: "audit.read.self" },
  { href: "/app/organisation", label: "Organisation", permission: "org.manage" },
] as const;

/** Whether the navigation item `href` is the current section. */
function active(path: string, href: string): boolean {
  return path === href || (href === "/app/workers" && path.startsWith("/app/workers/"));
}

/** The frame of every signed-in page: the organisation, the navigation, who is signed in. */
export function AppLayout({ children }: { children: ComponentChildren }) {
  const me = useMe();
  const path = useLocation().pathname;
  const session = current();
  const leave = async () => {
    await signOut().catch(() => undefined);
    forgetMe();
  };
  return (
    <div class="app">
      <header class="topbar">
        <Link href="/app" class="brand">
          <Logo />
          <span>Attest</span>
        </Link>
        <div class="org-chip" title={`Data kept in ${me?.organisation.region_label ?? ""}`}>
          <strong>{session?.organisation.name}</strong>
          <span class="region">{session?.organisation.region.toUpperCase()}</span>
        </div>
        <div class="who">
          <span class="who-name">{session?.user.display_name}</span>
          <span class="who-role">{roleName(session?.user.role ?? "")}</span>
          <button type="button" class="button button-small" onClick={leave}>
            Sign out
          </button>
        </div>
      </header>
      <div class="app-body">
        <nav class="sidebar" aria-label="Sections">
          {NAV.filter((item) => !item.permission || can(me, item.permission) || (item.permission === "credentials.read.crew" && can(me, "credentials.read.org"))).map((item) => (
            <Link key={item.href} href={item.href} class={active(path, item.href) ? "nav-item active" : "nav-item"} aria-current={path === item.href ? "page" : undefined}>
              {item.href === "/app/audit" && !can(me, "audit.read.org") ? "Your activity" : item.label}
            </Link>
          ))}
        </nav>
        <main class="app-main">{children}</main>
      </div>
    </div>
  );
}
