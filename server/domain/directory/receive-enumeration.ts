/**
 * Enumeration results from an appliance. The computers are stored in PostgreSQL (one JSONB row per chunk of a
 * run); once every chunk of the run is in, the same transaction queues its merge as an outbox row whose
 * BullMQ job id is deterministic per appliance and run ("enum__<appliance>__<run key>", no ':'), so only the
 * run id ever travels through Redis. Answers 202 with that job id.
 *
 * Idempotent: a whole-run post is keyed by a hash of its content and a chunked run by its run_id, so posting
 * the same results again finds the same run and queues nothing new; a chunk number already stored is kept
 * once. A run's enumeration flags are completed when it is complete.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  EnumerationFailedRequest,
  EnumerationResultsRequest,
  type EnumerationResultsResponse,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { badRequest, forbidden } from "@/server/errors";
import { addOutbox } from "@/server/jobs/outbox/add-outbox";
import { jobId } from "@/server/jobs/queues";
import type { AppliancePrincipal } from "../appliances/authenticate-appliance";
import { recordAuditEvent } from "../audit/record-audit-event";
import { completeEnumerationTriggers } from "../checkin/triggers";
import { recordDcCertificate } from "../dc-certificates/record-dc-certificate";
import { notifyPartner } from "../notifications/notify-partner";

type Computer = ReturnType<typeof EnumerationResultsRequest.parse>["servers"][number];

/** What is stored per computer: the contract's fields, hostname lower-case. */
function stored(c: Computer) {
  return {
    hostname: c.hostname.toLowerCase(),
    name: c.name,
    os: c.os ?? null,
    os_version: c.os_version ?? null,
    distinguished_name: c.distinguished_name ?? null,
    enabled: c.enabled,
    last_logon: c.last_logon ? new Date(c.last_logon).toISOString() : null,
    is_domain_controller: c.is_domain_controller,
    winrm_reachable: c.winrm_reachable ?? null,
  };
}

/** Who trusted a certificate the appliance read with it (shown as "accepted by"). */
const TRUSTED_BY_LABEL = {
  "first-use": (appliance: string) => `first use (${appliance})`,
  pin: (appliance: string) => `pinned on ${appliance}`,
  ca: (appliance: string) => `the partner's CA (${appliance})`,
} as const;

export function enumerationJobId(applianceId: string, runKey: string): string {
  return jobId("enum", applianceId, runKey);
}

function assertOwnAppliance(principal: AppliancePrincipal, applianceId: string): void {
  if (applianceId !== principal.applianceId) {
    throw forbidden("This key belongs to a different appliance than the appliance_id given.");
  }
}

export async function receiveEnumerationResults(
  db: Db,
  principal: AppliancePrincipal,
  raw: EnumerationResultsRequest,
): Promise<EnumerationResultsResponse> {
  const input = EnumerationResultsRequest.parse(raw);
  assertOwnAppliance(principal, input.appliance_id);
  const servers = input.servers.map(stored);
  const workstations = input.workstations.map(stored);
  const enumeratedAt = new Date(input.enumerated_at);
  const chunked = input.run_id !== undefined;
  const runKey =
    input.run_id ??
    createHash("sha256")
      .update(JSON.stringify([input.domain, enumeratedAt.toISOString(), input.partial, servers, workstations]))
      .digest("hex");
  const chunk = input.chunk ?? 0;
  const lastChunk = chunked ? (input.last ? chunk : null) : 0;
  const job = enumerationJobId(principal.applianceId, runKey);

  return db.$transaction(
    async (tx) => {
      if (input.dc_certificate) {
        const { hostname, trusted_by, ...certificate } = input.dc_certificate;
        await recordDcCertificate(
          tx,
          { siteId: principal.siteId, domain: input.domain, hostname, certificate },
          { kind: "first-use", by: TRUSTED_BY_LABEL[trusted_by](principal.applianceId) },
        );
      }
      await tx.$executeRaw`
        INSERT INTO enumeration_runs (id, site_id, appliance_id, run_key, domain, partial, enumerated_at, job_id)
        VALUES (${randomUUID()}, ${principal.siteId}, ${principal.applianceId}, ${runKey}, ${input.domain},
                ${input.partial}, ${enumeratedAt}, ${job})
        ON CONFLICT (appliance_id, run_key) DO NOTHING`;
      const [run] = await tx.$queryRaw<
        Array<{
          id: string;
          status: string;
          domain: string;
          enumerated_at: Date;
          partial: boolean;
          last_chunk: number | null;
        }>
      >`
        SELECT id, status::text AS status, domain, enumerated_at, partial, last_chunk FROM enumeration_runs
        WHERE appliance_id = ${principal.applianceId} AND run_key = ${runKey} FOR UPDATE`;
      if (!run) throw new Error("enumeration run vanished");
      const answer = (status: string): EnumerationResultsResponse => ({
        status: "accepted",
        job_id: job,
        run_id: run.id,
        run_status: status as EnumerationResultsResponse["run_status"],
      });
      if (run.status !== "receiving") return answer(run.status);
      if (
        run.domain !== input.domain ||
        run.enumerated_at.getTime() !== enumeratedAt.getTime() ||
        run.partial !== input.partial
      ) {
        throw badRequest(
          `Chunk ${chunk} of run ${input.run_id} does not match the run's first chunk: every chunk must send the same domain, enumerated_at and partial.`,
        );
      }
      if (lastChunk !== null && run.last_chunk !== null && run.last_chunk !== lastChunk) {
        throw badRequest(
          `Run ${input.run_id} already ended at chunk ${run.last_chunk}; chunk ${chunk} cannot be last too.`,
        );
      }
      await tx.$executeRaw`
        INSERT INTO enumeration_chunks (run_id, chunk, servers, workstations)
        VALUES (${run.id}, ${chunk}, ${JSON.stringify(servers)}::jsonb, ${JSON.stringify(workstations)}::jsonb)
        ON CONFLICT (run_id, chunk) DO NOTHING`;
      const last = lastChunk ?? run.last_chunk;
      if (lastChunk !== null && run.last_chunk === null) {
        await tx.$executeRaw`UPDATE enumeration_runs SET last_chunk = ${lastChunk} WHERE id = ${run.id}`;
      }
      if (last === null) return answer("receiving");
      const [have] = await tx.$queryRaw<Array<{ chunks: number; servers: number; workstations: number }>>`
        SELECT count(*)::int AS chunks, coalesce(sum(jsonb_array_length(servers)), 0)::int AS servers,
               coalesce(sum(jsonb_array_length(workstations)), 0)::int AS workstations
        FROM enumeration_chunks WHERE run_id = ${run.id} AND chunk <= ${last}`;
      if (!have || have.chunks < last + 1) return answer("receiving");
      await tx.$executeRaw`
        UPDATE enumeration_runs SET status = 'queued', server_count = ${have.servers},
               workstation_count = ${have.workstations}
        WHERE id = ${run.id}`;
      await addOutbox(tx, "enumeration.merge", { runId: run.id }, { jobId: job });
      await completeEnumerationTriggers(tx, principal.applianceId);
      await recordAuditEvent(tx, {
        action: "enumeration.received",
        actorType: "appliance",
        actorId: principal.applianceId,
        partnerId: principal.partnerId,
        siteId: principal.siteId,
        targetType: "enumeration_run",
        targetId: run.id,
        metadata: {
          domain: input.domain,
          servers: have.servers,
          workstations: have.workstations,
          partial: input.partial,
        },
      });
      return answer("queued");
    },
    { timeout: 30_000 },
  );
}

