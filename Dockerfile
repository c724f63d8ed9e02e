# syntax=docker/dockerfile:1
# Keyport's production image: dependencies → build → a runtime stage with production dependencies only, run as the
# unprivileged `node` user. The entry is server.ts (client IP from TRUSTED_PROXIES, migrations at start, graceful
# drain on SIGTERM), bundled by `npm run build` into .next/keyport-server.cjs and run by plain node as `npm start`
# does; Next.js's `output: "standalone"` is not used because its generated server.js would replace that entry. Build: `docker build -t keyport .`; run: see compose.yaml.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency runs an install script (the native modules ship prebuilt binaries as packages).
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund && rm -rf .next/cache

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
RUN mkdir -p /data && chown node:node /data
COPY --from=build /app/package.json /app/package-lock.json /app/next.config.ts /app/tsconfig.json /app/server.ts /app/instrumentation.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY --from=build /app/drizzle ./drizzle
COPY --from=build --chown=node:node /app/.next ./.next
USER node
EXPOSE 3000
VOLUME ["/data"]
# Liveness only (touches nothing); readiness for a load balancer is /api/ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# What `npm start` runs, without npm in between: SIGTERM reaches the server itself and starts its drain.
CMD ["node", ".next/keyport-server.cjs"]
