"use client";
// One example in several languages (curl, JavaScript, Python), as Radix tabs: arrow keys switch, the choice is shared
// by every example on the page (a developer reads one language).
import { createContext, useContext, useState, type ReactNode } from "react";
import { CodeBlock, Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui";

export type CodeSample = { language: "curl" | "javascript" | "python"; label: string; code: string };

const LanguageContext = createContext<{ language: string; setLanguage: (l: string) => void } | null>(null);

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState("curl");
  return <LanguageContext.Provider value={{ language, setLanguage }}>{children}</LanguageContext.Provider>;
}

export function CodeTabs({ samples, label }: { samples: CodeSample[]; label: string }) {
  const shared = useContext(LanguageContext);
  const [local, setLocal] = useState(samples[0]?.language ?? "curl");
  const value = shared?.language ?? local;
  return (
    <Tabs value={value} onValueChange={shared?.setLanguage ?? ((v) => setLocal(v as CodeSample["language"]))}>
      <TabsList aria-label={label}>
        {samples.map((s) => (
          <TabsTrigger key={s.language} value={s.language}>
            {s.label}
          </TabsTrigger>
        ))}
      </TabsList>
      {samples.map((s) => (
        <TabsContent key={s.language} value={s.language}>
          <CodeBlock code={s.code} />
        </TabsContent>
      ))}
    </Tabs>
  );
}
