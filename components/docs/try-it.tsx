"use client";
// The try-it console of one operation on an API's docs page: parameters and JSON body (checked against the operation's
// schemas before anything is sent), a project to call it as, and the answer — status, headers (the rate-limit ones
// marked) and body. The call is made by the server with a console key of that project (POST
// /api/manage/v1/console/requests); the key's secret never reaches this page.
import Link from "next/link";
import { createContext, useContext, useId, useState, type ReactNode } from "react";
import { Badge, Button, CodeBlock, Field, Input, Select, Textarea, type BadgeTone } from "@/components/ui";
import { buildTryRequest, parameterKey, type FieldError, type TryOperation } from "@/lib/docs/try-request";
import { formatTimeSeconds } from "@/lib/format/time";
import type { TryResult } from "@/lib/console/try-operation";

export type TryProject = { id: string; name: string; teamName: string };
export type TryContextValue = { signedIn: boolean; emailVerified: boolean; projects: TryProject[]; signInHref: string };

const TryContext = createContext<TryContextValue | null>(null);

/** Who is reading the page, once for every operation's console. */
export function TryProvider({ value, children }: { value: TryContextValue; children: ReactNode }) {
  return <TryContext.Provider value={value}>{children}</TryContext.Provider>;
}

/** What the console endpoint answers (a type only: nothing server-side reaches the browser). */
type TryAnswer = TryResult;

type Problem = { title: string; detail: string; status: number; errors?: FieldError[] };

type State = { phase: "idle" } | { phase: "sending" } | { phase: "answered"; answer: TryAnswer } | { phase: "failed"; problem: Problem };

/** Headers that tell the caller about its limits (CONTRACT §4, §14): marked in the answer. */
const LIMIT_HEADERS = new Set(["ratelimit", "ratelimit-policy", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "violated-policies", "keyport-credits-remaining"]);

const statusTone = (status: number): BadgeTone => (status < 300 ? "green" : status < 400 ? "blue" : status < 500 ? "amber" : "red");

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

const kib = (bytes: number) => `${(bytes / 1024).toLocaleString("en", { maximumFractionDigits: 1 })} KiB`;

export function TryIt({ api, operation, examples, bodyExample }: { api: string; operation: TryOperation; examples: Record<string, string>; bodyExample: string | null }) {
  const context = useContext(TryContext);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  if (!context) return null;
  return (
    <div className="rounded-md border border-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
        <p className="min-w-0 text-sm text-slate-600">Call it from here and see the answer.</p>
        <Button
          type="button"
          variant="secondary"
          size="sm"
          aria-expanded={open}
          aria-controls={open ? panelId : undefined}
          aria-label={`${open ? "Close" : "Try it"}: ${operation.method} ${operation.path}`}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? "Close" : "Try it"}
        </Button>
      </div>
      {open ? (
        <div id={panelId} className="border-t border-slate-200 p-3" data-testid="try-panel">
          <TryPanel api={api} operation={operation} examples={examples} bodyExample={bodyExample} context={context} />
        </div>
      ) : null}
    </div>
  );
}

