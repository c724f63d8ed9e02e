/** Whether a navigation link for `href` is current at `pathname`: on its own path or any path below it. */
export const isAtOrBelow = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);
