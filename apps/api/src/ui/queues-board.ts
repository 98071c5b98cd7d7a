import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import helmet from "helmet";
import { Router } from "express";
import { QUEUES, type JobQueues } from "@hookline/queue";

export const QUEUES_BOARD_PATH = "/admin/queues";

/**
 * Bull Board over the queues this installation uses. Its page is its own (React, inline styles),
 * so its content policy allows inline styles, but still nothing from another origin: the web fonts
 * it asks for are refused, and the system's are used.
 */
export function queuesBoard(queues: JobQueues): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: "Hookline queues" } },
  });
  const router = Router();
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: "no-referrer" },
    }),
    (_req, res, next) => {
      res.setHeader("Cache-Control", "no-store");
      next();
    },
    adapter.getRouter() as Router,
  );
  return router;
}
