import { ButtonLink, EmptyState } from "@/components/ui";

export default function ProjectNotFound() {
  return (
    <EmptyState
      title="Project not found"
      text="This project does not exist, was deleted, or belongs to another account."
      action={<ButtonLink href="/dashboard" variant="secondary">Back to your projects</ButtonLink>}
    />
  );
}
