import { Router } from "express";
import type { Db } from "../../db/prisma.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { createUser, CreateUserInputSchema } from "../../features/users/create-user.ts";
import { findUsers, FindUsersQuerySchema } from "../../features/users/find-users.ts";
import { revokeUserTokens } from "../../features/users/revoke-user-tokens.ts";
import { updateUser, UpdateUserInputSchema } from "../../features/users/update-user.ts";
import { currentUser, requireRole } from "../middleware/auth.ts";
import { parseId } from "../params.ts";

/**
 * User management for administrators (an organisation's administrator manages the users of their
 * subtree): `GET /users`, `POST /users`, `PATCH /users/:id` (disabling or a new password revokes the
 * user's tokens), `POST /users/:id/revoke-tokens`.
 */
export function usersRoutes({ db }: { db: Db }): Router {
  const router = Router();
  router.use("/users", requireRole("ADMIN"));

  router.get("/users", async (req, res) => {
    res.json(await findUsers(db, currentUser(req), parseWith(FindUsersQuerySchema, req.query)));
  });

  router.post("/users", async (req, res) => {
    res.status(201).json(await createUser(db, currentUser(req), parseWith(CreateUserInputSchema, req.body)));
  });

  router.patch("/users/:id", async (req, res) => {
    const id = parseId(req.params.id, "user");
    res.json(await updateUser(db, currentUser(req), id, parseWith(UpdateUserInputSchema, req.body)));
  });

  router.post("/users/:id/revoke-tokens", async (req, res) => {
    const id = parseId(req.params.id, "user");
    res.json(await revokeUserTokens(db, currentUser(req), id));
  });
  return router;
}
