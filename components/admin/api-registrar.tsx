"use client";
// Register an API (by hand with a routes list, or from an OpenAPI document), and rotate a forward secret; the
// secret is shown once, here.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, CodeBlock, Dialog, Field, Input, Textarea, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";

const EXAMPLE_ROUTES = '[{ "method": "GET", "path": "/orders/{id}", "scopes": [], "cost": 1, "tiers": null }]';

export function ApiRegistrar() {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ slug: "", name: "", upstreamUrl: "", openapi: "", routes: "" });
  const [error, setError] = useState<ManageApiError | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const toast = useToast();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      let routes: unknown = undefined;
      if (!form.openapi.trim()) routes = form.routes.trim() ? JSON.parse(form.routes) : [];
      const body = {
        slug: form.slug.trim(),
        upstreamUrl: form.upstreamUrl.trim(),
        ...(form.name.trim() ? { name: form.name.trim() } : {}),
        ...(form.openapi.trim() ? { openapi: form.openapi } : { routes }),
      };
      const created = await callManageApi<{ forwardSecret: string }>("POST", "/admin/apis", body);
      setSecret(created.forwardSecret);
      toast.success(`Registered ${body.slug}`);
      router.refresh();
    } catch (err) {
      setError(err instanceof ManageApiError ? err : new ManageApiError({ status: 0, detail: "The routes are not valid JSON" }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        onClick={() => {
          setSecret(null);
          setError(null);
          setOpen(true);
        }}
      >
        Register API
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Register an API" description="Calls to /gw/{slug}/… are checked, metered and forwarded to the upstream." size="lg">
        {secret ? (
          <div className="space-y-3" data-testid="forward-secret">
            <p className="text-sm text-slate-700">Forward secret — shown once. The upstream verifies Keyport-Signature with it.</p>
            <CodeBlock code={secret} />
          </div>
        ) : (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            {error && !error.problem.errors?.length && <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error.message}</p>}
            <Field label="Slug" error={error?.field("slug")}>
              <Input value={form.slug} onChange={set("slug")} required placeholder="orders" />
            </Field>
            <Field label="Name (from the document's info.title when imported)" error={error?.field("name")}>
              <Input value={form.name} onChange={set("name")} maxLength={100} />
            </Field>
            <Field label="Upstream URL" error={error?.field("upstreamUrl")}>
              <Input value={form.upstreamUrl} onChange={set("upstreamUrl")} required placeholder="https://orders.internal:8080" />
            </Field>
            <Field label="OpenAPI 3.0/3.1 document (JSON or YAML)" error={error?.field("openapi")}>
              <Textarea value={form.openapi} onChange={set("openapi")} rows={6} />
            </Field>
            <Field label="…or routes (JSON)" error={error?.problem.errors?.find((e) => e.path.startsWith("routes"))?.message} hint={EXAMPLE_ROUTES}>
              <Textarea value={form.routes} onChange={set("routes")} rows={4} />
            </Field>
            <Button type="submit" loading={busy}>
              Register
            </Button>
          </form>
        )}
      </Dialog>
    </>
  );
}

export function RotateSecretButton({ apiId, slug }: { apiId: string; slug: string }) {
  const [secret, setSecret] = useState<string | null>(null);
  const toast = useToast();
  const rotate = async () => {
    try {
      const rotated = await callManageApi<{ forwardSecret: string }>("POST", `/admin/apis/${apiId}/rotate-secret`);
      setSecret(rotated.forwardSecret);
    } catch {
      toast.error("Could not rotate the secret");
    }
  };
  return (
    <>
      <Button size="sm" variant="secondary" onClick={rotate} aria-label={`Rotate the forward secret of ${slug}`}>
        Rotate secret
      </Button>
      <Dialog open={secret !== null} onClose={() => setSecret(null)} title={`New forward secret for ${slug}`} description="Shown once. The old secret keeps signing beside it for 24 hours.">
        <CodeBlock code={secret ?? ""} />
      </Dialog>
    </>
  );
}
