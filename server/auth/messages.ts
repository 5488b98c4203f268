/** The message a technician (or a read-only token) sees when refused; says who can. Shared by tRPC and REST. */
export const PARTNER_ADMIN_ONLY_MESSAGE =
  "Only a partner admin can do this. Technicians can view sites, create provision codes and request scans; ask a partner admin to make this change.";
