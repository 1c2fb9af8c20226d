# One image for the whole desk: every service and the sandbox share the same build; the container's
# command picks which entry point runs (see docker-compose.yml and deploy/helm).
# syntax=docker/dockerfile:1.7
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .swcrc tsconfig.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY libs/adapters/package.json libs/adapters/
COPY sandbox/package.json sandbox/
COPY services/intake/package.json services/intake/
COPY services/triage/package.json services/triage/
COPY services/knowledge/package.json services/knowledge/
COPY services/executor/package.json services/executor/
COPY services/verifier/package.json services/verifier/
COPY services/psa-writer/package.json services/psa-writer/
RUN npm ci --no-audit --no-fund
COPY libs libs
COPY services services
COPY sandbox sandbox
COPY scripts scripts
COPY config config
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
 && find . -path ./node_modules -prune -o \( -name '*.ts' -o -name 'test' -type d \) -print | grep -v '/dist/' | xargs rm -rf

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DESK_CONFIG=/app/config/desk.sandbox.yaml \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
# Liveness only: readiness (NATS + PostgreSQL) is the orchestrator's /readyz probe.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+(process.env.HEALTH_PATH||'/healthz')).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
ENTRYPOINT ["node", "--require", "./libs/platform/dist/tracing/register.js"]
CMD ["services/intake/dist/main.js"]
