#!/bin/sh
# autograder.sh LAB OUT.zip: a Gradescope autograder bundle for lab LAB: setup.sh,
# run_autograder, and the pristine course tree as source/, against which
# run_autograder grades each submission (grade/submit.py).
set -e
lab=$1
case $2 in /*) out=$2 ;; *) out=$PWD/$2 ;; esac
labdir=$(cd labs && ls -d "$lab"-* 2>/dev/null | head -n 1 || true)
if [ -z "$lab" ] || [ -z "$labdir" ]; then
  echo "make autograder: give LAB=NN, one of: $(cd labs && ls -d [0-9][0-9]-* | tr '\n' ' ')" >&2
  exit 2
fi
tmp=$(mktemp -d)
# A submission's own build runs in the grading container and could print any file
# there, so in the reference tree the bundle carries a handout with every lab's code
# stubbed (lab LAB's, or the last lab's), never the solutions; elsewhere (a handout,
# the course repository) the last commit, which holds none.
if [ -f mk/handout.py ]; then
  python3 mk/handout.py tree "${labdir%%-*}" "$tmp/source" --solved 00 >/dev/null
  rm -rf "$tmp/source/.git"
else
  mkdir -p "$tmp/source"
  git archive HEAD | tar -x -C "$tmp/source"
fi
printf '%s\n' "$labdir" > "$tmp/source/grade/autograder/LAB"
cp grade/autograder/setup.sh grade/autograder/run_autograder "$tmp/"
rm -f "$out"
(cd "$tmp" && python3 -c "
import os, zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for base, dirs, files in os.walk('.'):
        for f in files:
            p = os.path.join(base, f)
            z.write(p, os.path.relpath(p, '.'))
" "$out")
rm -rf "$tmp"
echo "autograder bundle: $out"
