/**
 * The real appliance daemon for Active Directory tests: a site with one appliance whose keys come from its root
 * secret (as after a real claim), and `osiris-appliance run` options built from its command line and OSIRIS_*
 * environment, pointed at the test DC's DNS and at a route server. The caller stops it with stop().
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseCliArgs } from "@/appliance/src/cli/parse-args";
import { checkinDaemonOptions } from "@/appliance/src/cli/run-cli";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { CheckinDaemon } from "@/appliance/src/daemon/checkin-daemon";
import { APPLIANCE_SETTING_DEFAULTS } from "@/server/contracts";
import { db } from "@/server/db";
import { APPLIANCE_KEY_PURPOSE } from "@/server/domain/appliances/authenticate-appliance";
import { hashSecret } from "@/server/domain/security/secrets";
import { makeApplianceWithKey, type makePartner } from "./factories";
import { FIXTURE_NOW } from "./samba-dc/fixtures";
import type { TestDc } from "./samba-dc/samba-dc";

export interface AdDaemon {
  daemon: CheckinDaemon;
  siteId: string;
  applianceId: string;
  /** The appliance's API key (as the daemon derives it). */
  apiKey: string;
  stateDir: string;
  lines: string[];
  stop(): Promise<void>;
}

export async function startAdDaemon(
  dc: TestDc,
  serverUrl: string,
  partner: Awaited<ReturnType<typeof makePartner>>,
): Promise<AdDaemon> {
  const rootSecret = generateRootSecret();
  const keys = deriveApplianceKeys(rootSecret);
  const { siteId, applianceId } = await makeApplianceWithKey(partner.partner.id, {
    publicKey: keys.keyPair.publicKeyBase64,
  });
  await db().appliance.update({
    where: { id: applianceId },
    data: { apiKeyHash: hashSecret(keys.apiKey, APPLIANCE_KEY_PURPOSE) },
  });
  const root = mkdtempSync(path.join(tmpdir(), "osiris-ad-daemon-"));
  const stateDir = path.join(root, "msp");
  mkdirSync(stateDir, { mode: 0o700 });
  const cmd = parseCliArgs(["run", "--state-dir", stateDir], {
    OSIRIS_DNS_SERVERS: dc.ip,
    OSIRIS_AD_ENUMERATION_BUDGET_S: "30",
    OSIRIS_POLL_INTERVAL_S: "0.3",
  } as unknown as NodeJS.ProcessEnv);
  if (cmd.kind !== "run") throw new Error("expected the run command");
  const lines: string[] = [];
  const controller = new AbortController();
  const options = checkinDaemonOptions(cmd, {
    stdout: { write: (text: string) => lines.push(text.trimEnd()) } as never,
    stopSignal: () => controller.signal,
  });
  if (!options.directory) throw new Error("the run command configures Active Directory");
  const daemon = new CheckinDaemon(
    {
      site_id: siteId,
      appliance_id: applianceId,
      appliance_secret: rootSecret,
      api_endpoint: serverUrl,
      ...APPLIANCE_SETTING_DEFAULTS,
      state_dir: stateDir,
      partner: { slug: partner.partner.slug, brand_name: partner.partner.brandName, primary_color: "#2563EB" },
      provisioned_at: "2026-12-01T00:00:00+00:00",
      mac_address: "84:3A:5B:91:B6:62",
      hostname: "appliance",
    },
    {
      ...options,
      directory: {
        ...options.directory,
        candidates: () => [dc.domain],
        enumerate: { now: FIXTURE_NOW, winrm: { timeoutMs: 500 } },
      },
    },
  );
  const running = daemon.run();
  return {
    daemon,
    siteId,
    applianceId,
    apiKey: keys.apiKey,
    stateDir,
    lines,
    async stop() {
      controller.abort();
      await running;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
