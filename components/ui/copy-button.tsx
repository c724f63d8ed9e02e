"use client";

import { useState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";

/** Copies `value` to the clipboard and says "Copied" for a moment. */
export function CopyButton({ value, label = "Copy", variant = "secondary", size = "sm", className }: { value: string; label?: string; variant?: ButtonVariant; size?: ButtonSize; className?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant={variant}
      size={size}
      className={className}
      aria-label={copied ? "Copied" : label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
        } catch {
          // Clipboard can be unavailable (insecure origin); fall back to a hidden textarea.
          const area = document.createElement("textarea");
          area.value = value;
          document.body.appendChild(area);
          area.select();
          document.execCommand("copy");
          area.remove();
        }
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </Button>
  );
}
