#!/usr/bin/env python3
"""profile.py: where a workload's executed instructions go (make profile).

  profile.py run STAGE_DIR OUT PROG [ARG]   boot with profile=PROG under -icount shift=0,
                                            run PROG under init, write OUT.txt and OUT.svg
                                            (the console log: STAGE_DIR/profile.log)
  profile.py render STAGE_DIR LOG OUT       the same from a saved console log (user code
                                            only: the kernel's exact count needs the run)

Method. User code and servers (kernel/prof.c): while PROG's task lives, every hart's
timer ticks at PROF_HZ and each tick records the user pc and task it interrupted, or
"idle" (in wfi), or "kernel" (the tick fell due while the hart ran the kernel). Under
-icount shift=0 one instruction is one ns of guest time, so a tick is every 100,000
executed instructions: a function's instructions are estimated as its samples times
100,000, exact to about +-sqrt(n) samples; idle ticks are guest time QEMU skipped,
not instructions, and are left out. The kernel: counted exactly, outside the guest,
from QEMU's own log (-d in_asm,exec,nochain, filtered to the kernel's addresses):
every translated block's instructions and every execution of a block, between the
two calls of kernel/prof.c's prof_window (the profile's start and end), symbolised
with the kernel's ELF. A block left early (an exception in its middle) counts whole;
the profiler's own ticks are kernel work too and show as such (timer, prof_ rows)."""
import bisect, html, os, re, subprocess, sys, tempfile, threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuboot  # noqa: E402

PROF_HZ = 10000
INSNS_PER_SAMPLE = 10 ** 9 // PROF_HZ     # -icount shift=0: 1 instruction per ns
HEAD = re.compile(r"prof: samples (\d+) idle (\d+) kernel (\d+) lost (\d+)$")
TASK = re.compile(r"prof: task (\d+) (\S+)$")
COUNT = re.compile(r"prof: (\d+) (0x[0-9a-f]+) (\d+)$")


class Profile:
    def __init__(self):
        self.samples = self.idle = self.kernel = self.lost = 0
        self.tasks, self.counts = {}, []     # {index: name}, [(index, pc, n)]


def parse(lines):
    """The kernel's profile dump in a console log, or None if there is none."""
    p, seen = Profile(), False
    for ln in lines:
        ln = ln.rstrip()
        if m := HEAD.search(ln):
            p.samples, p.idle, p.kernel, p.lost = map(int, m.groups())
            seen = True
        elif m := TASK.search(ln):
            p.tasks[int(m[1])] = m[2]
        elif m := COUNT.search(ln):
            p.counts.append((int(m[1]), int(m[2], 16), int(m[3])))
    return p if seen else None


def symbols(elf, nm="riscv64-unknown-elf-nm"):
    """A program's functions, sorted: ([start], [name]); empty if it can't be read."""
    try:
        out = subprocess.run([nm, "-n", "--defined-only", elf], capture_output=True, text=True).stdout
    except OSError:
        out = ""
    return parse_nm(out)


def parse_nm(out):
    """The text symbols of `nm -n` output: ([start], [name]), sorted. GCC's clones
    (hot.constprop.0, f.isra.0, f.part.0, f.cold) are named by their source function."""
    starts, names = [], []
    for ln in out.splitlines():
        f = ln.split()
        if len(f) == 3 and f[1] in "tTwW":
            starts.append(int(f[0], 16))
            names.append(f[2].split(".")[0] or f[2])
    return starts, names


def lookup(table, pc):
    starts, names = table
    i = bisect.bisect_right(starts, pc) - 1
    return names[i] if i >= 0 else f"{pc:#x}"


# QEMU's log, kernel addresses only: "0x<pc>:  <bytes> <instruction>" for each
# instruction of a block as it is translated (after an "IN:" line), and
# "Trace <cpu>: <host address> [<cs_base>/<pc>/<flags>...]" for each execution.
INSN = re.compile(r"0x([0-9a-f]+):")
EXEC = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")


