#!/bin/sh
# overlay.sh SUBMISSION PRISTINE DEST [LAB]: make DEST a fresh copy of the SUBMISSION
# tree (without its build/ and .git) in which the grader (grade/), the test programs
# (user/tests/), the file system tools (mkfs/) and, given LAB (NN or NN-topic), the lab's
# directory labs/NN-*/ are PRISTINE's, so that a submission's edits to them change nothing.
# The lab's stage.mk stays the submission's: moving a subsystem out of the kernel ends
# with the student taking it off the stage's list of kernel-hosted subsystems.
# The one copy of this logic: grade/autograder/run_autograder (Gradescope) and
# grade/submission.sh (make grade SUBMISSION=dir) both call it.
set -eu
sub=$1 src=$2 dest=$3 lab=${4:-}
rm -rf "$dest"
mkdir -p "$dest"
tar -C "$sub" --exclude=./build --exclude=./.git -cf - . | tar -C "$dest" -xf -
for d in grade user/tests mkfs; do
  rm -rf "${dest:?}/$d"
  mkdir -p "$(dirname "$dest/$d")"
  cp -a "$src/$d" "$dest/$d"
done
if [ -n "$lab" ]; then
  for d in "$src/labs/${lab%%-*}"-*; do
    [ -d "$d" ] || continue
    name=${d##*/}
    stage=
    [ -f "$dest/labs/$name/stage.mk" ] && stage=$(cat "$dest/labs/$name/stage.mk")
    rm -rf "$dest/labs/$name"
    mkdir -p "$dest/labs"
    cp -a "$d" "$dest/labs/$name"
    [ -z "$stage" ] || printf '%s\n' "$stage" > "$dest/labs/$name/stage.mk"
  done
fi
