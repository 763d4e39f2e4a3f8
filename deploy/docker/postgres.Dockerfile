# supplyoracle-postgres: PostgreSQL for registries-less machines (the compose file uses the official postgres image;
# this one honours the same POSTGRES_USER / POSTGRES_PASSWORD[_FILE] / POSTGRES_DB variables, see
# postgres-entrypoint.sh). Build with deploy/docker as the context:
#   docker build -f deploy/docker/postgres.Dockerfile -t supplyoracle-postgres deploy/docker
# BASE_IMAGE: Debian bookworm; one that already has postgresql-15 (deploy/docker/bases.sh) needs no package mirror.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN [ -x /usr/lib/postgresql/15/bin/postgres ] \
    || { apt-get update && apt-get install -y --no-install-recommends postgresql-15 && rm -rf /var/lib/apt/lists/*; } \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
    && chmod 0700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data PATH=/usr/lib/postgresql/15/bin:$PATH
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
# Debian's "postgres" user, not root.
USER postgres
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=10 CMD ["pg_isready", "-q", "-h", "127.0.0.1"]
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
CMD ["postgres"]