def count_kernel(log, mark):
    """{instruction pc: times executed} from a QEMU log stream, between the first two
    executions of the block at `mark` (prof_window), or None without both marks. A
    block translated again (QEMU does so, e.g. to end it at an I/O access) counts by
    its newest translation, the one that runs next."""
    blocks, execs, marks, building = {}, {}, 0, None
    for ln in log:
        if building is not None:
            m = INSN.match(ln)
            if m:
                building.append(int(m[1], 16))
                continue
            if building:
                blocks[building[0]] = tuple(building)
                building = None
        if ln.startswith("IN:"):
            building = []
        elif ln.startswith("Trace"):
            m = EXEC.match(ln)
            if not m:
                continue
            pc = int(m[1], 16)
            if pc == mark:
                marks += 1
            elif marks == 1:
                b = blocks.get(pc, (pc,))
                execs[b] = execs.get(b, 0) + 1
    if marks < 2:
        return None
    counts = {}
    for b, n in execs.items():
        for pc in b:
            counts[pc] = counts.get(pc, 0) + n
    return counts


def kernel_functions(counts, table):
    """{function: instructions} of the kernel, from count_kernel's counts."""
    out = {}
    for pc, n in counts.items():
        f = lookup(table, pc)
        out[f] = out.get(f, 0) + n
    return out


def rows(p, table_of, kernel=None):
    """[(instructions, task, function)], largest first, over executed instructions:
    user functions by task (table_of(task): its symbols) from the samples, and the
    kernel's functions from kernel ({function: instructions}, exact) or, without it,
    one "(kernel)" row from the ticks that fell due in the kernel."""
    tables, agg = {}, {}
    for who, pc, n in p.counts:
        task = p.tasks.get(who, f"task{who}")
        if task not in tables:
            tables[task] = table_of(task)
        key = (task, lookup(tables[task], pc))
        agg[key] = agg.get(key, 0) + n * INSNS_PER_SAMPLE
    if kernel:
        for f, n in kernel.items():
            agg[("kernel", f)] = n
    elif p.kernel:
        agg[("kernel", "(kernel)")] = p.kernel * INSNS_PER_SAMPLE
    return sorted(((n, t, f) for (t, f), n in agg.items()), key=lambda r: (-r[0], r[1], r[2]))


def table(p, rs, top=20, kernel_exact=False):
    busy = sum(n for n, _, _ in rs)
    user = sum(n for n, t, _ in rs if t != "kernel")
    kern = busy - user
    how = ("counted exactly (QEMU's log)" if kernel_exact else
           f"estimated from {p.kernel} ticks that fell due in it (no functions)")
    out = [f"{busy} instructions executed: user code {user} (from {p.samples - p.idle - p.kernel} samples, "
           f"one per {INSNS_PER_SAMPLE} instructions), kernel {kern} ({how}); {p.idle} idle samples "
           f"(not counted), {p.lost} lost",
           f"{'share':>6} {'instructions':>12}  {'task':<10} function"]
    for n, t, f in rs[:top]:
        out.append(f"{100 * n / max(busy, 1):5.1f}% {n:12}  {t:<10} {f}")
    return "\n".join(out) + "\n"


COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
          "#9c755f", "#bab0ac"]


