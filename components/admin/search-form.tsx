// A GET form for admin list filters: the URL is the state, so results are linkable and the server renders them.
import { Button, buttonClasses, Input } from "@/components/ui";
import Link from "next/link";

export function SearchForm({ basePath, q, placeholder, children }: { basePath: string; q?: string; placeholder: string; children?: React.ReactNode }) {
  return (
    <form method="get" action={basePath} role="search" className="mb-4 flex flex-wrap items-end gap-3">
      <label className="min-w-64 flex-1 text-sm">
        <span className="mb-1 block font-medium text-slate-700">Search</span>
        <Input type="search" name="q" defaultValue={q ?? ""} placeholder={placeholder} />
      </label>
      {children}
      <Button type="submit">Search</Button>
      <Link href={basePath} className={buttonClasses({ variant: "ghost" })}>
        Clear
      </Link>
    </form>
  );
}
