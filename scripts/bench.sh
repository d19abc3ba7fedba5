#!/usr/bin/env bash
# Benchmarks print figures; they assert nothing. Usage: bench.sh BIN_DIR
#
# fan-out: one rotation of a secret held by 50 targets (25 Vercel projects, 25 Render services) in the sandbox,
# with 50 ms of latency injected on every API call, 1 s deploys and Render's documented rate limits (400 reads,
# 30 writes a minute, 10 deploys a minute per service). Reports the whole propagation time, the slowest single
# target's time (the reference) and their ratio at the default per-provider concurrency, and the 429s Render refused.
# footprint: idle RSS of `rotor run` (with and without the HTTP service) and the wall time of `rotor version`.
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
    w.write("render:\n  services:\n")
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
doc = json.load(sys.stdin)
entry = next(v for v in doc.values() if isinstance(v, list))[0]   # the newest rotation
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
starts, ends = {}, {}
for s in entry["steps"]:
    if not s["step"].startswith("propagate:"): continue
    if s["phase"] == "started": starts.setdefault(s["step"], t(s["at"]))
    else: ends[s["step"]] = t(s["at"])
total = max(ends.values()) - min(starts.values())
times = sorted(ends[k] - starts[k] for k in ends)
slowest, median = times[-1], times[len(times) // 2]
print("  targets %d, state %s" % (len(ends), entry["rotation"]["state"]))
print(f"  propagation total   {total:6.1f} s")
print(f"  slowest target      {slowest:6.1f} s   (reference; median target {median:.1f} s)")
print(f"  ratio total/slowest {total/slowest:6.2f}   (goal <= 1.50)")'
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other builds: figures vary between runs)"
echo "fan-out: 25 Vercel + 25 Render targets, 50 ms per API call, 1 s deploys, Render's real rate limits"
echo "per-provider concurrency at its default:"
start=$(date +%s.%N); "$ROTOR" rotate fanout > /dev/null; end=$(date +%s.%N)
report; python3 -c "print(f'  wall time of rotor rotate {$end-$start:6.1f} s')"
refusals() {
    curl -fsS "http://127.0.0.1:$PORT/_sandbox/state" | python3 -c '
import json, sys
print("  Render 429s (rate limit refusals) %d   (goal 0)" % json.load(sys.stdin)["render"]["rate_limited"])'
}
refusals
# Again at once: 25 more writes do not fit in what is left of Render's 30 a minute, so they wait for its reset.
echo "a second rotation within the same minute (Render's write budget spent: writes wait for its reset):"
"$ROTOR" tick --now "$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)" > /dev/null
start=$(date +%s.%N); "$ROTOR" rotate fanout > /dev/null; end=$(date +%s.%N)
python3 -c "print(f'  wall time of rotor rotate {$end-$start:6.1f} s')"
refusals

# Idle RSS: the daemon started on an empty store, measured once it answers and has been idle for 2 s.
idle_rss() {
    local port log pid rss
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    log="$WORK/run.log"
    ROTOR_HOME="$WORK/.rotor-idle" ROTOR_PLAYBOOKS="$WORK/empty" "$ROTOR" run --interval 1h --port "$port" "$@" > "$log" 2>&1 &
    pid=$!
    if [ "${1:-}" = "--no-serve" ]; then sleep 1; else
        for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done
    fi
    sleep 2
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    echo "$(awk '/^Threads/ {print $2}' "/proc/$pid/status") $rss"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}
mkdir -p "$WORK/empty"
ROTOR_HOME="$WORK/.rotor-idle" "$ROTOR" init > /dev/null
echo "footprint:"
read -r THREADS RSS < <(idle_rss)
python3 -c "print(f'  idle RSS, rotor run with the server  {$RSS/1024:6.1f} MB  ({$THREADS} threads; goal 40 MB: ratio {$RSS/1024/40:.2f})')"
read -r THREADS RSS < <(idle_rss --no-serve)
python3 -c "print(f'  idle RSS, rotor run --no-serve       {$RSS/1024:6.1f} MB  ({$THREADS} threads)')"
# Start-up: the mean wall time of `rotor version` over 50 runs, after 5 to warm the page cache.
for _ in 1 2 3 4 5; do "$ROTOR" version > /dev/null; done
MS=$(python3 - "$ROTOR" <<'PY'
import subprocess, sys, time
runs = 50
start = time.perf_counter()
for _ in range(runs): subprocess.run([sys.argv[1], "version"], stdout=subprocess.DEVNULL, check=True)
print("%.1f" % ((time.perf_counter() - start) / runs * 1000))
PY
)
LIBS=$(ldd "$ROTOR" | grep -c '=>' || true)
python3 -c "print(f'  rotor version wall time              {$MS:6.1f} ms  ($LIBS shared libraries; goal 15 ms: ratio {$MS/15:.2f})')"
