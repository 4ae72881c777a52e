#!/usr/bin/env bash
# `make up`: start Gofer on this machine, deploy the example pipeline, run it, show status and logs,
# then keep Gofer running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
GOFER=.venv/bin/gofer
export GOFER_HOST="http://127.0.0.1:${GOFER_API_PORT:-8080}"

docker info >/dev/null 2>&1 || { echo "Docker is not running: start it (sudo systemctl start docker) and retry" >&2; exit 1; }
bash scripts/build-test-images.sh --examples-only

"$GOFER" up &
gofer_pid=$!
trap 'kill -INT $gofer_pid 2>/dev/null; wait $gofer_pid' INT TERM

for _ in $(seq 1 120); do
  curl -fs "$GOFER_HOST/api/health" >/dev/null 2>&1 && break
  kill -0 $gofer_pid 2>/dev/null || { echo "gofer up exited; see above" >&2; exit 1; }
  sleep 0.5
done

echo; echo "\$ gofer pipeline deploy examples/diamond.yaml"
"$GOFER" pipeline deploy examples/diamond.yaml
echo; echo "\$ gofer run start diamond --var GREETING=hi --wait"
"$GOFER" run start diamond --var GREETING=hi --wait || true
run_id=$("$GOFER" run list diamond | awk 'NR==2 {print $1}')
echo; echo "\$ gofer task logs diamond $run_id build"
"$GOFER" task logs diamond "$run_id" build
echo; echo "Gofer keeps running (Ctrl-C stops it). Try: .venv/bin/gofer run get diamond $run_id"
wait $gofer_pid
