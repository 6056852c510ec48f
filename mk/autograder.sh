#!/bin/sh
# autograder.sh LAB OUT.zip: a Gradescope autograder bundle (setup.sh, run_autograder,
# and a pristine tree as source/: lab LAB's handout with no solutions, or the last
# commit, HEAD, when LAB is empty, for every test).
set -e
lab=$1
case $2 in /*) out=$2 ;; *) out=$PWD/$2 ;; esac
tmp=$(mktemp -d)
labdir=
[ -z "$lab" ] || labdir=$(cd labs && ls -d "$lab"-* 2>/dev/null | head -n 1 || true)
# The submission's own build runs in the grading container and could print any file
# there, so a lab's bundle carries a handout (no lab's solution code), not the reference.
if [ -n "$labdir" ] && [ -f mk/handout.py ]; then
  python3 mk/handout.py tree "$lab" "$tmp/source" --solved 00 >/dev/null
else
  mkdir -p "$tmp/source"
  git archive HEAD | tar -x -C "$tmp/source"
fi
printf '%s\n' "${labdir:-$lab}" > "$tmp/source/grade/autograder/LAB"
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
