#!/usr/bin/env python3
"""trace.py: IPC sequence diagrams from the kernel's IPC trace (make trace).

  trace.py run STAGE_DIR OUT PROG [ARG]   boot with trace=ipc, run PROG under init,
                                          write OUT.txt and OUT.svg (the console log:
                                          STAGE_DIR/trace.log)
  trace.py render LOG OUT                 the same from a saved console log

The kernel logs each message when tracing is on (kernel/ipc.c, syscall.c, irq.c):
  ipc: call A -> ep N label L len B        ipc: reply A -> B label L
  ipc: notify A -> B bits X                ipc: copy_to A -> B len N   (data A to B)
A subsystem that the stage still hosts in the kernel (kernel/khost.c) answers as
kernel:NAME; what it does inside the kernel (calls to other kernel-hosted subsystems,
sleeping for the disk) is function calls, not messages, and is not drawn.
The diagram shows the events between two notifications a program sends to its own
endpoint (bits 1, then bits 2: see user/tests/traceme.c), or else all of PROG's run,
from init's "starting PROG" to "PROG exited". A call's receiver is the task that
answers it; labels are decoded from the servers' protocol headers."""
import html, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuboot  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Which protocol header names the labels each server answers.
PROTOCOLS = {"fs": ("servers/fs/fsproto.h", "FS_"), "disk": ("servers/disk/disk.h", "DISK_"),
             "console": ("servers/console/cons.h", "CONS_"), "mem": ("servers/mem/mem.h", "MEM_"),
             "proc": ("servers/proc/proc.h", "PROC_")}
DEFINE = re.compile(r"#define\s+([A-Z][A-Z0-9_]*)\s+(0x[0-9a-fA-F]+|-?\d+)\b(.*)")
EVENT = re.compile(r"ipc: (call|send) (\S+) -> ep (\d+) label (\d+) len (\d+)$|"
                   r"ipc: reply (\S+) -> (\S+) label (\d+)$|"
                   r"ipc: notify (\S+) -> (\S+) bits ([0-9a-f]+)$|"
                   r"ipc: (copy_to|copy_from) (\S+) -> (\S+) len (\d+)$")


def defines(path):
    try:
        with open(os.path.join(ROOT, path)) as f:
            text = f.read()
    except OSError:
        return []
    return [(m[1], int(m[2], 0), m[3]) for m in DEFINE.finditer(text)]


def well_known():
    """{endpoint slot: service} for the servers' well-known endpoints (kernel/abi.h)."""
    names = {}
    with open(os.path.join(ROOT, "kernel/abi.h")) as f:
        for m in re.finditer(r"#define\s+EP_([A-Z]+)\s+WK\((\d+)\)", f.read()):
            if not m[1].startswith("TEST") and m[1] != "KTEST":
                names[m[2]] = m[1].lower()
    return names


def protocol_names():
    """{server: {label: name}}, {server: {bit: name}}, {error code: name}."""
    labels, bits = {}, {}
    for srv, (path, prefix) in PROTOCOLS.items():
        for name, v, rest in defines(path):
            if not name.startswith(prefix):
                continue
            table = bits if "notification bit" in rest else labels
            table.setdefault(srv, {}).setdefault(v, name)
    errors = {v: name for name, v, _ in defines("kernel/abi.h") if name.startswith("E_")}
    return labels, bits, errors


class Event:
    def __init__(self, kind, src, dst, text, line):
        self.kind, self.src, self.dst, self.text, self.line = kind, src, dst, text, line

    def __repr__(self):
        return f"{self.src} -> {self.dst} {self.kind} {self.text}"


def parse(lines):
    """The events of a console log, in order, each with its receiver resolved."""
    labels, bitnames, errors = protocol_names()
    raw = []
    for n, ln in enumerate(lines):
        m = EVENT.search(ln.rstrip())
        if m:
            raw.append((n, m.groups()))
    # A call waits for its reply: the first reply to the caller names who took it.
    # Learn each endpoint's receiver from the whole log, so calls whose reply falls
    # outside the window are named too. That guess goes wrong when tasks share a name
    # (a forked child) and one's call is never answered (exit), so the well-known
    # endpoints are named by their service instead: kernel:NAME when the kernel
    # answered it in this log.
    epname, pending, events = {}, {}, []
    answerers = {m[5] for n, m in raw if m[5]} | {m[12] for n, m in raw if m[12]}
    for slot, svc in well_known().items():
        epname[slot] = "kernel:" + svc if "kernel:" + svc in answerers else svc
    for n, g in raw:
        if g[0]:
            kind, src, ep, label, blen = g[0], g[1], g[2], int(g[3]), int(g[4])
            e = Event(kind, src, "ep " + ep, "", n)
            e.ep, e.label, e.blen = ep, label, blen
            if kind == "call":
                pending.setdefault(src, []).append(e)
            events.append(e)
        elif g[5]:
            src, dst, label = g[5], g[6], int(g[7])
            if pending.get(dst):
                call = pending[dst].pop(0)
                epname.setdefault(call.ep, src)
            err = label - 0x10000 if label & 0x8000 else label
            text = "ok" if label == 0 else errors.get(err, f"label {err}")
            events.append(Event("reply", src, dst, text, n))
        elif g[8]:
            src, dst, bits = g[8], g[9], int(g[10], 16)
            names = [bitnames.get(dst, {}).get(1 << i, f"bit {i}") for i in range(64) if bits >> i & 1]
            events.append(Event("notify", src, dst, " ".join(names) or "no bits", n))
        else:
            kind, src, dst, blen = g[11], g[12], g[13], int(g[14])
            events.append(Event("copy", src, dst, f"{kind} {blen} B", n))
    for e in events:
        if e.kind in ("call", "send"):
            e.dst = epname.get(e.ep, e.dst)
            if e.label == 0xfffe:
                name = "page fault"
            else:
                server = e.dst.removeprefix("kernel:")     # a kernel-hosted subsystem
                name = labels.get(server, {}).get(e.label, f"label {e.label}")
            e.text = name + (f" ({e.blen} B buffer)" if e.blen else "")
    return events


