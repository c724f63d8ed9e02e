import { ButtonLink, EmptyState } from "@/components/ui";
import { Logo } from "@/components/portal/logo";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-8 px-6">
      <Logo />
      <EmptyState
        title="Page not found"
        text="There is nothing at this address. It may have moved, or the link may be mistyped."
        action={<ButtonLink href="/dashboard">Go to your projects</ButtonLink>}
      />
    </main>
  );
}
