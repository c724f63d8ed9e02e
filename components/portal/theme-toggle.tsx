"use client";
// Colour theme: "system" follows prefers-color-scheme; "light"/"dark" pin it. The choice lives in localStorage and the
// inline script in app/layout.tsx applies it before the first paint, so a page never flashes the wrong theme.
import { useEffect, useState } from "react";
import { MenuLabel, MenuRadioGroup, MenuRadioItem } from "@/components/ui";
import { THEME_STORAGE_KEY, type ThemeChoice } from "./theme-script";

function apply(choice: ThemeChoice) {
  const dark = choice === "dark" || (choice === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

function readChoice(): ThemeChoice {
  if (typeof window === "undefined") return "system";
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return stored === "light" || stored === "dark" ? stored : "system";
  } catch {
    return "system";
  }
}

export function ThemeMenuItems() {
  // Menu items mount only when the menu opens (never on the server), so localStorage can be read right away.
  const [choice, setChoice] = useState<ThemeChoice>(readChoice);
  useEffect(() => {
    if (choice !== "system") return;
    // Follow the system while "system" is chosen, also when it changes at sunset.
    const query = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, [choice]);
  return (
    <>
      <MenuLabel className="text-xs font-medium text-slate-600">Theme</MenuLabel>
      <MenuRadioGroup
        value={choice}
        onValueChange={(value) => {
          const next = value as ThemeChoice;
          setChoice(next);
          try {
            if (next === "system") localStorage.removeItem(THEME_STORAGE_KEY);
            else localStorage.setItem(THEME_STORAGE_KEY, next);
          } catch {
            // Private mode: the choice lasts for this page only.
          }
          apply(next);
        }}
      >
        <MenuRadioItem value="system" onSelect={(e) => e.preventDefault()}>System</MenuRadioItem>
        <MenuRadioItem value="light" onSelect={(e) => e.preventDefault()}>Light</MenuRadioItem>
        <MenuRadioItem value="dark" onSelect={(e) => e.preventDefault()}>Dark</MenuRadioItem>
      </MenuRadioGroup>
    </>
  );
}
