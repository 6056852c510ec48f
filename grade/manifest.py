"""The labs' manifests (labs/NN-topic/lab.toml) and stages (labs/NN-topic/stage.mk).

A manifest says what a student writes in the lab (files: grading takes exactly these,
and those of the earlier labs, from a submission), the stage it starts from (start;
it ends at the stage its stage.mk defines) and the kernel symbols its final stage must
not define (absent: shell patterns, checked with nm on the kernel the grader built).
"""

import fnmatch
import glob
import os
import re
import tomllib

# Where the trusted test programs and their library live: no student file may be here
# (a keyed program links nothing else, see the Makefile's KEYED).
TRUSTED = ("user/lib/", "user/tests/", "user/usertests.c", "user/user.h", "user/user.ld",
           "labs/", "grade/", "mkfs/", "mk/", "Makefile", "kernel/fmt.c", "kernel/abi.h",
           "kernel/types.h")


class ManifestError(Exception):
    pass


def labs(root):
    """{"01": "01-ipc", ...}: the lab directories of a tree."""
    d = os.path.join(root, "labs")
    if not os.path.isdir(d):
        return {}
    return {n[:2]: n for n in sorted(os.listdir(d))
            if re.fullmatch(r"\d\d-[a-z0-9-]+", n) and os.path.isdir(os.path.join(d, n))}


def stages(root):
    """{n: [subsystems the kernel hosts at stage n]} from labs/*/stage.mk."""
    out = {}
    for fn in glob.glob(os.path.join(root, "labs", "*", "stage.mk")):
        with open(fn, encoding="utf-8") as f:
            for m in re.finditer(r"(?m)^HOSTED_(\d)\s*:=(.*)$", f.read()):
                out[int(m[1])] = m[2].split()
    return out


def load(root, lab):
    """The manifest of lab (e.g. "02") as a dict: name, files, start, stage, absent."""
    names = labs(root)
    if lab not in names:
        raise ManifestError(f"no lab {lab} in {root}/labs")
    path = os.path.join(root, "labs", names[lab], "lab.toml")
    try:
        with open(path, "rb") as f:
            m = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ManifestError(f"{path}: {e}") from e
    with open(os.path.join(root, "labs", names[lab], "stage.mk"), encoding="utf-8") as f:
        st = [int(n) for n in re.findall(r"(?m)^HOSTED_(\d)\s*:=", f.read())]
    if len(st) != 1:
        raise ManifestError(f"labs/{names[lab]}/stage.mk must define one HOSTED_n")
    files, absent = m.get("files", []), m.get("absent", [])
    if not files or not all(isinstance(p, str) for p in files) or not isinstance(m.get("start"), int):
        raise ManifestError(f"{path}: needs files (a list of paths) and start (a stage)")
    for p in files:
        if p.startswith("/") or ".." in p.split("/") or not re.fullmatch(r"[A-Za-z0-9_./-]+", p):
            raise ManifestError(f"{path}: {p!r} is not a plain path inside the tree")
        if p.startswith(TRUSTED) or p in TRUSTED:
            raise ManifestError(f"{path}: {p} is where trusted test code lives")
    return {"name": names[lab], "files": files, "start": m["start"], "stage": st[0], "absent": absent}


def student_files(root, lab):
    """The files a submission of lab contributes: this lab's and every earlier lab's."""
    return [p for k in labs(root) if k <= lab for p in load(root, k)["files"]]


def present(symbols, patterns):
    """The symbols that match one of the patterns."""
    return sorted(s for s in symbols if any(fnmatch.fnmatchcase(s, p) for p in patterns))
