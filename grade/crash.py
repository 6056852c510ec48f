#!/usr/bin/env python3
"""crash.py STAGE_DIR LOG RUN [fskill]: one crash-safety run (grade/suites/fs.py runs
it 20 times). Boot the file system on a private copy of fs.img, let crashload write,
kill QEMU at a random moment (the seed is logged), check the image from the host with
the independent checker (build/sN/fsck), boot again and compare the files with what
the workload had reported as done before the kill: every write that returned is there.
With fskill, the file server itself is killed during the workload instead (by the
fskiller task): the workload's calls must fail at once (it finishes, it does not
hang), and the image must be just as consistent and durable."""
import os, random, re, select, shutil, signal, subprocess, sys, time

stage_dir, log_path, run = sys.argv[1], sys.argv[2], int(sys.argv[3])
fskill = sys.argv[4:] == ["fskill"]
seed = int(time.time() * 1000) ^ (run << 20)
rng = random.Random(seed)
img = os.path.join(os.path.dirname(log_path), f"crash-{run}.img")
log = open(log_path, "w")


def say(msg):
    log.write(msg + "\n")
    log.flush()


def qemu(boot):
    return ["qemu-system-riscv64", "-machine", "virt", "-bios", "default", "-m", "128M", "-smp", "1",
            "-nographic", "-monitor", "none", "-serial", "stdio", "-no-reboot",
            "-global", "virtio-mmio.force-legacy=false",
            "-drive", f"file={img},if=none,format=raw,id=x0",
            "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
            "-kernel", os.path.join(stage_dir, "kernel-test"), "-append", boot]


def console(cmd, until, limit, kill_after=None):
    """Run QEMU; collect lines until a line matches until, or kill_after seconds after
    the first 'done' line (a crash), or limit seconds. Returns the lines."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    lines, part, t0, started = [], b"", time.monotonic(), None
    try:
        while time.monotonic() - t0 < limit:
            if started is not None and time.monotonic() - started >= kill_after:
                # kill now, then read what it printed before it died: those are facts too
                os.killpg(p.pid, signal.SIGKILL)
                say(f"# killed {kill_after:.3f}s after the workload began")
                rest = part + p.stdout.read()
                for raw in rest.split(b"\n")[:-1]:
                    line = raw.decode(errors="replace").rstrip("\r")
                    lines.append(line)
                    say(line)
                break
            r, _, _ = select.select([p.stdout], [], [], 0.01)
            if not r:
                if p.poll() is not None:
                    break
                continue
            data = os.read(p.stdout.fileno(), 65536)
            if not data:
                break
            part += data
            *done, part = part.split(b"\n")
            for raw in done:
                line = raw.decode(errors="replace").rstrip("\r")
                lines.append(line)
                say(line)
                if started is None and kill_after is not None and line.startswith("done "):
                    started = time.monotonic()
                if until and re.search(until, line):
                    return lines
    finally:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    return lines


def fail(msg):
    say("FAIL: " + msg)
    print(msg)
    sys.exit(1)


shutil.copyfile(os.path.join(stage_dir, "fs.img"), img)
if fskill:
    lines = console(qemu("run=fskill prog=crashload watchdog=60"), r"^init: crashload exited", 60)
    if not any(l.startswith("fskiller: the file server is killed") for l in lines):
        fail("the file server was not killed")
    if not any(l.startswith("init: crashload exited") for l in lines):
        fail("the workload hung after the file server died")
    if not any(l == "crashload: write failed" for l in lines):
        fail("no write failed after the file server died")
else:
    kill_after = rng.uniform(0.05, 1.5)
    say(f"# seed {seed}, kill {kill_after:.3f}s after the first file is done")
    lines = console(qemu("run=fs prog=crashload watchdog=60"), None, 60, kill_after)
done = {int(m.group(1)): int(m.group(2)) for m in (re.match(r"^done (\d+) (\d+)$", l) for l in lines) if m}
gone = {int(m.group(1)) for m in (re.match(r"^gone (\d+)$", l) for l in lines) if m}
if not done:
    fail(f"seed {seed}: the workload never finished a file")
fsck = subprocess.run([os.path.join(stage_dir, "fsck"), img], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                      text=True)
say(fsck.stdout)
if fsck.returncode != 0:
    fail(f"seed {seed}: fsck after the crash: {fsck.stdout.strip().splitlines()[-1]}")
lines = console(qemu("run=fs prog=crashcheck watchdog=30"), r"^crashcheck: end$", 60)
files = {int(m.group(1)): (int(m.group(2)), m.group(3)) for m in
         (re.match(r"^file (\d+) (\d+) (ok|bad)$", l) for l in lines) if m}
if not any(l == "crashcheck: end" for l in lines):
    fail(f"seed {seed}: the check after reboot did not finish")
# The workload unlinks c(k-10) after reporting "done k": the kill may fall between
# that unlink's return and its "gone" line, so that one file may be there or not.
maybe_gone = max(done) - 10
for k, size in done.items():
    if k in gone or k == maybe_gone:
        continue
    if files.get(k) != (size, "ok"):
        fail(f"seed {seed}: c{k:03d} was done ({size} bytes) before the crash, after it: {files.get(k)}")
for k in gone:
    if k in files:
        fail(f"seed {seed}: c{k:03d} was unlinked before the crash, after it is back")
bad = [k for k, (_, st) in files.items() if st != "ok"]
if bad:
    fail(f"seed {seed}: files with torn contents: {bad}")
os.remove(img)
print(f"seed {seed}: {len(done)} files done, {len(gone)} unlinked, all durable, fsck clean")
