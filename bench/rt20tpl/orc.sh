#!/bin/bash
# orc.sh FILE NMSG CHARS [TIMEOUT]
f=$1; t=${4:-30}
out=$(timeout $t nice -n 10 /work/main/.venv/bin/python $(dirname $0)/render.py $f $2 $3 2>&1 | tail -1)
rc=$?
[ -z "$out" ] && out="TIMEOUT(${t}s) $f"
echo "$out"
