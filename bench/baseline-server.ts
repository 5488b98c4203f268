/**
 * The naive baseline the product is measured against: node:http + pg, one database round trip per
 * check-in that looks the key up, writes last-seen and reads pending flags. No credentials, no framework.
 *   node --import tsx bench/baseline-server.ts PORT DATABASE_URL HMAC_KEY
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import pg from "pg";

const [port = "3301", databaseUrl = "", hmacKey = ""] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });

http
  .createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", async () => {
      try {
        const body = JSON.parse(raw) as { appliance_id: string };
        const key = req.headers.authorization?.slice(7) ?? "";
        const hash = createHmac("sha256", hmacKey).update(`appliance-api-key\0${key}`).digest("hex");
        const { rows } = await pool.query(
          `UPDATE appliances SET last_checkin_at = now() WHERE api_key_hash = $1
           RETURNING id, EXISTS (SELECT 1 FROM appliance_triggers t WHERE t.appliance_id = appliances.id AND t.state = 'pending') AS flags`,
          [hash],
        );
        const row = rows[0] as { id: string; flags: boolean } | undefined;
        if (!row || row.id !== body.appliance_id) {
          res.writeHead(401).end('{"error":"unauthorized"}');
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            status: "ok",
            server_time: new Date().toISOString(),
            trigger_enumeration: row.flags,
            trigger_immediate_scan: false,
            windows_targets: [],
          }),
        );
      } catch {
        res.writeHead(500).end('{"error":"failed"}');
      }
    });
  })
  .listen(Number(port), "127.0.0.1");
