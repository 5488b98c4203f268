import { describe, expect, it } from "vitest";
import { InviteUserRequest, ListUsersQuery, UpdateUserRequest, UserPassword } from "@/server/contracts/users";
import { MIN_PASSWORD_LENGTH } from "@/server/domain/security/passwords";

describe("user contracts", () => {
  it("invitations: email trimmed and lower-cased, name trimmed, only partner roles", () => {
    expect(InviteUserRequest.parse({ email: " Dana@Example.COM ", name: " Dana ", role: "partner_admin" })).toEqual({
      email: "dana@example.com",
      name: "Dana",
      role: "partner_admin",
    });
    expect(InviteUserRequest.safeParse({ email: "d@example.com", name: "D", role: "platform_admin" }).success).toBe(
      false,
    );
    expect(InviteUserRequest.safeParse({ email: "d@", name: "D", role: "partner_admin" }).success).toBe(false);
  });

  it("a PATCH must ask for something", () => {
    expect(UpdateUserRequest.safeParse({}).success).toBe(false);
    expect(UpdateUserRequest.safeParse({ issue_link: false }).success).toBe(false);
    expect(UpdateUserRequest.parse({ role: "partner_technician" })).toEqual({ role: "partner_technician" });
    expect(UpdateUserRequest.parse({ issue_link: true })).toEqual({ issue_link: true });
  });

  it("list query: defaults, query-string numbers, bounded page size, known sort columns only", () => {
    expect(ListUsersQuery.parse({})).toEqual({ sort: "name", order: "asc", page: 1, page_size: 25 });
    expect(ListUsersQuery.parse({ page: "3", page_size: "100" })).toMatchObject({ page: 3, page_size: 100 });
    for (const bad of [{ page_size: "101" }, { page: "0" }, { sort: "password" }, { order: "sideways" }]) {
      expect(ListUsersQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("invite passwords follow the sign-in rules (one constant)", () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
    expect(UserPassword.safeParse("x".repeat(MIN_PASSWORD_LENGTH - 1)).success).toBe(false);
    expect(UserPassword.safeParse("x".repeat(MIN_PASSWORD_LENGTH)).success).toBe(true);
    expect(UserPassword.safeParse("x".repeat(129)).success).toBe(false);
  });
});
