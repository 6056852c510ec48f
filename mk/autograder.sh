#!/bin/sh
# autograder.sh LAB OUT.zip: a Gradescope autograder bundle (setup.sh, run_autograder,
# and the pristine tree of the last commit, HEAD, as source/). LAB may be empty (every
# test).
set -e
lab=$1
case $2 in /*) out=$2 ;; *) out=$PWD/$2 ;; esac
tmp=$(mktemp -d)
mkdir -p "$tmp/source"
git archive HEAD | tar -x -C "$tmp/source"
labdir=
[ -z "$lab" ] || labdir=$(cd labs && ls -d "$lab"-* 2>/dev/null | head -n 1 || true)
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
