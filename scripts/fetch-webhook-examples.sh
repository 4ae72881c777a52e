#!/usr/bin/env bash
# Real GitHub webhook payloads for the GitHub trigger's tests, from the npm package
# @octokit/webhooks-examples (pinned), kept in a cache dir across test runs.
set -euo pipefail
VERSION=7.6.1
dir=${GOFER_TEST_CACHE:-$HOME/.cache/gofer-test}/webhooks-examples-$VERSION
[ -f "$dir/index.json" ] && exit 0
command -v npm >/dev/null || { echo "npm is needed to fetch @octokit/webhooks-examples (apt-get install npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@octokit/webhooks-examples@$VERSION" >/dev/null && tar xzf ./*.tgz)
mkdir -p "$dir"
cp "$work/package/api.github.com/index.json" "$dir/index.json"
echo "fetched @octokit/webhooks-examples@$VERSION into $dir"
