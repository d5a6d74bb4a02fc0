#!/bin/sh
# Runs one component (joiner-worker, mover-worker, leaver-worker, recovery-worker, ocsf-feed,
# idp-gateway) against the cluster in LIFECYCLE_BOOTSTRAP_SERVERS; settings come from LIFECYCLE_*
# variables and LIFECYCLE_CONFIG_FILE. /health, /ready and /metrics listen on LIFECYCLE_HTTP_PORT.
set -eu
component="${1:?usage: entrypoint.sh COMPONENT}"
export LIFECYCLE_HTTP_HOST="${LIFECYCLE_HTTP_HOST:-0.0.0.0}"
exec java ${JAVA_OPTS:-} -cp "/app/lib/*" io.authlifecycle.deploy.LocalStack \
  --bootstrap "${LIFECYCLE_BOOTSTRAP_SERVERS:?set LIFECYCLE_BOOTSTRAP_SERVERS}" \
  --only "$component" \
  --http-port "${LIFECYCLE_HTTP_PORT:-8080}" \
  --data-dir "${LIFECYCLE_DATA_DIR:-/var/lib/authn-lifecycle}"
