/** `npm run db:generate`: regenerates the Prisma client (see scripts/postinstall.mjs). */
import "./postinstall.mjs";
