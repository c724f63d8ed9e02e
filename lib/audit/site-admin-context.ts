// Marks the work of an admin route, so its audit events say a site admin acted (actor_role "site_admin"): project
// members then see "Keyport admin" and no IP address instead of the admin's identity.
import { AsyncLocalStorage } from "node:async_hooks";

type Holder = { store?: AsyncLocalStorage<true> };
const holder = ((globalThis as { __keyportSiteAdminContext?: Holder }).__keyportSiteAdminContext ??= {});
const storage = (holder.store ??= new AsyncLocalStorage<true>());

export const SITE_ADMIN_ROLE = "site_admin";

export const asSiteAdmin = <T>(work: () => Promise<T>): Promise<T> => storage.run(true, work);

export const siteAdminActing = (): boolean => storage.getStore() === true;
