/** Management bodies are small: CONTRACT part two caps them at 16 KiB (413 beyond). */
export const TEAM_BODY_MAX_BYTES = 16 * 1024;
