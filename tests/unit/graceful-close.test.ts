import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { closeGracefully } from "@/scripts/lib/graceful-close";

function get(port: number, path: string, agent?: Agent) {
  return new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function listen(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

describe("closeGracefully", () => {
  it("stops accepting, finishes the request in flight, and closes idle keep-alive connections", async () => {
    let arrived: () => void = () => {};
    const slowArrived = new Promise<void>((r) => {
      arrived = r;
    });
    let answerSlow: () => void = () => {};
    const { server, port } = await listen((req, res) => {
      if (req.url === "/slow") {
        answerSlow = () => res.end("slow done");
        arrived();
      } else res.end("fast");
    });
    // An idle keep-alive connection, which would otherwise hold the server open.
    const agent = new Agent({ keepAlive: true });
    expect((await get(port, "/fast", agent)).body).toBe("fast");
    const slow = get(port, "/slow");
    await slowArrived;

    const closed = closeGracefully(server, 10_000);
    await expect(get(port, "/fast")).rejects.toThrow(); // no longer accepting
    answerSlow();
    expect((await slow).body).toBe("slow done");
    expect(await closed).toBe(true);
    agent.destroy();
  });

  it("cuts a request that outlives the time limit", async () => {
    const { server, port } = await listen(() => {}); // never answers
    const hanging = get(port, "/hang").catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 100));
    expect(await closeGracefully(server, 300)).toBe(false);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
