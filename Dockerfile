# Hookline's image: one build that runs the API (the default command), a worker
# (`node apps/worker/dist/main.js`) or the migrations (`node scripts/migrate.mjs`).
# Written for docker-compose.yml; not built on the development machine, which has no Docker engine.

# Build with every dependency (TypeScript, turbo, esbuild, Prisma's generator), then drop the
# development ones so the runtime stage copies production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# Workspace packages are linked from node_modules; the links stay links when copied.
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/packages ./packages
COPY --from=build --chown=node:node /app/apps ./apps
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/scripts ./scripts
USER node
EXPOSE 3000
# The API's readiness (Postgres and Redis reachable). A worker overrides it with its own
# GET /healthz on WORKER_HEALTH_PORT (see docker-compose.yml).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "apps/api/dist/main.js"]
