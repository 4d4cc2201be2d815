import type { ComponentChildren } from "preact";
import { can, forgetMe, roleName, useMe } from "../me";
import { Link, useLocation } from "../router";
import { current, signOut } from "../session";
import { removeItem } from "../badge/store";
import { BADGE_KEY } from "../pages/device/my-badge";
import { ROUTES } from "../routes";
import { Logo } from "./brand";

/** The sections, each shown to anyone holding one of its permissions (none: everyone). */
const NAV = ROUTES.flatMap((route) => (route.nav ? [{ href: route.path, ...route.nav }] : []));

/** Whether the navigation item `href` is the current section. */
function active(path: string, href: string): boolean {
  return path === href || ((href === "/app/workers" || href === "/app/requisitions") && path.startsWith(`${href}/`));
}

/** The frame of every signed-in page: the organisation, the navigation, who is signed in. */
export function AppLayout({ children }: { children: ComponentChildren }) {
  const me = useMe();
  const path = useLocation().pathname;
  const session = current();
  const leave = async () => {
    // The worker's badge stays on a phone only while they are signed in.
    await removeItem(BADGE_KEY).catch(() => undefined);
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
          {NAV.filter((item) => !item.anyOf.length || item.anyOf.some((p) => can(me, p))).map((item) => (
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
