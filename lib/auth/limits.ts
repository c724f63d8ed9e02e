/** Auth endpoints (/api/auth/*, sign-up, verification, password reset) refuse bodies over this many bytes (413). */
export const AUTH_BODY_LIMIT = 16 * 1024;
