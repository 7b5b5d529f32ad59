#!/usr/bin/env bash
# The server end to end, as its users meet it: `caravan serve` on the embedded network,
# then routingpy (OSRM client), schemathesis against /openapi.json, and the web map in
# headless Chromium. Run by .ci/run after `cargo test`; installs what it needs.
#
# Usage: crates/caravan-server/tests/e2e.sh [path/to/caravan]   (default target/debug/caravan)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
bin="${1:-target/debug/caravan}"
port="${CARAVAN_E2E_PORT:-18080}"
base="http://127.0.0.1:$port"
out="target/e2e"
mkdir -p "$out"
export CARAVAN_CACHE="${CARAVAN_CACHE:-$root/target/tmp/caravan-cache}"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "e2e: installing ${need_apt[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}") >/dev/null
fi
if [ ! -x "$out/venv/bin/python" ]; then
  python3 -m venv "$out/venv"
fi
"$out/venv/bin/pip" install -q "routingpy==1.3.0" "schemathesis==4.32.5"
(cd crates/caravan-server/tests/web && npm install --no-audit --no-fund --silent >/dev/null)

"$bin" serve --addr "127.0.0.1:$port" >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  if curl -fsS "$base/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 $server 2>/dev/null; then cat "$out/server.log"; echo "e2e: the server died" >&2; exit 1; fi
  sleep 1
done
curl -fsS "$base/health" >/dev/null || { cat "$out/server.log"; echo "e2e: the server never answered" >&2; exit 1; }
echo "e2e: server up ($(grep -m1 prepared "$out/server.log" || true))"

"$out/venv/bin/python" crates/caravan-server/tests/clients.py "$base"

# The contract: no 5xx, and every response as documented (status, content type, body
# schema), over at least 1,000 generated requests (12 operations × up to 250 each, plus
# the coverage phase's boundary cases).
"$out/venv/bin/schemathesis" run "$base/openapi.json" \
  --max-examples 250 \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --request-timeout 120 --seed 15 --no-color \
  --report junit --report-dir "$out/schemathesis" | tee "$out/schemathesis.log" | tail -25

ARTIFACTS="$out/browser" CHROMIUM="$(command -v chromium)" \
  node crates/caravan-server/tests/web/map.test.mjs "$base"

kill -INT $server
wait $server || true
grep -q "caravan: stopped" "$out/server.log" || { echo "e2e: no graceful stop" >&2; exit 1; }
echo "e2e: ok"
