#!/usr/bin/env python3
"""crash.py STAGE_DIR LOG RUN [fskill | restart NAME N]: one crash-safety run (a
script test: grade.py runs it with the run's images and key in MV6_KERNEL, MV6_DISK,
MV6_KEY, and the user to run QEMU and fsck as in MV6_RUN_UID).

Boot the file system on the run's disk, let crashload write, kill QEMU at a random
moment (the seed is logged), then check the image from the host: the independent
checker (fsck) finds it consistent, and every file whose write crashload had reported
done before the kill is there, whole, with its contents (read by the grader itself,
grade/fsimg.py); every file reported unlinked is gone. crashload reports with verdict
lines, so code under test can hold a report back but never invent one.
With fskill, the file server itself is killed during the workload (by the fskiller
task): the workload's calls must fail at once (it finishes, it does not hang), and the
image must be just as consistent and durable.
With restart NAME N, the supervisor is there (boot group rs) and the server NAME
(console, disk, fs, or all in turn) is killed N times during the workload (by the
rskiller task): each time it must be started again; the workload must go on
to the end, past the last kill; a driver's restarts must cost it no write at all (the
file server repeats the call the driver died in); and the image must be just as
consistent and durable."""
import os, random, re, select, signal, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fsimg  # noqa: E402
import keys   # noqa: E402

stage_dir, log_path, run = sys.argv[1], sys.argv[2], int(sys.argv[3])
fskill = sys.argv[4:] == ["fskill"]
restart = sys.argv[5:7] if sys.argv[4:5] == ["restart"] else None
kernel = os.environ.get("MV6_KERNEL") or os.path.join(stage_dir, "kernel-test")
img = os.environ.get("MV6_DISK")
key = bytes.fromhex(os.environ.get("MV6_KEY", ""))
uid = int(os.environ["MV6_RUN_UID"]) if os.environ.get("MV6_RUN_UID") else None
seed = int(time.time() * 1000) ^ (run << 20)
rng = random.Random(seed)
log = open(log_path, "w")


def say(msg):
    log.write(msg + "\n")
    log.flush()


def as_user():
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def qemu(boot):
    return [os.environ.get("MV6_QEMU") or "qemu-system-riscv64", "-machine", "virt",
            "-bios", os.environ.get("MV6_BIOS") or "default", "-m", "128M", "-smp", "1",
            "-nographic", "-monitor", "none", "-serial", "stdio", "-no-reboot",
            "-global", "virtio-mmio.force-legacy=false",
            "-drive", f"file={img},if=none,format=raw,id=x0",
            "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
            "-netdev", "user,id=net0", "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1",
            "-kernel", kernel, "-append", boot]


