// The project's webhook endpoints: add one (secret shown once), send a test event, read the delivery log.
import type { Metadata } from "next";
import { WebhooksPanel } from "@/components/webhooks/webhooks-panel";
import { loadWebhooksPage } from "@/lib/webhooks/load-webhooks-page";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { webhooks, denied, eventTypes } = await loadWebhooksPage(projectId);
  return <WebhooksPanel projectId={projectId} initialWebhooks={webhooks} denied={denied} eventTypes={eventTypes} />;
}
