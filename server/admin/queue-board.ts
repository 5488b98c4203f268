import path from "node:path";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { allQueues } from "@/server/jobs/queues";

export const BOARD_BASE_PATH = "/admin/queues";

/** The BullMQ dashboard as a Hono app, mounted inside a Next route handler. */
export function buildQueueBoard(): Hono {
  const serverAdapter = new HonoAdapter(serveStatic);
  serverAdapter.setBasePath(BOARD_BASE_PATH);
  createBullBoard({
    queues: allQueues().map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: {
      // bull-board otherwise locates its UI with an eval'd require.resolve that the bundler cannot see.
      uiBasePath: path.join(process.cwd(), "node_modules/@bull-board/ui"),
      uiConfig: { boardTitle: "OsirisCare queues" },
    },
  });
  return new Hono().route(BOARD_BASE_PATH, serverAdapter.registerPlugin());
}