def console(cmd, until, limit, kill_after=None):
    """Run QEMU; collect lines until a line matches until (a regex, or a function of
    the lines so far), or kill_after seconds after the first verified 'done' line (a
    crash), or limit seconds. Returns the lines."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True, preexec_fn=as_user, env=env)
    lines, part, t0, started = [], b"", time.monotonic(), None
    try:
        while time.monotonic() - t0 < limit:
            if started is not None and time.monotonic() - started >= kill_after:
                # kill now, then read what it printed before it died: those are facts too
                os.killpg(p.pid, signal.SIGKILL)
                say(f"# killed {kill_after:.3f}s after the workload began")
                rest = part + p.stdout.read(1 << 20)
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
            part = (part + data)[-(1 << 20):]
            *done, part = part.split(b"\n")
            for raw in done:
                line = raw.decode(errors="replace").rstrip("\r")
                lines.append(line)
                say(line)
                if started is None and kill_after is not None and verdicts([line]):
                    started = time.monotonic()
                if until and (until(lines) if callable(until) else re.search(until, line)):
                    return lines
    finally:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    return lines


def verdicts(lines):
    return keys.verified(lines, key or None)[0]


def fail(msg):
    say("FAIL: " + msg)
    print(msg)
    sys.exit(1)


def contents(k, size):
    """What crashload writes into c<k>: size bytes in 1 KiB writes."""
    return bytes((k * 31 + c * 7 + i) & 0xff for c in range(size // 1024) for i in range(1024))


if not img:
    fail("no disk image for the run (MV6_DISK)")
if restart:
    name, n = restart
    killed = f"rskiller: {name} killed {n} times, started again each time"

    def ended(lines):
        texts = verdicts(lines[-1:])
        return texts and texts[0] == "crashload: finished" or any("rskiller: FAIL" in x for x in lines[-1:])
    lines = console(qemu(f"run=rs prog=crashload arg=rs kill={name}:{n} watchdog=120"), ended, 120)
    texts = verdicts(lines)
    if killed not in texts:
        fail(f"the kills did not all end in a restart (want the verdict {killed!r})")
    if "crashload: finished" not in texts:
        fail("the workload did not finish: the system stopped working")
    last_done = max(i for i, t in enumerate(texts) if t.startswith("done "))
    if last_done < texts.index(killed):
        fail("no file was done after the last kill")
    failed = texts.count("crashload: write failed")
    if name in ("console", "disk") and failed:
        fail(f"{failed} files failed while the {name} driver was restarted: its restarts should not show")
    say(f"# {failed} files failed while the servers were restarted")
elif fskill:
    lines = console(qemu("run=fskill prog=crashload watchdog=60"), r"^init: crashload exited", 60)
    texts = verdicts(lines)
    if "fskiller: the file server is killed" not in texts:
        fail("the file server was not killed")
    if "crashload: finished" not in texts:
        fail("the workload hung after the file server died")
    if "crashload: write failed" not in texts:
        fail("no write failed after the file server died")
else:
    kill_after = rng.uniform(0.05, 1.5)
    say(f"# seed {seed}, kill {kill_after:.3f}s after the first file is done")
    lines = console(qemu("run=fs prog=crashload arg=pair watchdog=60"), None, 60, kill_after)
    texts = verdicts(lines)
done = {int(m[1]): int(m[2]) for m in (re.fullmatch(r"done (\d+) (\d+)", t) for t in texts) if m}
gone = {int(m[1]) for m in (re.fullmatch(r"gone (\d+)", t) for t in texts) if m}
# an unlink that failed because the file server died in it may have been committed
unsure = {int(m[1]) for m in (re.fullmatch(r"unlink failed (\d+)", t) for t in texts) if m}
if not done:
    fail(f"seed {seed}: the workload never reported a file done")
fsck = subprocess.run([os.path.join(stage_dir, "fsck"), img], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                      text=True, errors="replace", preexec_fn=as_user, timeout=60)
say(fsck.stdout[-20000:])
if fsck.returncode != 0:
    fail(f"seed {seed}: fsck after the crash: {(fsck.stdout.strip().splitlines() or ['?'])[-1]}")
try:
    fs = fsimg.Image(open(img, "rb").read())
    files = {k: fs.file(f"/c{k:03d}") for k in range(max(done) + 1)}
except fsimg.FsError as e:
    fail(f"seed {seed}: reading the image after the crash: {e}")
# The workload unlinks c(k-10) after reporting "done k": the kill may fall between
# that unlink's return and its "gone" line, so that one file may be there or not (one
# for each of the two writers of the plain run: the even and the odd files).
writers = 1 if restart or fskill else 2
maybe_gone = {max(k for k in done if k % writers == p) - 10 for p in {k % writers for k in done}}
for k, size in done.items():
    if k in gone or k in unsure or k in maybe_gone:
        continue
    if files[k] is None:
        fail(f"seed {seed}: c{k:03d} was done ({size} bytes) before the crash, after it is missing")
    if files[k] != contents(k, size):
        fail(f"seed {seed}: c{k:03d} was done ({size} bytes) before the crash, after it holds "
             f"{len(files[k])} bytes {'of other contents' if len(files[k]) == size else ''}")
for k in gone:
    if files[k] is not None:
        fail(f"seed {seed}: c{k:03d} was unlinked before the crash, after it is back")
torn = [k for k, data in files.items() if data is not None and
        (len(data) % 1024 or data != contents(k, len(data)))]
if torn:
    fail(f"seed {seed}: files with torn contents: {torn}")
print(f"seed {seed}: {len(done)} files done, {len(gone)} unlinked, all durable, fsck clean")
