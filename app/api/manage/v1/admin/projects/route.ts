// GET /api/manage/v1/admin/projects?q=&limit=&cursor= — every project with owner and default tier (admin)
import { z } from "zod";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { pageQuery } from "@/lib/admin/page-cursor";
import { searchProjects } from "@/lib/admin/search-projects";

const query = z.strictObject({ q: z.string().trim().max(320).optional(), ...pageQuery });

export const GET = withUser({ admin: true }, async (request, { db }) => {
  return json(await searchProjects(db, parseQuery(request, query)));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
