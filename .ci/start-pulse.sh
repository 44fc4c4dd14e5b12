#!/usr/bin/env bash
# Start PulseAudio for the tests: as root, without systemd, on a null sink named `cap`
# whose monitor the tests record with `parec`. Idempotent: a server already answering
# in the same runtime dir is reused. Prints the `export XDG_RUNTIME_DIR=...` line for
# `.ci/run` to eval; everything else goes to stderr.
set -euo pipefail

runtime=${BREATHPACE_PULSE_RUNTIME:-/tmp/breathpace-pulse-runtime}
mkdir -p "$runtime"
chmod 700 "$runtime"
export XDG_RUNTIME_DIR="$runtime"
unset PULSE_SERVER

if ! pactl info >/dev/null 2>&1; then
  # --exit-idle-time=-1: never quit between tests; -n: no default.pa (no hardware probing).
  pulseaudio --daemonize=yes --exit-idle-time=-1 -n \
    --load="module-null-sink sink_name=cap" \
    --load=module-native-protocol-unix >&2 2>/dev/null || true
  for _ in $(seq 1 100); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.1
  done
fi

if ! pactl info >/dev/null 2>&1; then
  echo "start-pulse: PulseAudio did not answer in $runtime" >&2
  exit 1
fi
if ! pactl list short sinks 2>/dev/null | grep -q $'\tcap\t'; then
  pactl load-module module-null-sink sink_name=cap >/dev/null
fi
pactl set-default-sink cap
echo "export XDG_RUNTIME_DIR=$runtime"
