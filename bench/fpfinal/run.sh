#!/bin/sh
# Session 18 helper fpfinal: judge one corpus (OUT/<family>/<artifact>) with two trees and diff.
# usage: sh bench/fpfinal/run.sh START_TREE MAIN_TREE CORPUS NAME   (writes /tmp/NAME_{start,main}.json)
set -e
for t in start main; do
  if [ $t = start ]; then S=$1/src; else S=$2/src; fi
  PYTHONPATH=$S nice -n 10 python bench/fp13_check.py "$3" /tmp/$4_$t.json > /tmp/$4_$t.log 2>&1
done
python bench/fpfinal/diff.py /tmp/$4_start.json /tmp/$4_main.json
