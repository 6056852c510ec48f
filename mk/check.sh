#!/bin/sh
# make check: the harness's own unit tests; in the reference tree only, the proofs
# that each lab's handout is what it should be (mk/labcheck.py) and that each lab's
# tests catch its mutants (mk/mutants.py); then every system test suite, the labs'
# graders included. Fails if any of them fails.
# The harness prints each suite's time and the one closing "N passed, N failed" line.
set -e
mkdir -p build
start=$(date +%s)
echo "== grade/ self-tests"
status=0
MV6_SLOW_TESTS=1 python3 -m unittest discover -s grade -p 'test_*.py' > build/selftests.log 2>&1 || status=$?
tail -3 build/selftests.log             # the whole output: build/selftests.log
if [ -f mk/labcheck.py ]; then
  echo "== lab handouts (mk/labcheck.py)"
  python3 mk/labcheck.py || status=$?
  echo "== mutants (mk/mutants.py)"
  python3 mk/mutants.py || status=$?
fi
echo "== system tests"
python3 grade/grade.py "$@" || status=$?
echo "make check: $(( $(date +%s) - start ))s"
exit $status
