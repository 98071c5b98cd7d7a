import { PageHeader } from "../../shared/ui.js";

export function NotFound() {
  return (
    <>
      <PageHeader title="Not found" />
      <p>
        There is no page here. <a href="/dashboard">Back to the overview</a>.
      </p>
    </>
  );
}
