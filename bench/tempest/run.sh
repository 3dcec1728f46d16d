#!/usr/bin/env bash
# Runs tempest's network API suite (tempest.api.network, Debian's tempest 33) against Alcor with Keystone auth.
# Everything on loopback, in a throw-away workspace; stops (by PID) only the processes it started.
#
#   bench/tempest/run.sh [REGEX]        default REGEX '^tempest\.api\.network'
#
# Needs (as root: apt-get install -y keystone uwsgi uwsgi-plugin-python3 tempest python3-openstackclient).
# Environment: WORK (a fresh mktemp dir; kept afterwards when KEEP=1), KEYSTONE_PORT (19510), ALCOR_PORT (19696),
# TEMPEST_CONCURRENCY (1), TIMEOUT (seconds for the tempest run, 5400).
# Output: $WORK/tempest.out (the run's log) and a summary line; counts for docs/conformance.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REGEX=${1:-'^tempest\.api\.network'}
KEYSTONE_PORT=${KEYSTONE_PORT:-19510}
ALCOR_PORT=${ALCOR_PORT:-19696}
TEMPEST_CONCURRENCY=${TEMPEST_CONCURRENCY:-1}
TIMEOUT=${TIMEOUT:-5400}
WORK=${WORK:-$(mktemp -d /tmp/alcor-tempest.XXXXXX)}
ADMIN_PW=adminpw
SERVICE_PW=alcorpw
PIDS=()

log() { echo "tempest-run: $*" >&2; }
die() { log "$*"; exit 1; }
port_busy() { ss -Htln "sport = :$1" | grep -q .; }

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        # each was started with setsid: its process group holds it and its children (uwsgi workers, router)
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

wait_http() {  # url seconds
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        curl -s -m 5 -o /dev/null "$1" && return 0
        sleep 1
    done
    return 1
}

for c in keystone-manage uwsgi tempest curl; do command -v $c >/dev/null || die "$c is missing"; done
port_busy "$KEYSTONE_PORT" && die "port $KEYSTONE_PORT is in use (set KEYSTONE_PORT)"
port_busy "$ALCOR_PORT" && die "port $ALCOR_PORT is in use (set ALCOR_PORT)"
# Debian's python3 packages, not a pyenv interpreter's
unset PYTHONPATH PYTHONHOME PYENV_VERSION || true
export PATH=/usr/bin:/usr/sbin:/bin:$PATH
log "workspace $WORK"

# --- Keystone (the lab recipe: sqlite, fernet tokens, uwsgi with keep-alive) ---
K=$WORK/keystone
mkdir -p "$K/fernet-keys" "$K/credential-keys" "$K/log"
cat > "$K/keystone.conf" <<CONF
[DEFAULT]
log_file = $K/log/keystone.log
[database]
connection = sqlite:///$K/keystone.sqlite
[token]
provider = fernet
[fernet_tokens]
key_repository = $K/fernet-keys
[fernet_receipts]
key_repository = $K/fernet-keys
[credential]
key_repository = $K/credential-keys
[cache]
enabled = false
CONF
KM="keystone-manage --config-file $K/keystone.conf"
$KM db_sync > "$K/log/manage.log" 2>&1
# WAL journal: in the default rollback journal, POST /v3/services failed here with "database is locked" (a
# commit waits for every reader) and uwsgi dropped the connection without a response.
/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL').fetchone()[0])" \
    "$K/keystone.sqlite" >> "$K/log/manage.log"
$KM fernet_setup --keystone-user root --keystone-group root >> "$K/log/manage.log" 2>&1
$KM credential_setup --keystone-user root --keystone-group root >> "$K/log/manage.log" 2>&1
KURL=http://127.0.0.1:$KEYSTONE_PORT/v3
$KM bootstrap --bootstrap-password $ADMIN_PW --bootstrap-admin-url $KURL --bootstrap-public-url $KURL \
    --bootstrap-internal-url $KURL --bootstrap-region-id RegionOne >> "$K/log/manage.log" 2>&1
# 'Connection: close': a client reusing a connection that uwsgi's router has just closed gets "Remote end closed
# connection without response" (seen here with --http-keepalive on a long-lived `openstack` shell).
setsid uwsgi --plugin python3,http --http 127.0.0.1:$KEYSTONE_PORT --wsgi-file /usr/bin/keystone-wsgi-public \
    --add-header 'Connection: close' --master --die-on-term --processes 1 --threads 1 --env OS_KEYSTONE_CONFIG_FILES=$K/keystone.conf \
    > "$K/log/uwsgi.log" 2>&1 < /dev/null &
PIDS+=($!)
wait_http "$KURL" 120 || die "keystone did not answer within 120 s; see $K/log"
log "keystone up at $KURL"

export OS_AUTH_URL=$KURL OS_IDENTITY_API_VERSION=3 OS_USERNAME=admin OS_PASSWORD=$ADMIN_PW OS_PROJECT_NAME=admin \
    OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=RegionOne
