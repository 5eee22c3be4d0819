# errata serve on Node 20 (see docs/deploy.md). The web app and PGlite's schema dump are built at install.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
COPY bin ./bin
COPY tsconfig.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 ERRATA_DATA_DIR=/home/node/errata
EXPOSE 3000
USER node
CMD ["node", "bin/errata.js", "serve"]
