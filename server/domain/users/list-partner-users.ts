import { ListUsersQuery, type USER_SORT_FIELDS } from "@/server/contracts/users";
import type { Db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import { containsPattern } from "../shared/contains-pattern";
import { PARTNER_ROLES, type PartnerUserPage, toUserView, userViewSelect } from "./user-views";

export type ListUsersOptions = {
  search?: string;
  sort?: (typeof USER_SORT_FIELDS)[number];
  order?: "asc" | "desc";
  page?: number;
  pageSize?: number;
};

/** ORDER BY expressions (fixed text, never from input). Names sort as people expect: "alice" before "Bob". */
const SORT_SQL = {
  name: Prisma.raw("lower(name)"),
  email: Prisma.raw("email"),
  role: Prisma.raw("role"),
  created_at: Prisma.raw("created_at"),
} as const;

/**
 * One page of the partner's users, searched (name or email, case-insensitive) and sorted in the database.
 * Ties are broken by id so a user never appears on two pages. Any partner user may read it.
 */
export async function listPartnerUsers(
  db: Db,
  partnerId: string,
  opts: ListUsersOptions = {},
): Promise<PartnerUserPage> {
  const q = ListUsersQuery.parse({
    q: opts.search,
    sort: opts.sort,
    order: opts.order,
    page: opts.page,
    page_size: opts.pageSize,
  });
  const pattern = q.q ? containsPattern(q.q) : null;
  const where = Prisma.sql`
    WHERE partner_id = ${partnerId}
      AND role::text IN (${Prisma.join([...PARTNER_ROLES])})
      AND (${pattern}::text IS NULL OR name ILIKE ${pattern} OR email ILIKE ${pattern})`;
  const direction = Prisma.raw(q.order === "desc" ? "DESC" : "ASC");
  // Ids and the total in one statement (Prisma cannot order by lower(name)); the rows through Prisma's select.
  const page = await db.$queryRaw<{ id: string; total: bigint }[]>`
    SELECT id, count(*) OVER () AS total FROM users ${where}
    ORDER BY ${SORT_SQL[q.sort]} ${direction}, id ASC
    LIMIT ${q.page_size} OFFSET ${(q.page - 1) * q.page_size}`;
  const ids = page.map((r) => r.id);
  const rows = await db.user.findMany({ where: { id: { in: ids }, partnerId }, select: userViewSelect(new Date()) });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const users = ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toUserView(row)] : []; // removed between the two reads
  });
  // Past the last page there is no row to carry the window count: count on its own, so the UI can step back.
  const total = page[0]
    ? Number(page[0].total)
    : Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM users ${where}`)[0]?.n ?? 0);
  return { users, total, page: q.page, pageSize: q.page_size };
}
