#!/bin/sh
# submission.sh DIR LAB [ARGS]: make grade SUBMISSION=DIR [LAB=NN]. Grades a fresh copy
# of the submission DIR in build/submission/, with this tree's pristine grader, test
# programs and lab files laid over it (overlay.sh, as the Gradescope autograder does):
# runs grade.py ARGS there (give --json/--junit as absolute paths).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sub=$1 lab=$2
shift 2
if [ ! -d "$sub" ]; then
  echo "make grade: SUBMISSION=$sub is not a directory" >&2
  exit 2
fi
echo "grading a copy of $sub in build/submission/ (this tree's grade/, user/tests/, mkfs/${lab:+, labs/$lab-*})"
sh "$here/grade/overlay.sh" "$sub" "$here" "$here/build/submission" "$lab"
cd "$here/build/submission"
exec python3 grade/grade.py "$@"