function TryPanel({ api, operation, examples, bodyExample, context }: { api: string; operation: TryOperation; examples: Record<string, string>; bodyExample: string | null; context: TryContextValue }) {
  const [projectId, setProjectId] = useState(context.projects[0]?.id ?? "");
  const [environment, setEnvironment] = useState<"test" | "live">("test");
  const [params, setParams] = useState<Record<string, string>>(() => ({ ...examples }));
  const [body, setBody] = useState(bodyExample ?? "");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [state, setState] = useState<State>({ phase: "idle" });
  const ids = useId();

  if (!context.signedIn) {
    return (
      <p className="text-sm text-slate-600">
        <Link href={context.signInHref} className="font-medium text-brand-700 underline underline-offset-2">
          Sign in
        </Link>{" "}
        to call this operation from here with a temporary console key of one of your projects.
      </p>
    );
  }
  if (!context.emailVerified) {
    return <p className="text-sm text-slate-600">Verify your email address first: the console makes a key for you, and keys need a proven address.</p>;
  }
  if (context.projects.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        The console calls the API as one of your projects, and you have none where your role may create keys.{" "}
        <Link href="/dashboard" className="font-medium text-brand-700 underline underline-offset-2">
          Create a project
        </Link>
        .
      </p>
    );
  }

  const errorFor = (path: string) => errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`)).map((e) => (e.path === path ? e.message : `${e.path.replace(/^body\.?/, "")}: ${e.message}`)).join("; ") || null;
  const hasBody = operation.method !== "GET" && (operation.bodySchema !== null || bodyExample !== null);

  async function send() {
    const built = buildTryRequest(operation, { params, body: hasBody ? body : "" });
    if (!built.ok) {
      setErrors(built.errors);
      setState({ phase: "idle" });
      return;
    }
    setErrors([]);
    setState({ phase: "sending" });
    try {
      const res = await fetch("/api/manage/v1/console/requests", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ projectId, api, environment, ...built.request }),
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) {
        setState({ phase: "failed", problem: { title: json?.title ?? `Error ${res.status}`, detail: json?.detail ?? "The console could not make the call.", status: res.status, errors: json?.errors } });
        return;
      }
      setState({ phase: "answered", answer: json as TryAnswer });
    } catch {
      setState({ phase: "failed", problem: { title: "No connection", detail: "The portal could not be reached. Check your connection and send again.", status: 0 } });
    }
  }

  return (
    <div className="min-w-0 space-y-4">
      <form
        className="min-w-0 space-y-3"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <div className="grid min-w-0 gap-3 sm:grid-cols-[minmax(0,1fr)_10rem]">
          <Field label="Project" hint="The call is made, limited and metered as this project.">
            <Select value={projectId} onChange={(e) => setProjectId(e.target.value)} className="truncate">
              {context.projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name.length > 60 ? `${p.name.slice(0, 59)}…` : p.name} ({p.teamName.length > 30 ? `${p.teamName.slice(0, 29)}…` : p.teamName})
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Environment">
            <Select value={environment} onChange={(e) => setEnvironment(e.target.value as "test" | "live")}>
              <option value="test">Test</option>
              <option value="live">Live</option>
            </Select>
          </Field>
        </div>
        {operation.parameters.length ? (
          <fieldset className="min-w-0 space-y-3">
            <legend className="mb-2 text-sm font-medium text-slate-800">Parameters</legend>
            <div className="grid min-w-0 gap-3 sm:grid-cols-2">
              {operation.parameters.map((p) => {
                const key = parameterKey(p);
                return (
                  <Field
                    key={key}
                    id={`${ids}-${key}`}
                    label={
                      <span className="flex min-w-0 flex-wrap items-center gap-1.5">
                        <span className="font-mono break-all">{p.name}</span>
                        <span className="text-xs font-normal text-slate-500">
                          {p.in}
                          {p.required ? ", required" : ""}
                        </span>
                      </span>
                    }
                    error={errorFor(key)}
                  >
                    <Input value={params[key] ?? ""} onChange={(e) => setParams({ ...params, [key]: e.target.value })} className="font-mono" autoComplete="off" spellCheck={false} />
                  </Field>
                );
              })}
            </div>
          </fieldset>
        ) : null}
        {hasBody ? (
          <Field label="Body (JSON)" error={errorFor("body")} hint={operation.bodySchema ? "Checked against the operation's schema before it is sent." : undefined}>
            <Textarea value={body} onChange={(e) => setBody(e.target.value)} rows={Math.min(14, Math.max(4, body.split("\n").length + 1))} className="font-mono text-[13px]" spellCheck={false} />
          </Field>
        ) : null}
        {errors.length ? (
          <p role="alert" className="text-sm font-medium text-red-600">
            {errors.length === 1 ? "Fix the field marked above before sending." : `Fix the ${errors.length} problems marked above before sending.`}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" loading={state.phase === "sending"}>
            {state.phase === "sending" ? "Sending…" : "Send request"}
          </Button>
          <p className="min-w-56 flex-1 text-xs text-slate-500">
            Sent through the gateway with a console key of this project: limited, metered and billed like any key, labelled “console” in usage and the request log, and expiring 15 minutes after its last use.
          </p>
        </div>
      </form>
      <div aria-live="polite" className="min-w-0">
        <TryOutcome state={state} />
      </div>
    </div>
  );
}

function TryOutcome({ state }: { state: State }) {
  if (state.phase === "idle") return <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-500">The answer appears here once you send the request.</p>;
  if (state.phase === "sending") return <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-sm text-slate-600">Waiting for the answer…</p>;
  if (state.phase === "failed") {
    const { problem } = state;
    return (
      <div role="alert" className="min-w-0 rounded-md border border-red-200 bg-red-50 px-3 py-3 text-sm text-red-800">
        <p className="font-semibold">
          {problem.title}
          {problem.status ? ` (${problem.status})` : ""}
        </p>
        <p className="mt-1 break-words">{problem.detail}</p>
        {problem.errors?.length ? (
          <ul className="mt-1 list-disc pl-5">
            {problem.errors.slice(0, 10).map((e) => (
              <li key={`${e.path}:${e.message}`} className="break-words">
                <code className="font-mono">{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  const { answer } = state;
  const limitHeaders = answer.headers.filter((h) => LIMIT_HEADERS.has(h.name.toLowerCase()));
  const otherHeaders = answer.headers.filter((h) => !LIMIT_HEADERS.has(h.name.toLowerCase()));
  return (
    <div className="min-w-0 space-y-3" data-testid="try-answer">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <Badge tone={statusTone(answer.status)} data-testid="try-status">
          {answer.status}
        </Badge>
        <span className="text-slate-600">{answer.durationMs.toLocaleString("en")} ms</span>
        <code className="min-w-0 font-mono text-xs break-all text-slate-700">{answer.url}</code>
      </div>
      <p className="text-xs break-words text-slate-500">
        Console key <code className="font-mono">{answer.key.start}…</code> ({answer.key.environment}), expires{" "}
        {formatTimeSeconds(answer.key.expiresAt)} unless used again
        {answer.requestId ? (
          <>
            {" "}
            · request <code className="font-mono break-all">{answer.requestId}</code>
          </>
        ) : null}
      </p>
      <div className="min-w-0">
        <p className="mb-1 text-sm font-medium text-slate-800">Headers</p>
        <dl className="grid min-w-0 grid-cols-1 gap-x-3 rounded-md border border-slate-200 text-xs sm:grid-cols-[minmax(8rem,14rem)_minmax(0,1fr)]">
          {[...limitHeaders, ...otherHeaders].map((h, i) => {
            const limit = LIMIT_HEADERS.has(h.name.toLowerCase());
            return (
              <div key={`${h.name}:${i}`} className={`contents ${limit ? "[&>*]:bg-amber-50" : ""}`} data-rate-limit={limit || undefined}>
                <dt className="flex min-w-0 items-center gap-1.5 px-2 pt-1.5 font-mono font-semibold break-all text-slate-900 sm:py-1.5">
                  {h.name}
                  {limit ? <span className="font-sans text-[11px] font-medium text-amber-800">rate limit</span> : null}
                </dt>
                <dd className="min-w-0 px-2 pb-1.5 font-mono break-all text-slate-700 sm:py-1.5">{h.value}</dd>
              </div>
            );
          })}
        </dl>
      </div>
      <div className="min-w-0">
        <p className="mb-1 text-sm font-medium text-slate-800">Body</p>
        {answer.body === "" ? <p className="text-sm text-slate-500">No body.</p> : <CodeBlock code={answer.truncated ? answer.body : pretty(answer.body)} className="max-h-96 overflow-y-auto" />}
        {answer.truncated ? (
          <p className="mt-1 text-xs font-medium text-amber-800">
            {answer.truncated === "size" ? `Cut at ${kib(answer.bodyBytes)}: the rest of the body was not read.` : "Cut: the body was still arriving when the console stopped waiting."}
          </p>
        ) : null}
      </div>
    </div>
  );
}