def svg(p, rs, title):
    """Stacked bars by task: one bar per task, as long as its share, cut into its
    functions (hover for the name and count)."""
    busy = max(1, sum(n for n, _, _ in rs))
    bytask = {}
    for n, t, f in rs:
        bytask.setdefault(t, []).append((n, f))
    order = sorted(bytask, key=lambda t: -sum(n for n, _ in bytask[t]))
    left, full, row = 110, 760, 40
    width, height = left + full + 30, 60 + row * len(order) + 20
    esc = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<title>{esc(title)}</title>', f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="20" font-size="14" font-weight="bold">{esc(title)}</text>',
           f'<text x="10" y="38">{busy} instructions executed (user code sampled, one sample per '
           f'{INSNS_PER_SAMPLE}; the kernel counted); {p.idle} idle samples not shown</text>']
    for i, t in enumerate(order):
        y, x = 50 + row * i, left
        total = sum(n for n, _ in bytask[t])
        out.append(f'<text x="{left - 6}" y="{y + 20}" text-anchor="end">{esc(t)} '
                   f'{100 * total / busy:.1f}%</text>')
        for j, (n, f) in enumerate(bytask[t]):
            w = full * n / busy
            out.append(f'<rect class="fn" data-task="{esc(t)}" data-insns="{n}" x="{x:.1f}" y="{y}" '
                       f'width="{w:.1f}" height="{row - 8}" fill="{COLORS[j % len(COLORS)]}" stroke="white">'
                       f'<title>{esc(t)}: {esc(f)} {n} instructions ({100 * n / busy:.1f}%)</title></rect>')
            if w > 7 * len(f) + 6:
                out.append(f'<text x="{x + 3:.1f}" y="{y + 20}" fill="white">{esc(f)}</text>')
            x += w
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write(lines, bindir, out, title, kernel=None):
    p = parse(lines)
    if p is None:
        print("profile: no profile in the log")
        return None
    rs = rows(p, lambda task: symbols(os.path.join(bindir, task)), kernel)
    for ext, body in ((".txt", table(p, rs, kernel_exact=bool(kernel))), (".svg", svg(p, rs, title))):
        with open(out + ext, "w") as f:
            f.write(body)
    print(table(p, rs, 15, kernel_exact=bool(kernel)) + f"profile: {out}.txt, {out}.svg")
    return rs


def run(kernel, disk, boot, wall=300, exact=True):
    """The console log of one boot with boot arguments `boot`, until the profile ends,
    and the kernel's functions counted exactly ({function: instructions}; None when
    not asked for or the log had no complete window)."""
    if not exact:
        return qemuboot.console(kernel, boot, disk, icount=True, until=["prof: end"], wall=wall), None
    table = symbols(kernel)
    mark = table[0][table[1].index("prof_window")] if "prof_window" in table[1] else -1
    text_end = max(table[0], default=0) + 0x1000
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "qemu.log")
        os.mkfifo(fifo)
        result = {}

        def reader():     # reads to the end: QEMU must never block on a full pipe
            with open(fifo, errors="replace") as f:
                result["counts"] = count_kernel(f, mark)

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        lines = qemuboot.console(kernel, boot, disk, icount=True, until=["prof: end"], wall=wall,
                                 extra=["-d", "in_asm,exec,nochain", "-D", fifo,
                                        "-dfilter", f"{min(table[0], default=0):#x}..{text_end:#x}"])
        t.join(60)
    counts = result.get("counts")
    return lines, kernel_functions(counts, table) if counts else None


def main(argv):
    if len(argv) >= 5 and argv[1] == "run":
        stage_dir, out, prog = argv[2], argv[3], argv[4]
        arg = argv[5] if len(argv) > 5 else ""
        boot = f"prog={prog} profile={prog} " + (f"arg={arg} " if arg else "") + "watchdog=600"
        lines, kernel = run(os.path.join(stage_dir, "kernel"), os.path.join(stage_dir, "fs.img"), boot)
        log = os.path.join(stage_dir, "profile.log")
        with open(log, "w") as f:
            f.write("\n".join(lines))
        if kernel is None:
            print("profile: the kernel's exact count is missing (no complete window in QEMU's log): "
                  "the kernel is one row, from the ticks that fell due in it")
        ok = write(lines, os.path.join(stage_dir, "bin"), out, f"mv6: profile of {prog} {arg}".strip(), kernel)
        if ok is None:
            print(f"profile: {prog} did not finish (see {log})")
        return 0 if ok is not None else 1
    if len(argv) == 5 and argv[1] == "render":
        with open(argv[3]) as f:
            lines = f.read().split("\n")
        ok = write(lines, os.path.join(argv[2], "bin"), argv[4], os.path.basename(argv[4]))
        return 0 if ok is not None else 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
