import { useEffect, useState } from "preact/hooks";
import { getMeta, type Meta } from "./api";
import { PublicLayout } from "./components/layout";
import { HomePage } from "./pages/home";
import { NotFoundPage } from "./pages/not-found";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";
import { useLocation } from "./router";

const TITLES: Record<string, string> = {
  "/": "Attest",
  "/sign-in": "Sign in · Attest",
  "/sign-up": "Create an organisation · Attest",
};

export function App() {
  const path = useLocation().pathname;
  const [meta, setMeta] = useState<Meta | undefined>();

  useEffect(() => {
    getMeta().then(setMeta, () => setMeta(undefined));
  }, []);

  useEffect(() => {
    document.title = TITLES[path] ?? "Not found · Attest";
  }, [path]);

  let page;
  switch (path) {
    case "/":
      page = <HomePage />;
      break;
    case "/sign-in":
      page = <SignInPage meta={meta} />;
      break;
    case "/sign-up":
      page = <SignUpPage meta={meta} />;
      break;
    default:
      page = <NotFoundPage />;
  }
  return <PublicLayout meta={meta}>{page}</PublicLayout>;
}
