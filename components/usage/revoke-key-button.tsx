"use client";
// One-click revoke from an insight (zombie key), confirmed first; refreshes the page's server data afterwards.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, ConfirmDialog, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";

export function RevokeKeyButton({ keyId, keyName, admin = false, size = "sm" }: { keyId: string; keyName: string; admin?: boolean; size?: "sm" | "md" }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const toast = useToast();
  return (
    <>
      <Button variant="danger" size={size} onClick={() => setOpen(true)} aria-label={`Revoke ${keyName}`}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Revoke “${keyName}”?`}
        description="Every call with this key fails from the next request on. This cannot be undone."
        confirmLabel="Revoke key"
        onConfirm={async () => {
          try {
            await callManageApi("POST", admin ? `/admin/keys/${keyId}/revoke` : `/keys/${keyId}/revoke`);
            toast.success(`Revoked ${keyName}`);
            setOpen(false);
            router.refresh();
          } catch (error) {
            toast.error(error instanceof ManageApiError ? error.message : "Could not revoke the key");
          }
        }}
      />
    </>
  );
}
