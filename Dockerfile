# chidao: one image runs every role (CHIDAO_ROLE=all | web | worker).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run typecheck && npm prune --omit=dev

FROM node:20-bookworm-slim
# Liberation Serif (Times-metric, Vietnamese) for PDFs; openssl for server-side signing.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-liberation2 openssl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
# glibc keeps one malloc arena per thread and rarely returns their freed memory: under hostile load
# (the fault suite's malformed requests) a web process's RSS rose ~100 MB with the default and ~35 MB
# with two arenas, its JS heap after GC unchanged either way.
ENV MALLOC_ARENA_MAX=2
COPY --from=build /app /app
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "server/main.ts"]
