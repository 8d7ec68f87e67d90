import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { createLinkCode } from "../../features/people/create-link-code.ts";
import { findPeople, FindPeopleQuerySchema } from "../../features/people/find-people.ts";
import { updateChannelOrder, UpdatePersonSchema } from "../../features/people/update-channel-order.ts";
import { currentUser, requireRole } from "../middleware/auth.ts";
import { parseId } from "../params.ts";

/** People (principals and officers who receive directives) and the codes that link their chats. */
export function peopleRoutes({ db, channels = [] }: Pick<AppDeps, "db" | "channels">): Router {
  const router = Router();

  router.get("/people", async (req, res) => {
    res.json(await findPeople(db, currentUser(req), parseWith(FindPeopleQuerySchema, req.query)));
  });

  router.patch("/people/:id", requireRole("ADMIN", "OFFICER"), async (req, res) => {
    const personId = parseId(req.params.id, "person");
    res.json(await updateChannelOrder(db, currentUser(req), personId, parseWith(UpdatePersonSchema, req.body)));
  });

  router.post("/people/:id/link-code", requireRole("ADMIN", "OFFICER"), async (req, res) => {
    const personId = parseId(req.params.id, "person");
    res.status(201).json(await createLinkCode(db, { personId, user: currentUser(req), channels }));
  });
  return router;
}
