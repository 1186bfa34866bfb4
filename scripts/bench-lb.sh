#!/usr/bin/env bash
# The load balancer against nginx, in the same namespaces, to the same targets:
# deploys the example, brings it up, then runs wrk inside a load balancer
# node's namespace twice: against tasknet's proxy on port 80, and against
# nginx (a tuned reverse proxy: HTTP/1.1 and keep-alive upstream, 2 workers)
# on port 8081 of the same namespace, both forwarding to the two tasks'
# stand-ins on 8000. Prints requests/s and p99 for each. Root; bounded
# (2 × DURATION seconds of load); removes everything at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/root.sh
tn_rerun_as_root "$0" "$@"
tn_is_root || { echo "bench-lb.sh: needs root (network namespaces); run it as root" >&2; exit 1; }
DURATION=${DURATION:-10}
# Rounds of the pair, alternating which goes first (the first of a pair runs on a colder machine).
ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-64}
scripts/install-deps.sh --bench
# TASKNET_BIN: another build to measure (e.g. the old code path, for a same-run comparison).
if [ -n "${TASKNET_BIN:-}" ]; then
  tn=$TASKNET_BIN
else
  cargo build --release --locked -q -p tasknet
  tn=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/tasknet
fi
state=$(mktemp -d)
export TASKNET_STATE_DIR="$state"
cleanup() { "$tn" down >/dev/null 2>&1 || true; [ -f "$state/nginx.pid" ] && kill "$(cat "$state/nginx.pid")" 2>/dev/null; rm -rf "$state"; }
trap cleanup EXIT
ex=examples/todobackend
"$tn" deploy --template-file $ex/stack.yml --stack-name todobackend --parameter-overrides $(tr '\n' ' ' < $ex/dev.cfg) --capabilities CAPABILITY_IAM --custom-outputs $ex/custom-outputs.json --quiet >/dev/null
"$tn" up --detach --publish 18580 >/dev/null
targets=$("$tn" describe target-health --output json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(t["Target"]["Id"]+":"+str(t["Target"]["Port"]) for g in (d if isinstance(d,list) else [d]) for t in g.get("TargetHealthDescriptions",[])))')
servers=""; for t in $targets; do servers="$servers server $t;"; done
cat > "$state/nginx.conf" <<NGINX
worker_processes 2;
pid $state/nginx.pid;
error_log $state/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream tasks { $servers keepalive 64; }
  server {
    listen 8081;
    location / { proxy_pass http://tasks; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
"$tn" exec ApplicationLoadBalancer -- nginx -c "$state/nginx.conf"
sleep 1
run() { "$tn" exec ApplicationLoadBalancer -- wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$1" | awk -v who="$2" '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} END {printf "%-22s %10s req/s   p99 %s\n", who, rps, p99}'; }
echo "load balancer vs nginx: wrk -t2 -c$CONNS -d${DURATION}s inside the load balancer node's namespace, 2 targets (stand-ins), $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then
    run http://127.0.0.1:80/ "tasknet load balancer"
    run http://127.0.0.1:8081/ "nginx reverse proxy"
  else
    run http://127.0.0.1:8081/ "nginx reverse proxy"
    run http://127.0.0.1:80/ "tasknet load balancer"
  fi
done | tee "$state/runs.txt"
# Medians over the rounds (p99 in ms; wrk prints us, ms or s).
awk '{v=$7; n=v+0; if (v ~ /us$/) n/=1000; else if (v !~ /ms$/) n*=1000; rps[$1]=rps[$1]" "$4; p99[$1]=p99[$1]" "n}
     function median(list,   a, k, i, j, t) { k=split(list, a, " "); for (i=1;i<=k;i++) for (j=i+1;j<=k;j++) if (a[j]+0<a[i]+0) {t=a[i];a[i]=a[j];a[j]=t}
       return (k%2) ? a[(k+1)/2] : (a[k/2]+a[k/2+1])/2 }
     END { for (w in rps) printf "median %-8s %10.0f req/s   p99 %.2f ms\n", w, median(rps[w]), median(p99[w]) }' "$state/runs.txt" | sort
