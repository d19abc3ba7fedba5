#!/usr/bin/env bash
# Benchmarks print figures; they assert nothing. Usage: bench.sh BIN_DIR
#
# fan-out: one rotation of a secret held by 50 targets (25 Vercel projects, 25 Render services) in the sandbox,
# with 50 ms of latency injected on every API call and 1 s deploys. Reports the whole propagation time, the
# slowest single target's time, and their ratio, at the default per-provider limit (8) and with no limit.
set -euo pipefail
BIN=$(cd "${1:?usage: bench.sh BIN_DIR}" && pwd)
ROTOR="$BIN/rotor"
WORK=$(mktemp -d /tmp/rotor-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
SANDBOX_PID=
cleanup() {
    if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
python3 - "$PORT" <<'PY'
import sys
port = sys.argv[1]
base = f"http://127.0.0.1:{port}"
with open("world.yml", "w") as w:
    w.write("vercel:\n  projects:\n")
    for i in range(25): w.write(f"    - {{ id: prj_bench{i:02d}, name: bench-{i:02d} }}\n")
    w.write("render:\n  rate_limits: { reads_per_minute: 100000, writes_per_minute: 100000, deploys_per_minute: 1000 }\n  services:\n")
    for i in range(25): w.write(f"    - {{ id: srv-bench{i:02d}, name: bench-{i:02d} }}\n")
    w.write("  env_groups: []\n")
import os
os.makedirs("Playbooks", exist_ok=True)
with open("Playbooks/fanout.yml", "w") as p:
    p.write(f"""secret: fanout
grace: 1h
source:
  provider: http
  token: env:VENDOR_ADMIN_TOKEN
  mint: {{ method: POST, url: "{base}/vendor/keys", headers: {{ Authorization: "Bearer {{{{token}}}}" }}, body: {{ name: bench }} }}
  revoke: {{ method: DELETE, url: "{base}/vendor/keys/{{{{handle}}}}", headers: {{ Authorization: "Bearer {{{{token}}}}" }} }}
  value: /value
  handle: /id
targets:
""")
    for i in range(25):
        p.write(f"  - {{ provider: vercel, project: bench-{i:02d}, key: OPENAI_API_KEY, environments: [production], api: \"{base}/vercel\", poll_interval: 1s }}\n")
    for i in range(25):
        p.write(f"  - {{ provider: render, service: srv-bench{i:02d}, key: OPENAI_API_KEY, api: \"{base}/render/v1\", poll_interval: 1s }}\n")
    p.write("checks: []\nnotify: []\n")
PY
"$ROTOR" sandbox --port "$PORT" --world world.yml --deploy-seconds 1 > sandbox.log 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$PORT/_sandbox/state" > /dev/null 2>&1 && break; sleep 0.2; done
curl -fsS -X POST "http://127.0.0.1:$PORT/_sandbox/faults" -H 'content-type: application/json' \
    -d '{"kind":"latency","ms":50,"target":"any","count":1000000}' > /dev/null || { cat sandbox.log; exit 1; }

export ROTOR_HOME="$WORK/.rotor" ROTOR_PLAYBOOKS="$WORK/Playbooks" ROTOR_LOG_LEVEL=error
export VERCEL_TOKEN=sandbox-vercel-token RENDER_API_KEY=sandbox-render-token VENDOR_ADMIN_TOKEN=sandbox-vendor-admin
"$ROTOR" init > /dev/null
report() {
    "$ROTOR" history fanout --limit 1 --json | python3 -c '
import json, sys, datetime
entry = json.load(sys.stdin)[0]
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
starts, ends = {}, {}
for s in entry["steps"]:
    if not s["step"].startswith("propagate:"): continue
    if s["phase"] == "started": starts.setdefault(s["step"], t(s["at"]))
    else: ends[s["step"]] = t(s["at"])
total = max(ends.values()) - min(starts.values())
slowest = max(ends[k] - starts[k] for k in ends)
print("  targets %d, state %s" % (len(ends), entry["rotation"]["state"]))
print(f"  propagation total   {total:6.1f} s")
print(f"  slowest target      {slowest:6.1f} s")
print(f"  ratio total/slowest {total/slowest:6.2f}")'
}
echo "fan-out: 25 Vercel + 25 Render targets, 50 ms per API call, 1 s deploys"
echo "per-provider limit 8 (default):"
start=$(date +%s.%N); "$ROTOR" rotate fanout > /dev/null; end=$(date +%s.%N)
report; python3 -c "print(f'  wall time of rotor rotate {$end-$start:6.1f} s')"
"$ROTOR" tick --now "$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)" > /dev/null
echo "per-provider limit 25 (ROTOR_PROVIDER_CONCURRENCY=25):"
start=$(date +%s.%N); ROTOR_PROVIDER_CONCURRENCY=25 "$ROTOR" rotate fanout > /dev/null; end=$(date +%s.%N)
report; python3 -c "print(f'  wall time of rotor rotate {$end-$start:6.1f} s')"
