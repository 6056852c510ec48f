#!/usr/bin/env python3
"""Cut student handouts out of the reference tree (see labs/README.md).

  handout.py tree LAB DEST [--solved K]   a handout for lab LAB in DEST
  handout.py course DEST                  the course as successive commits of one repo
  handout.py leaks LAB DIR                check DIR for solution code of lab LAB or later

Solution code is marked in the reference; the markers are comments, so the
reference stays valid C (or make, or shell):

    // @lab 02 solution: what this is
    ...the reference code...
    // @lab 02 stub
    //: the stub a student starts from (these lines, without the "//: ")
    // @lab 02 end

(`#` instead of `//` in files whose comments start with `#`; in Markdown only
`<!-- @ref begin -->` .. `<!-- @ref end -->`.) A region of a lab
up to --solved keeps its solution; any other keeps its stub. `@ref begin` ..
`@ref end` regions are instructor-only and vanish from every handout, as do the
files listed in labs/reference-only. A handout carries labs/NN-* of the labs up
to its own only.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = re.compile(r"^\s*(//|#|<!--) @(lab (\d\d) (solution|stub|end)|ref (begin|end))\b")
STUB = re.compile(r"^(\s*)(//|#): ?")


class MarkerError(Exception):
    pass


def labs(root=ROOT):
    """{"01": "01-ipc", ...} from the directories in labs/."""
    d = os.path.join(root, "labs")
    return {n[:2]: n for n in sorted(os.listdir(d))
            if re.fullmatch(r"\d\d-[a-z0-9-]+", n) and os.path.isdir(os.path.join(d, n))}


def reference_only(root=ROOT):
    with open(os.path.join(root, "labs", "reference-only")) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def under(path, entries):
    """path is one of entries, or inside a directory among them."""
    return any(path == e.rstrip("/") or path.startswith(e.rstrip("/") + "/") for e in entries)


def tracked_files(root=ROOT):
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    return [p for p in out.split("\0") if p and os.path.isfile(os.path.join(root, p))]


def regions(lines, path="?"):
    """Yield (lab, kind, start, stub_at, end) for each marked region; lab is None
    for @ref regions, stub_at is None when there is no stub part."""
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if not m:
            i += 1
            continue
        if m.group(5) == "begin":
            j = next((k for k in range(i + 1, len(lines))
                      if (mm := MARK.match(lines[k])) and mm.group(5) == "end"), None)
            if j is None:
                raise MarkerError(f"{path}:{i + 1}: @ref begin without @ref end")
            yield None, "ref", i, None, j
            i = j + 1
            continue
        if m.group(4) != "solution":
            raise MarkerError(f"{path}:{i + 1}: '{m.group(2)}' outside a solution region")
        lab, stub_at = m.group(3), None
        for k in range(i + 1, len(lines)):
            mm = MARK.match(lines[k])
            if not mm:
                continue
            if mm.group(3) != lab or mm.group(4) == "solution" or mm.group(5):
                raise MarkerError(f"{path}:{k + 1}: unexpected marker inside lab {lab}'s region")
            if mm.group(4) == "stub":
                stub_at = k
                continue
            for s in range(stub_at + 1 if stub_at is not None else k, k):
                if not STUB.match(lines[s]):
                    raise MarkerError(f"{path}:{s + 1}: stub line without '//: ' or '#: '")
            yield lab, "lab", i, stub_at, k
            i = k + 1
            break
        else:
            raise MarkerError(f"{path}:{i + 1}: lab {lab} solution without '@lab {lab} end'")


def cut(text, solved, path="?"):
    """The handout version of a file's text: labs <= solved solved, others stubbed."""
    lines = text.splitlines(keepends=True)
    out, pos = [], 0
    for lab, kind, start, stub_at, end in regions(lines, path):
        out += lines[pos:start]
        if kind == "lab" and lab <= solved:
            out += lines[start + 1:stub_at if stub_at is not None else end]
        elif kind == "lab" and stub_at is not None:
            out += [STUB.sub(r"\1", l, count=1) for l in lines[stub_at + 1:end]]
        pos = end + 1
    return "".join(out + lines[pos:])


