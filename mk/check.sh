#!/bin/sh
# make check: the harness's own unit tests, then every system test suite (the labs'
# graders included), then, in the reference tree only, the proofs that each lab's
# handout is what it should be (mk/labcheck.py).
# The harness prints each suite's time and the one closing "N passed, N failed" line.
set -e
start=$(date +%s)
echo "== grade/ self-tests"
MV6_SLOW_TESTS=1 python3 -m unittest discover -s grade -p 'test_*.py' 2>&1 | tail -3
status=0
if [ -f mk/labcheck.py ]; then
  echo "== lab handouts (mk/labcheck.py)"
  python3 mk/labcheck.py || status=$?
fi
echo "== system tests"
python3 grade/grade.py "$@" || status=$?
echo "make check: $(( $(date +%s) - start ))s"
exit $status
