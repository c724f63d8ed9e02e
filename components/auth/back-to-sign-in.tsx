// The link under the auth pages that end a flow (refused, reset off, provider step expired): back to /signin.
import Link from "next/link";

export function BackToSignIn() {
  return (
    <p className="mt-6 text-center text-sm text-slate-500">
      <Link href="/signin" className="font-medium text-brand-600 hover:text-brand-700">
        Back to sign in
      </Link>
    </p>
  );
}
