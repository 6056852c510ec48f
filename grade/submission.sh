#!/bin/sh
# submission.sh DIR LAB [ARGS]: make grade SUBMISSION=DIR LAB=NN. Grades the submission
# DIR the way every official path does (grade/submit.py: the course tree plus exactly
# the lab's declared files from DIR, built and run in a sandbox); results, JUnit and
# logs go to this tree's build/grade/.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sub=$1 lab=$2
shift 2
if [ -z "$lab" ]; then
  echo "make grade SUBMISSION=...: give LAB=NN too (a submission is graded for one lab)" >&2
  exit 2
fi
mkdir -p "$here/build/grade"
exec python3 "$here/grade/submit.py" --submission "$sub" --lab "$lab" \
  --results "$here/build/grade/results.json" --junit "$here/build/grade/junit.xml" \
  --logs "$here/build/grade/logs" "$@"
