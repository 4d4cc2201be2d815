import { Card } from "../components/layout";
import { Link } from "../router";

export function NotFoundPage() {
  return (
    <Card title="Page not found" lead="There is no page at this address.">
      <Link href="/" class="button button-block">
        Go to the start page
      </Link>
    </Card>
  );
}