def window(lines, events, prog):
    """The events between a program's begin and end marks, or of PROG's run."""
    marks = [e for e in events if e.kind == "notify" and e.src == e.dst]
    begin = next((e.line for e in marks if e.text == "bit 0"), None)
    end = next((e.line for e in marks if e.text == "bit 1" and begin is not None and e.line > begin), None)
    if begin is None or end is None:
        begin = next((n for n, ln in enumerate(lines) if f"starting {prog}" in ln), -1) if prog else -1
        end = next((n for n, ln in enumerate(lines) if f"{prog} exited" in ln), len(lines)) if prog else len(lines)
    return [e for e in events if begin < e.line < end and e not in marks]


def text(events):
    out = []
    for i, e in enumerate(events, 1):
        arrow = {"call": "->", "send": "->", "reply": "<-", "notify": "~>", "copy": "=>"}[e.kind]
        if e.kind == "reply":
            out.append(f"{i:3}  {e.dst:>10} {arrow} {e.src:<10} reply {e.text}")
        else:
            what = e.text if e.kind == "copy" else f"{e.kind} {e.text}"
            out.append(f"{i:3}  {e.src:>10} {arrow} {e.dst:<10} {what}")
    return "\n".join(out) + "\n"


STYLE = {"call": ("#1f4e9c", "", 1.5), "send": ("#1f4e9c", "", 1.5), "reply": ("#2e7d32", "6 4", 1.5),
         "notify": ("#b26a00", "2 3", 1.5), "copy": ("#8e24aa", "", 3)}


def svg(events, title):
    """A sequence diagram: a lifeline per task, an arrow per event, top to bottom."""
    tasks = []
    for e in events:
        for t in (e.src, e.dst):
            if t not in tasks:
                tasks.append(t)
    colw, top, row = 150, 70, 30
    width = max(1, len(tasks)) * colw + 40
    height = top + row * (len(events) + 1) + 20
    x = {t: 20 + colw * i + colw // 2 for i, t in enumerate(tasks)}
    esc = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<title>{esc(title)}</title>',
           '<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
           'markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
           'fill="context-stroke"/></marker></defs>',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="20" font-size="14" font-weight="bold">{esc(title)}</text>']
    for t in tasks:
        out.append(f'<rect class="task" x="{x[t] - 55}" y="32" width="110" height="24" rx="4" '
                   f'fill="#eef" stroke="#333"/>')
        out.append(f'<text x="{x[t]}" y="48" text-anchor="middle">{esc(t)}</text>')
        out.append(f'<line x1="{x[t]}" y1="56" x2="{x[t]}" y2="{height - 10}" stroke="#999"/>')
    for i, e in enumerate(events):
        y = top + row * (i + 1)
        color, dash, w = STYLE[e.kind]
        label = {"reply": "reply ", "notify": "notify "}.get(e.kind, "") + e.text
        x1, x2 = x[e.src], x[e.dst]
        if x1 == x2:
            x2 = x1 + 40
        out.append(f'<line class="arrow {e.kind}" data-src="{esc(e.src)}" data-dst="{esc(e.dst)}" '
                   f'x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{color}" stroke-width="{w}"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + ' marker-end="url(#head)"/>')
        out.append(f'<text x="6" y="{y + 4}" fill="#777">{i + 1}</text>')   # as in the text form
        out.append(f'<text x="{(x1 + x2) // 2}" y="{y - 5}" text-anchor="middle" fill="{color}">'
                   f'{esc(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write(lines, out, prog, title):
    events = window(lines, parse(lines), prog)
    for ext, body in ((".txt", text(events)), (".svg", svg(events, title))):
        with open(out + ext, "w") as f:
            f.write(body)
    print(f"trace: {len(events)} events: {out}.txt, {out}.svg")
    return events


def run(stage_dir, prog, arg):
    """The console log of one boot running prog under init, tracing IPC."""
    boot = f"trace=ipc prog={prog} " + (f"arg={arg} " if arg else "") + "watchdog=60"
    return qemuboot.console(f"{stage_dir}/kernel", boot, f"{stage_dir}/fs.img", until=[f"{prog} exited"],
                            after=0.2, wall=120)      # after: the kernel's lines after the exit


def main(argv):
    if len(argv) >= 4 and argv[1] == "run":
        stage_dir, out, prog = argv[2], argv[3], argv[4]
        arg = argv[5] if len(argv) > 5 else ""
        lines = run(stage_dir, prog, arg)
        log = os.path.join(stage_dir, "trace.log")
        with open(log, "w") as f:
            f.write("\n".join(lines))
        if not any(f"{prog} exited" in ln for ln in lines):
            print(f"trace: {prog} did not finish (see {log})")
            return 1
        write(lines, out, prog, f"mv6 {os.path.basename(os.path.normpath(stage_dir))}: {prog} {arg}".strip())
        return 0
    if len(argv) == 4 and argv[1] == "render":
        with open(argv[2]) as f:
            lines = f.read().split("\n")
        write(lines, argv[3], "", os.path.basename(argv[3]))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
