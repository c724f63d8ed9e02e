import { Logo } from "@/components/portal/logo";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-gradient-to-b from-brand-50 to-slate-50 px-4 py-12">
      <Logo className="mb-8" />
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">{children}</div>
      <p className="mt-8 text-xs text-slate-600">Keyport · self-hosted developer portal</p>
    </div>
  );
}
