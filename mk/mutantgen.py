"""mutantgen.py: what every lab's labs/NN-*/mutants/make.py shares: write each mutant as
a `git diff` of text edits against the committed reference, after its two header lines
(mk/mutants.py reads them). Reference only, like the mutants."""
import os
import subprocess
import sys


def write_patches(out, mutants, names):
    """mutants: (name, rule, essential, edits) with essential "yes" or "no" and edits
    (file, old, new), old occurring exactly once. Writes out/NAME.patch for each mutant
    (those in names, or all), and leaves the files as they were."""
    files = sorted({path for _, _, _, edits in mutants for path, _, _ in edits})
    if subprocess.run(["git", "diff", "--quiet", "HEAD", "--", *files]).returncode:
        sys.exit(f"make.py: commit {', '.join(files)} first: the patches are diffs against them")
    saved = {path: open(path).read() for path in files}
    try:
        for name, rule, essential, edits in mutants:
            if names and name not in names:
                continue
            for path, old, new in edits:
                text = open(path).read()
                if text.count(old) != 1:
                    sys.exit(f"make.py: {name}: {path}: the text to replace occurs {text.count(old)} times")
                with open(path, "w") as f:
                    f.write(text.replace(old, new))
            diff = subprocess.run(["git", "diff", "--", *files], capture_output=True, text=True).stdout
            for path, text in saved.items():
                with open(path, "w") as f:
                    f.write(text)
            with open(os.path.join(out, name + ".patch"), "w") as f:
                f.write(f"# rule: {rule}\n# essential: {essential}\n{diff}")
            print(f"make.py: wrote {name}.patch")
    finally:
        for path, text in saved.items():
            with open(path, "w") as f:
                f.write(text)
