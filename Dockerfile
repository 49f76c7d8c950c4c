# syntax=docker/dockerfile:1
# One image for every process of the pipeline; the command picks it (deploy/docker/entrypoint.sh):
#   docker build -t fan-dashboard .
#   docker run fan-dashboard raw-sink        (or query-api, ingest, migrate, register-schemas, …)

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json nx.json tsconfig.base.json tsconfig.json ./
COPY tools tools
COPY patches patches
COPY schemas schemas
COPY migrations migrations
COPY libs libs
COPY services services
COPY faults/package.json faults/package.json
RUN npm install --no-audit --no-fund --loglevel=error
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --exclude=@fan/faults --outputStyle=static
# Production dependencies only (the services' bundles need no workspace sources).
RUN npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/schemas/package.json schemas/package.json
COPY --from=build --chown=node:node /app/schemas/avro schemas/avro
COPY --from=build --chown=node:node /app/schemas/levels.json schemas/levels.json
COPY --from=build --chown=node:node /app/migrations/package.json migrations/package.json
COPY --from=build --chown=node:node /app/migrations/sql migrations/sql
COPY --from=build --chown=node:node /app/migrations/dist migrations/dist
COPY --from=build --chown=node:node /app/libs/event-codec/package.json libs/event-codec/package.json
COPY --from=build --chown=node:node /app/libs/event-codec/dist libs/event-codec/dist
COPY --from=build --chown=node:node /app/services/raw-sink/dist services/raw-sink/dist
COPY --from=build --chown=node:node /app/services/income-aggregator/dist services/income-aggregator/dist
COPY --from=build --chown=node:node /app/services/asset-aggregator/dist services/asset-aggregator/dist
COPY --from=build --chown=node:node /app/services/presence-aggregator/dist services/presence-aggregator/dist
COPY --from=build --chown=node:node /app/services/cache-invalidator/dist services/cache-invalidator/dist
COPY --from=build --chown=node:node /app/services/query-api/dist services/query-api/dist
COPY --from=build --chown=node:node /app/services/ingest/dist services/ingest/dist
COPY --from=build --chown=node:node /app/services/demo-traffic/dist services/demo-traffic/dist
COPY --from=build --chown=node:node /app/services/dlq-replay/dist services/dlq-replay/dist
COPY --from=build --chown=node:node /app/services/dlq-counter/dist services/dlq-counter/dist
COPY --from=build --chown=node:node /app/services/lag-exporter/dist services/lag-exporter/dist
COPY --from=build --chown=node:node /app/services/dashboard-web/package.json services/dashboard-web/package.json
COPY --from=build --chown=node:node /app/services/dashboard-web/dist services/dashboard-web/dist
COPY --chown=node:node deploy/docker/entrypoint.sh deploy/docker/entrypoint.sh
USER node
ENTRYPOINT ["deploy/docker/entrypoint.sh"]
CMD ["query-api"]
