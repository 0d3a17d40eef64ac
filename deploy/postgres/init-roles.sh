#!/bin/sh
# Runs once, when the PostgreSQL container initialises an empty data directory
# (mounted into /docker-entrypoint-initdb.d/). POSTGRES_USER owns the schema and runs the migrations;
# the store writes rows as DEALWIRE_DB_WRITER_ROLE; readers (dashboards, `dealwire deals`, ad-hoc SQL)
# connect as DEALWIRE_DB_READER_ROLE and can only SELECT. Tables the owner creates later get the same
# grants (ALTER DEFAULT PRIVILEGES).
set -eu
: "${DEALWIRE_DB_WRITER_PASSWORD:?set DEALWIRE_DB_WRITER_PASSWORD}"
: "${DEALWIRE_DB_READER_PASSWORD:?set DEALWIRE_DB_READER_PASSWORD}"
writer="${DEALWIRE_DB_WRITER_ROLE:-dealwire_writer}"
reader="${DEALWIRE_DB_READER_ROLE:-dealwire_reader}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" -v writer="$writer" -v reader="$reader" \
    -v writer_password="$DEALWIRE_DB_WRITER_PASSWORD" -v reader_password="$DEALWIRE_DB_READER_PASSWORD" <<'SQL'
CREATE ROLE :"writer" LOGIN PASSWORD :'writer_password';
CREATE ROLE :"reader" LOGIN PASSWORD :'reader_password';
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"writer", :"reader";
GRANT USAGE ON SCHEMA public TO :"writer", :"reader";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"writer";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"writer";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"writer";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"writer";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
SQL
