import { ListUsersQuery, type USER_SORT_FIELDS } from "@/server/contracts/users";
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { PARTNER_ROLES, type PartnerUserPage, toUserView, userViewSelect } from "./user-views";

export type ListUsersOptions = {
  search?: string;
  sort?: (typeof USER_SORT_FIELDS)[number];
  order?: "asc" | "desc";
  page?: number;
  pageSize?: number;
};

const SORT_COLUMN = { name: "name", email: "email", role: "role", created_at: "createdAt" } as const;

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
  const search = q.q ? { contains: q.q, mode: "insensitive" as const } : undefined;
  const where: Prisma.UserWhereInput = {
    partnerId,
    role: { in: [...PARTNER_ROLES] },
    ...(search ? { OR: [{ name: search }, { email: search }] } : {}),
  };
  const [total, rows] = await Promise.all([
    db.user.count({ where }),
    db.user.findMany({
      where,
      orderBy: [{ [SORT_COLUMN[q.sort]]: q.order }, { id: "asc" }],
      skip: (q.page - 1) * q.page_size,
      take: q.page_size,
      select: userViewSelect(new Date()),
    }),
  ]);
  return { users: rows.map(toUserView), total, page: q.page, pageSize: q.page_size };
}