unset OS_AUTH_TYPE OS_ENDPOINT || true
# one `openstack` process for all registrations: each start costs seconds, each token issue up to 50 s here
openstack > "$K/log/register.log" 2>&1 <<CMDS
project create --domain Default service
user create --domain Default --password $SERVICE_PW alcor
role add --project service --user alcor admin
service create --name neutron network
endpoint create --region RegionOne network public http://127.0.0.1:$ALCOR_PORT
endpoint create --region RegionOne network internal http://127.0.0.1:$ALCOR_PORT
endpoint create --region RegionOne network admin http://127.0.0.1:$ALCOR_PORT
CMDS
[ "$(grep -c '| interface ' "$K/log/register.log")" = 3 ] || die "registration failed; see $K/log/register.log"

# --- Alcor, from a snapshot of the build (so that later builds in the worktree cannot change it mid-run) ---
"$ROOT/bin/alcor" build
A=$WORK/alcor
mkdir -p "$A"
cp -r "$ROOT/controller/target/classes" "$ROOT/controller/target/lib" "$A/"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OPENS=$(sed -nE 's:.*<alcor.jvm.opens>(.*)</alcor.jvm.opens>.*:\1:p' "$ROOT/pom.xml")
major=$("$JAVA_HOME/bin/java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p')
[ "$major" -ge 24 ] && OPENS="$OPENS --sun-misc-unsafe-memory-access=allow"
DISCOVERY=$((ALCOR_PORT + 100))
# shellcheck disable=SC2086
IGNITE_QUIET=true setsid "$JAVA_HOME/bin/java" $OPENS -Xmx1g -cp "$A/classes:$A/lib/*" org.alcor.controller.Main \
    --port $ALCOR_PORT --southbound-port 0 --in-memory --node-name alcor-tempest \
    --cluster 127.0.0.1:$DISCOVERY --discovery-port $DISCOVERY --comm-port $((ALCOR_PORT + 200)) \
    --auth keystone --keystone-url $KURL --keystone-user alcor --keystone-password $SERVICE_PW --keystone-project service \
    > "$WORK/alcor.log" 2>&1 < /dev/null &
PIDS+=($!)
wait_http "http://127.0.0.1:$ALCOR_PORT/ready" 120 || die "alcor did not start; see $WORK/alcor.log"
log "alcor up at http://127.0.0.1:$ALCOR_PORT"

TOKEN=$(openstack token issue -f value -c id)
api() { curl -sf -m 120 -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' "$@"; }
PUBLIC=$(api -X POST "http://127.0.0.1:$ALCOR_PORT/v2.0/networks" \
    -d '{"network": {"name": "public", "router:external": true, "shared": false}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["network"]["id"])')
api -X POST "http://127.0.0.1:$ALCOR_PORT/v2.0/subnets" \
    -d "{\"subnet\": {\"network_id\": \"$PUBLIC\", \"cidr\": \"172.24.4.0/24\", \"ip_version\": 4, \"enable_dhcp\": false}}" > /dev/null
EXTENSIONS=$(api "http://127.0.0.1:$ALCOR_PORT/v2.0/extensions" | python3 -c 'import json,sys; print(",".join(sorted(e["alias"] for e in json.load(sys.stdin)["extensions"])))')
log "extensions: $EXTENSIONS"

# --- tempest (workspace files written by hand: `tempest init` also registers it in ~/.tempest) ---
T=$WORK/tempest
mkdir -p "$T/etc" "$T/logs" "$T/lock"
cat > "$T/.stestr.conf" <<CONF
[DEFAULT]
test_path=/usr/lib/python3/dist-packages/tempest/test_discover
top_dir=/usr/lib/python3/dist-packages/tempest
group_regex=([^\.]*\.)*
CONF
cat > "$T/etc/tempest.conf" <<CONF
[DEFAULT]
log_file = tempest.log
log_dir = $T/logs
[auth]
admin_username = admin
admin_password = $ADMIN_PW
admin_project_name = admin
admin_domain_name = Default
use_dynamic_credentials = true
create_isolated_networks = false
tempest_roles = member
[identity]
uri_v3 = $KURL
auth_version = v3
region = RegionOne
[identity-feature-enabled]
api_v2 = false
[network]
region = RegionOne
public_network_id = $PUBLIC
floating_network_name = public
project_network_cidr = 10.100.0.0/16
project_network_mask_bits = 28
project_networks_reachable = false
[network-feature-enabled]
ipv6 = true
ipv6_subnet_attributes = true
port_security = true
api_extensions = $EXTENSIONS
[service_available]
neutron = true
nova = false
cinder = false
glance = false
swift = false
horizon = false
placement = false
[validation]
run_validation = false
[oslo_concurrency]
lock_path = $T/lock
CONF
cd "$T"
log "running tempest '$REGEX' (concurrency $TEMPEST_CONCURRENCY, timeout $TIMEOUT s); log in $WORK/tempest.out"
set +e
timeout "$TIMEOUT" tempest run --concurrency "$TEMPEST_CONCURRENCY" --regex "$REGEX" > "$WORK/tempest.out" 2>&1
rc=$?
set -e
tail -n 20 "$WORK/tempest.out"
# per-test results, for grouping the failures
stestr last --subunit 2>/dev/null | subunit2csv > "$WORK/results.csv" 2>/dev/null || true
[ -n "${RESULTS_OUT:-}" ] && cp "$WORK/tempest.out" "$RESULTS_OUT" && { [ -s "$WORK/results.csv" ] && cp "$WORK/results.csv" "${RESULTS_OUT%.*}.csv" || true; }
log "tempest exit code $rc"
exit $rc
