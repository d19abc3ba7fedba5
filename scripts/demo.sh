#!/usr/bin/env bash
# The first-run tour, against the local sandbox (emulated Vercel, Render, a key vendor, a GitHub App and four apps).
# Everything happens in a temporary directory that is removed afterwards. Usage: demo.sh PATH_TO_ROTOR
set -euo pipefail
ROTOR=${1:?usage: demo.sh PATH_TO_ROTOR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=8790
WORK=$(mktemp -d /tmp/rotor-demo.XXXXXX)
SANDBOX_PID=
cleanup() {
    if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if python3 -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1',$PORT)) == 0 else 1)"; then
    echo "demo: port $PORT is in use (another rotor sandbox?); stop it and run make demo again" >&2
    exit 1
fi

export ROTOR_HOME="$WORK/.rotor" ROTOR_PLAYBOOKS="$ROOT/Playbooks/sandbox" ROTOR_ACTOR=demo ROTOR_LOG_LEVEL=error
export VERCEL_TOKEN=sandbox-vercel-token RENDER_API_KEY=sandbox-render-token OPENAI_ADMIN_KEY=sk-admin-sandbox \
    OP_CONNECT_TOKEN=sandbox-connect-token
unset ROTOR_MASTER_KEY ROTOR_STORE
cd "$WORK"

say()  { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
step() { printf '\033[1m$ %s\033[0m\n' "$*"; "$@"; }
state() { curl -fsS "http://127.0.0.1:$PORT/_sandbox/state"; }
live_fingerprints() {
    state | python3 -c '
import json, sys
s = json.load(sys.stdin)
for p in s["vercel"]["projects"]:
    print("  vercel %-10s live %s" % (p["name"], p["live_fingerprint"]))
for v in s["render"]["services"]:
    print("  render %-10s live %s" % (v["id"], v.get("live_fingerprint")))'
}
health() {
    for app in web-app docs-site srv-api srv-worker; do
        printf '  %-10s %s\n' "$app" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/apps/$app/health")"
    done
}

say "Start the sandbox: Vercel, Render, a key vendor and four apps on 127.0.0.1:$PORT"
"$ROTOR" sandbox --port "$PORT" --deploy-seconds 0.5 > "$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 50); do state > /dev/null 2>&1 && break; sleep 0.2; done
cat "$WORK/sandbox.log"

say "A fresh ROTOR_HOME: master key (mode 0600) and store"
step "$ROTOR" init
# The playbooks alert channel `ops`; a channel no rotor.yml defines fails validation.
printf 'channels:\n  ops: { type: outbox }\n' > rotor.yml
step "$ROTOR" validate

say "Adopt the OpenAI key in use today (a project service account someone made by hand)"
FIRST=$(curl -fsS -X POST "http://127.0.0.1:$PORT/openai/v1/organization/projects/proj_sandbox/service_accounts" \
    -H 'Authorization: Bearer sk-admin-sandbox' -H 'content-type: application/json' -d '{"name":"made by hand"}')
INITIAL=$(printf '%s' "$FIRST" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"]["value"])')
HANDLE=$(printf '%s' "$FIRST" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
printf '$ printenv OPENAI_API_KEY | rotor import openai-api-key --handle %s\n' "$HANDLE"
printf '%s\n' "$INITIAL" | "$ROTOR" import openai-api-key --handle "$HANDLE"

say "Rotate it across 2 Vercel projects, 2 Render services and the shared env group"
step "$ROTOR" rotate openai-api-key --reason "demo rotation"
step "$ROTOR" status openai-api-key
echo "apps (health):"; health

say "A day later the grace period is over: the old service account is deleted at OpenAI"
step "$ROTOR" tick --now "$(date -u -d '+25 hours' +%Y-%m-%dT%H:%M:%SZ)"
printf 'old key at OpenAI: HTTP %s (401 = revoked)\n' \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $INITIAL" "http://127.0.0.1:$PORT/openai/v1/models")"

say "Now a deploy of srv-api fails: Rotor puts every target back and revokes the new key"
printf '$ curl -X POST .../_sandbox/faults -d {"kind":"fail_deploy","service":"srv-api"}\n'
curl -fsS -X POST "http://127.0.0.1:$PORT/_sandbox/faults" -H 'content-type: application/json' \
    -d '{"kind":"fail_deploy","service":"srv-api","count":1}' > /dev/null
set +e
step "$ROTOR" rotate openai-api-key --reason "demo: failing deploy"
echo "(exit status $? — rolled back)"
set -e
echo "live values (fingerprints), all the current key again:"; live_fingerprints
echo "apps (health):"; health
step "$ROTOR" history openai-api-key --limit 2

say "The rollback raised an alert: one message per state change, saying what Rotor did and what to run next"
echo "(channel ops is an in-app outbox here; Slack, e-mail and signed webhooks get the same alert)"
"$ROTOR" notifications list --secret openai-api-key --limit 20 --json | python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin)["notifications"] if r["kind"] == "rolled_back"]
if not rows:
    sys.exit("no rolled-back alert in the outbox")
print(rows[0]["subject"])
for line in rows[0]["body"].splitlines():
    print("  │ " + line)'

say "A week before the next rotation the owners are warned, with a SKIP link"
SERVE_PORT=8791
cat > rotor.yml <<YML
server: { listen: "127.0.0.1:$SERVE_PORT", public_url: "http://127.0.0.1:$SERVE_PORT" }
channels:
  ops: { type: outbox }
YML
"$ROTOR" serve --port "$SERVE_PORT" > "$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$SERVE_PORT/healthz" > /dev/null 2>&1 && break; sleep 0.2; done
NEXT=$("$ROTOR" status openai-api-key --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_rotation_at"])')
WARN_AT=$(python3 -c "import datetime,sys; t=datetime.datetime.fromisoformat('$NEXT'.replace('Z','+00:00')); print((t-datetime.timedelta(days=6)).strftime('%Y-%m-%dT%H:%M:%SZ'))")
echo "next rotation: $NEXT"
step "$ROTOR" tick --now "$WARN_AT"
step "$ROTOR" notifications list --secret openai-api-key --limit 1
BODY=$("$ROTOR" notifications list --secret openai-api-key --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["notifications"][0]["body"])')
printf '%s\n' "$BODY" | sed 's/^/  │ /'
LINK=$(printf '%s\n' "$BODY" | grep -o "http://127.0.0.1:$SERVE_PORT/r/[A-Za-z0-9_-]*" | head -n 1)
printf '\033[1m$ curl %s\033[0m   (opening the link only shows a confirmation page)\n' "$LINK"
curl -fsS "$LINK" | grep -o '<h1>[^<]*</h1>' | sed -e 's/<[^>]*>//g' -e "s/&#39;/'/g"
printf '\033[1m$ curl -X POST %s\033[0m   (pressing its button)\n' "$LINK"
curl -fsS -X POST "$LINK" | grep -o '<p>[^<]*</p>' | sed 's/<[^>]*>//g' | head -n 2
printf '\033[1m$ curl -X POST %s\033[0m   (the link works once)\n' "$LINK"
curl -s -o /dev/null -w 'HTTP %{http_code}\n' -X POST "$LINK"
step "$ROTOR" status openai-api-key

say "A GitHub App private key has no API: Rotor asks a person for it, with a one-time supply link"
gh_key() {  # "Generate a private key" in the App's settings (the sandbox's stand-in); GitHub shows the PEM once
    curl -fsS -X POST "http://127.0.0.1:$PORT/_sandbox/github/app/keys" -H 'content-type: application/json' -d '{}' \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["pem"].rstrip("\n"), end="")'
}
gh_key > old.pem
printf '\033[1m$ rotor import github-app-private-key < old.pem\033[0m\n'
"$ROTOR" import github-app-private-key < old.pem
step "$ROTOR" rotate github-app-private-key --reason "demo: a key only a person can make"
BODY=$("$ROTOR" notifications list --secret github-app-private-key --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["notifications"][0]["body"])')
printf '%s\n' "$BODY" | sed 's/^/  │ /'
SUPPLY=$(printf '%s\n' "$BODY" | grep -o "http://127.0.0.1:$SERVE_PORT/s/[A-Za-z0-9_.~-]*" | head -n 1)
printf '\033[1m$ curl %s\033[0m   (the page: instructions, what happens next, deadline; it changes nothing)\n' "$SUPPLY"
PAGE=$(curl -fsS "$SUPPLY")
printf '%s' "$PAGE" | grep -o '<h1>[^<]*</h1>' | sed 's/<[^>]*>//g'
CSRF=$(printf '%s' "$PAGE" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
echo "(the owner generates a new key in GitHub and pastes it into the page's form)"
gh_key > new.pem
printf '\033[1m$ curl -X POST %s -H "Origin: http://127.0.0.1:%s" --data-urlencode value@new.pem …\033[0m\n' "$SUPPLY" "$SERVE_PORT"
curl -sS -X POST "$SUPPLY" -H "Origin: http://127.0.0.1:$SERVE_PORT" --data-urlencode "value@new.pem" --data-urlencode "csrf=$CSRF" \
    | grep -o '<p>[^<]*</p>' | sed -e 's/<[^>]*>//g' -e "s/&#39;/'/g"
printf '\033[1m$ curl -X POST %s …\033[0m   (the link works once)\n' "$SUPPLY"
curl -s -o /dev/null -w 'HTTP %{http_code}\n' -X POST "$SUPPLY" -H "Origin: http://127.0.0.1:$SERVE_PORT" \
    --data-urlencode "value@new.pem" --data-urlencode "csrf=$CSRF"
step "$ROTOR" status github-app-private-key
rm -f old.pem new.pem
kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true

say "Every step is in the audit log (CSV, RFC 4180)"
"$ROTOR" audit export | head -n 6
echo
echo "Done. Try it yourself: rotor sandbox, then the commands above (rotor --help lists them all)."

say "The dashboard: everything above, in a browser"
DASHBOARD_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
export ROTOR_ADMIN_TOKEN="$DASHBOARD_TOKEN"
"$ROTOR" serve --port "$SERVE_PORT" > "$WORK/serve.log" 2>&1 &
SERVE_PID=$!
SERVING=no
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$SERVE_PORT/healthz" > /dev/null 2>&1 && { SERVING=yes; break; }; sleep 0.2; done
if [ "$SERVING" != yes ] || ! curl -fsS -o /dev/null "http://127.0.0.1:$SERVE_PORT/ui/sign-in"; then
    echo "[failed] rotor serve did not answer on 127.0.0.1:$SERVE_PORT; its log:" >&2
    tail -n 20 "$WORK/serve.log" >&2
    kill "$SERVE_PID" 2>/dev/null || true
    exit 1
fi
echo "Dashboard: http://127.0.0.1:$SERVE_PORT/ui"
echo "Sign-in token: $DASHBOARD_TOKEN   (this demo's admin token; people get their own under users: in rotor.yml)"
if [ -t 0 ]; then
    echo "Serving until you press Ctrl-C (the demo's files are removed then)."
    trap 'kill "$SERVE_PID" 2>/dev/null || true' INT
    wait "$SERVE_PID" 2>/dev/null || true
fi
kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true
