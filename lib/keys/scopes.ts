export const SCOPES = ["products:read", "products:write", "inventory:read", "inventory:write"] as const;
export type Scope = (typeof SCOPES)[number];
export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);
