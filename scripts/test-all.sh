#!/usr/bin/env bash
# The full test suite, as CI runs it (`npm run test:all`):
#   1. lint, format check and type check; the build; the committed OpenAPI document and client types
#      up to date (npm run openapi:check) and linted by Spectral (npm run openapi:lint)
#   2. unit tests
#   3. e2e tests on the embedded default (SQLite in process, no Redis), then the admin panel's flow
#      in Chromium (`npm run test:browser`; Chromium is installed with apt when missing, and this
#      step fails rather than skips without it)
#   4. MariaDB + Redis provisioned by scripts/services.sh, migrations through the TypeORM CLI,
#      then unit + e2e tests again on them, with the coverage gate (>= 80% of lines in libs/)
#   5. the multi-instance proof on the same services (`npm run test:cluster`: three API
#      processes and a worker from dist)
#   6. the smoke load scenario (scripts/load/scenarios/smoke.json) on them: a built API under a short
#      realistic mix, failing on its thresholds
#   7. a second MariaDB replicating the first (SERVICES_REPLICA=1), and the read-replica suite on it
#   8. a Redis Sentinel group (SERVICES_REDIS_SENTINEL=1), and its suite: an API and a worker through
#      a forced failover
#   9. a Redis cluster (SERVICES_REDIS_CLUSTER=1), and its suite: the same uses, BullMQ keys in one slot
# Services started here are stopped at the end unless KEEP_SERVICES=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }
JEST=(node --experimental-vm-modules node_modules/jest/bin/jest.js --ci)

step "lint, format, type check, build, OpenAPI document"
npm run lint --silent
npm run format:check --silent
npm run typecheck --silent
# openapi:check builds first (the document is generated from dist/).
npm run openapi:check --silent
npm run openapi:lint --silent

step "unit tests"
"${JEST[@]}" --selectProjects unit

step "e2e tests on the embedded default (SQLite, no Redis)"
env -u DATABASE_URL -u DB_HOST -u REDIS_URL -u DB_READ_HOSTS "${JEST[@]}" --selectProjects e2e

step "the admin panel in Chromium, on the embedded default"
# Once is enough: CORS, cookies and the CSRF check live in the HTTP layer, the same in both modes,
# and the session store under refresh and logout is covered on both by the e2e suites.
env -u DATABASE_URL -u DB_HOST -u REDIS_URL -u DB_READ_HOSTS CHROMIUM_REQUIRED=1 bash scripts/test-browser.sh --ci

step "provisioning MariaDB + Redis"
# The main pass runs without replicas, whatever the calling shell has exported.
unset DB_READ_HOSTS MARIADB_REPLICA_SOCKET
# Assigned first: a failing `up` must stop the run, not leave it on the embedded default.
exports="$(bash scripts/services.sh up)"
eval "$exports"
if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  echo "scripts/services.sh did not provide DATABASE_URL and REDIS_URL" >&2
  exit 1
fi
if [ "${KEEP_SERVICES:-0}" != "1" ]; then trap 'bash scripts/services.sh down' EXIT; fi

step "migrations through the TypeORM CLI"
npm run migration:run --silent

step "unit + e2e tests on MariaDB + Redis, with coverage"
"${JEST[@]}" --selectProjects unit e2e --coverage --coverageThreshold='{"global":{"lines":80}}'

step "multi-instance proof: 3 API processes + 1 worker on the same MariaDB + Redis"
"${JEST[@]}" --selectProjects cluster

step "smoke load scenario on MariaDB + Redis (npm run load -- smoke)"
node scripts/load/run.mjs smoke

step "read replicas: a MariaDB replica of the first one, and the suite about them"
# Skipped in the pass above (no DB_READ_HOSTS); here every other suite has already run.
replica_exports="$(SERVICES_REPLICA=1 bash scripts/services.sh up)"
eval "$replica_exports"
if [ -z "${DB_READ_HOSTS:-}" ]; then
  echo "scripts/services.sh did not provide DB_READ_HOSTS" >&2
  exit 1
fi
"${JEST[@]}" --selectProjects e2e -- test/platform/read-replicas.e2e-spec.ts

step "Redis Sentinel: a master, its replica and 3 sentinels, and the suite about them (a forced failover)"
unset DB_READ_HOSTS MARIADB_REPLICA_SOCKET
sentinel_exports="$(SERVICES_REDIS_SENTINEL=1 bash scripts/services.sh up)"
eval "$sentinel_exports"
if [ -z "${REDIS_SENTINELS:-}" ]; then
  echo "scripts/services.sh did not provide REDIS_SENTINELS" >&2
  exit 1
fi
"${JEST[@]}" --selectProjects e2e -- test/redis-ha/sentinel.e2e-spec.ts
unset REDIS_SENTINELS REDIS_SENTINEL_NAME

step "Redis cluster: 3 masters, and the suite about them"
cluster_exports="$(SERVICES_REDIS_CLUSTER=1 bash scripts/services.sh up)"
eval "$cluster_exports"
if [ -z "${REDIS_CLUSTER_NODES:-}" ]; then
  echo "scripts/services.sh did not provide REDIS_CLUSTER_NODES" >&2
  exit 1
fi
"${JEST[@]}" --selectProjects e2e -- test/redis-ha/cluster.e2e-spec.ts
