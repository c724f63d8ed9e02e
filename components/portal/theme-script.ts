// Shared by the root layout (a server component) and the theme menu, so it must not be a client module.
export type ThemeChoice = "system" | "light" | "dark";
export const THEME_STORAGE_KEY = "keyport-theme";

/** Runs in <head> before paint (kept tiny and dependency-free; it is inlined as a string). */
export const THEME_BOOT_SCRIPT = `(function(){try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);document.documentElement.style.colorScheme=d?"dark":"light"}catch(e){}})()`;

