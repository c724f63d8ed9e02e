// curl, JavaScript and Python examples for one operation of a registered API (the same shape as the catalog's). Pure.
export type Sample = { language: "curl" | "javascript" | "python"; label: string; code: string };

const py = (json: string) => json.replace(/\btrue\b/g, "True").replace(/\bfalse\b/g, "False").replace(/\bnull\b/g, "None");

export function codeSamples(input: { method: string; url: string; body: unknown; keyHint: string }): Sample[] {
  const { method, url, keyHint } = input;
  const body = input.body === null || input.body === undefined ? null : JSON.stringify(input.body, null, 2);
  const curl = [`curl${method === "GET" ? "" : ` -X ${method}`} "${url}"`, `  -H "Authorization: Bearer ${keyHint}"`];
  if (body) curl.push(`  -H "Content-Type: application/json"`, `  -d '${body.replace(/'/g, "'\\''").replace(/\n/g, "\n     ")}'`);
  const js = [
    `const response = await fetch(${JSON.stringify(url)}, {`,
    `  method: "${method}",`,
    `  headers: { Authorization: \`Bearer \${process.env.KEYPORT_KEY}\`${body ? ', "Content-Type": "application/json"' : ""} },`,
    ...(body ? [`  body: JSON.stringify(${body.replace(/\n/g, "\n  ")}),`] : []),
    "});",
    'console.log(response.status, response.headers.get("RateLimit"), await response.text());',
  ];
  const python = [
    "import os, requests",
    "",
    `response = requests.${method === "*" ? "get" : method.toLowerCase()}(`,
    `    ${JSON.stringify(url)},`,
    '    headers={"Authorization": f"Bearer {os.environ[\'KEYPORT_KEY\']}"},',
    ...(body ? [`    json=${py(body).replace(/\n/g, "\n    ")},`] : []),
    ")",
    'print(response.status_code, response.headers.get("RateLimit"), response.text)',
  ];
  return [
    { language: "curl", label: "curl", code: curl.join(" \\\n") },
    { language: "javascript", label: "JavaScript", code: js.join("\n") },
    { language: "python", label: "Python", code: python.join("\n") },
  ];
}

/** The path with each {param} replaced by its example (URL-encoded). */
export function fillPath(path: string, values: Record<string, unknown>): string {
  return path.replace(/\{([^}]+)\}/g, (whole, name: string) => (values[name] === undefined || values[name] === null ? whole : encodeURIComponent(String(values[name]))));
}