/**
 * The appliance could not enumerate (wrong password, locked account, DC unreachable, no or changed
 * certificate…): the partner is told in the appliance's words, the run is kept as failed for the site page,
 * and the delivered enumeration flags are closed as failed (retrying a wrong password would lock the account).
 *
 * Idempotent: the same report sent again (a retried delivery) stores no second run and notifies nobody twice.
 * A report with `failed_at` is one event, keyed by a hash of its content per appliance; one without it is a
 * repeat when the appliance's latest run is a failed run with the same content.
 *
 * A certificate_changed report with its `certificate` block stores the DC's new certificate as pending and
 * raises the dc_certificate_changed alert naming the DC and both fingerprints (instead of the generic one).
 */
export async function recordEnumerationFailed(
  db: Db,
  principal: AppliancePrincipal,
  raw: typeof EnumerationFailedRequest._input,
): Promise<{ status: "ok"; run_id: string }> {
  const input = EnumerationFailedRequest.parse(raw);
  assertOwnAppliance(principal, input.appliance_id);
  const content = [input.domain, input.code ?? null, input.error, input.certificate ?? null];
  const when = input.failed_at ? [new Date(input.failed_at).toISOString()] : [];
  const runKey = `failed-${createHash("sha256")
    .update(JSON.stringify([...content, ...when]))
    .digest("hex")}`;
  return db.$transaction(async (tx) => {
    // Serializes this appliance's reports, so a re-sent one always sees the first.
    await tx.$queryRaw`SELECT id FROM appliances WHERE id = ${principal.applianceId} FOR UPDATE`;
    const repeat = input.failed_at
      ? await tx.enumerationRun.findUnique({
          where: { applianceId_runKey: { applianceId: principal.applianceId, runKey } },
          select: { id: true },
        })
      : await tx.enumerationRun
          .findFirst({
            where: { applianceId: principal.applianceId },
            orderBy: { receivedAt: "desc" },
            select: { id: true, runKey: true },
          })
          .then((latest) => (latest?.runKey.startsWith(runKey) ? latest : null));
    if (repeat) return { status: "ok" as const, run_id: repeat.id };
    const id = randomUUID();
    await tx.enumerationRun.create({
      data: {
        id,
        siteId: principal.siteId,
        applianceId: principal.applianceId,
        runKey: input.failed_at ? runKey : `${runKey}-${id}`,
        domain: input.domain,
        status: "failed",
        error: input.code ? `${input.code}: ${input.error}` : input.error,
        enumeratedAt: input.failed_at ? new Date(input.failed_at) : new Date(),
        jobId: "none",
      },
    });
    await completeEnumerationTriggers(tx, principal.applianceId, "failed");
    const changed = input.code === "certificate_changed" ? input.certificate : undefined;
    if (changed) {
      const { hostname, previous_sha256, ...certificate } = changed;
      await recordDcCertificate(
        tx,
        { siteId: principal.siteId, domain: input.domain, hostname, certificate },
        { kind: "none" },
      );
      await notifyPartner(tx, principal.partnerId, {
        siteId: principal.siteId,
        applianceId: principal.applianceId,
        kind: "dc_certificate_changed",
        title: `The certificate of domain controller ${hostname.toLowerCase()} changed`,
        body:
          `${hostname.toLowerCase()} (${input.domain}) now presents SHA-256 ${certificate.sha256}${previous_sha256 ? `; the trusted certificate was ${previous_sha256}` : ""}. ` +
          "Enumeration stopped. If the certificate was renewed, compare the fingerprint and accept it on the site page; " +
          "if not, the connection may be intercepted.",
      });
    } else {
      await notifyPartner(tx, principal.partnerId, {
        siteId: principal.siteId,
        applianceId: principal.applianceId,
        kind: "enumeration_failed",
        title: `Enumeration of ${input.domain} failed`,
        body: input.error,
      });
    }
    return { status: "ok" as const, run_id: id };
  });
}
