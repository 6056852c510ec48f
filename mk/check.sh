#!/bin/sh
# make check: the harness's own unit tests, then every system test suite.
# The harness prints each suite's time and the one closing "N passed, N failed" line.
set -e
start=$(date +%s)
echo "== grade/ self-tests"
MV6_SLOW_TESTS=1 python3 -m unittest discover -s grade -p 'test_*.py' 2>&1 | tail -3
echo "== system tests"
status=0
python3 grade/grade.py "$@" || status=$?
echo "make check: $(( $(date +%s) - start ))s"
exit $status