def write_tree(lab, dest, solved=None, root=ROOT):
    """A complete student repository for `lab` in dest (which must not exist)."""
    known = labs(root)
    if lab not in known:
        raise SystemExit(f"handout: no lab {lab!r} (labs: {', '.join(known)})")
    solved = solved if solved is not None else f"{int(lab) - 1:02d}"
    if os.path.exists(dest):
        raise SystemExit(f"handout: {dest} exists; give a new directory")
    skip = reference_only(root)
    later = [f"labs/{d}/" for n, d in known.items() if n > lab]
    for path in tracked_files(root):
        if under(path, skip + later):
            continue
        src, dst = os.path.join(root, path), os.path.join(dest, path)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            with open(src, encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError:
            shutil.copy2(src, dst)
            continue
        with open(dst, "w", encoding="utf-8") as f:
            f.write(cut(text, solved, path))
        shutil.copymode(src, dst)


def git(dest, *args):
    subprocess.run(["git", *args], cwd=dest, check=True, stdout=subprocess.DEVNULL)


def commit_all(dest, message):
    git(dest, "add", "-A")
    git(dest, "-c", "user.name=mv6", "-c", "user.email=mv6@localhost", "commit", "-q", "-m", message)


def write_course(dest, root=ROOT):
    """One repository, one commit per lab: commit N adds labs/NN-* and nothing else
    changes, so a student merges the next lab into their work without conflicts."""
    known = labs(root)
    tmp = dest + ".tmp"
    os.makedirs(dest)
    git(dest, "init", "-q", "-b", "main")
    for lab, name in known.items():
        shutil.rmtree(tmp, ignore_errors=True)
        write_tree(lab, tmp, solved="00", root=root)
        for entry in os.listdir(dest):          # replace the worktree, keep .git
            if entry != ".git":
                p = os.path.join(dest, entry)
                shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
        for entry in os.listdir(tmp):
            shutil.move(os.path.join(tmp, entry), dest)
        commit_all(dest, f"Lab {lab}: {name[3:]}")
    shutil.rmtree(tmp, ignore_errors=True)


def leaks(lab, tree, root=ROOT):
    """Problems in handout `tree` of `lab`: markers left, reference-only files, and
    solution lines of lab `lab` or later (distinctive ones: long, and found nowhere
    else in the reference)."""
    problems, secret, elsewhere = [], set(), set()
    skip = reference_only(root)
    for path in tracked_files(root):
        if under(path, skip):
            continue
        try:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                lines = f.read().splitlines()
        except UnicodeDecodeError:
            continue
        hidden, stubs = set(), set()
        for l, kind, start, stub_at, end in regions(lines, path):
            if stub_at is not None:
                stubs.update(range(stub_at + 1, end))
            if kind == "ref" or l >= lab:
                stop = stub_at if stub_at is not None else end
                hidden.update(range(start + 1, stop))
                secret.update(lines[i].strip() for i in range(start + 1, stop))
        # stub lines are what a handout shows instead: never a leak
        elsewhere.update((STUB.sub("", l, count=1) if i in stubs else l).strip()
                         for i, l in enumerate(lines) if i not in hidden)
    secret = {s for s in secret - elsewhere if len(s) >= 24}
    for base, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d not in (".git", "build")]
        for fn in files:
            p = os.path.join(base, fn)
            rel = os.path.relpath(p, tree)
            if under(rel, skip):
                problems.append(f"{rel}: reference-only file")
            try:
                with open(p, encoding="utf-8") as f:
                    text = f.read()
            except UnicodeDecodeError:
                continue
            for n, line in enumerate(text.splitlines(), 1):
                if MARK.match(line) or STUB.match(line):
                    problems.append(f"{rel}:{n}: marker left: {line.strip()}")
                elif line.strip() in secret:
                    problems.append(f"{rel}:{n}: solution code: {line.strip()}")
    return problems


def main(argv):
    p = argparse.ArgumentParser(prog="handout.py", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tree")
    t.add_argument("lab")
    t.add_argument("dest")
    t.add_argument("--solved", help="labs up to this one keep their solutions (default LAB-1)")
    c = sub.add_parser("course")
    c.add_argument("dest")
    k = sub.add_parser("leaks")
    k.add_argument("lab")
    k.add_argument("dir")
    a = p.parse_args(argv)
    try:
        if a.cmd == "tree":
            lab = a.lab.zfill(2)
            write_tree(lab, a.dest, a.solved and a.solved.zfill(2))
            git(a.dest, "init", "-q", "-b", "main")      # a student repository, ready to commit to
            commit_all(a.dest, f"Lab {lab}: {labs()[lab][3:]} (handout)")
            print(f"handout: lab {lab} in {a.dest} (a git repository)")
        elif a.cmd == "course":
            write_course(a.dest)
            print(f"handout: the course as {len(labs())} commits in {a.dest}")
        else:
            problems = leaks(a.lab.zfill(2), a.dir)
            for pr in problems:
                print(f"leak: {pr}")
            print(f"leaks: lab {a.lab} handout {a.dir}: {len(problems)} problems")
            return 1 if problems else 0
    except MarkerError as e:
        print(f"handout: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
