// Shown at once while the server renders the page. Only on pages that never answer 404 themselves: inside a loading
// boundary the status is sent before the page runs, so a notFound() there would answer 200.
import { PageSkeleton } from "@/components/ui";

export default function Loading() {
  return <PageSkeleton />;
}
