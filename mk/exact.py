#!/usr/bin/env python3
"""exact.py STAGE_DIR [PROG START END ROUNDS BOOT]: where a benchmark's instructions go,
exactly, per task and function: the kernel, every server and the program.

Boots STAGE_DIR/kernel-test with boot arguments BOOT under -icount shift=0 (as make
bench does) with QEMU's log of every translated block and every execution of one
(-d in_asm,exec,nochain), read from a FIFO as it comes, and counts each instruction
executed from the second entry of PROG's function START to the next entry of PROG's
function END; prints the total, per task and per function, divided by ROUNDS.
Default: procbench's pipe_roundtrip(2000), up to the printf after it (the 2,000
round trips, the fork, exit and wait of the child included):

    python3 mk/exact.py build/s4

User programs share their virtual addresses, so a block is known by QEMU's
translation of it (its host address in the log), and START's and END's entries by
their first instructions' bytes. Servers are linked at addresses of their own
(user.ld's BASE); addresses at the programs' base count as PROG's (the memory
server's too, which is linked there: none of its work may fall in the window), so run
it where PROG (and children that do not exec) is the only program that runs in the
window. A block left early (an exception in its middle) counts whole."""
import collections, os, subprocess, sys, tempfile, threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import profile, qemuboot  # noqa: E402

SERVERS = ("mem", "proc", "console", "disk", "fs", "super", "netdrv", "net")


def first_bytes(elf, addr):
    """The encodings of the instructions at addr (4 bytes' worth), as objdump prints them."""
    out = subprocess.run(["riscv64-unknown-elf-objdump", "-d", elf, f"--start-address={addr:#x}",
                          f"--stop-address={addr + 4:#x}"], capture_output=True, text=True).stdout
    return tuple(ln.split("\t")[1].strip() for ln in out.splitlines() if ln.strip().startswith(f"{addr:x}:"))


def count(log, start, start_sig, end, end_sig):
    """{block (its instructions' pcs): executions} between the marks."""
    newest, byhost, execs = {}, {}, collections.Counter()
    building, state, starts = None, 0, 0
    for ln in log:
        if building is not None:
            if ln.startswith("0x"):
                c = ln.index(":")
                building.append((int(ln[2:c], 16), ln[c + 1:].split()[0]))
                continue
            if building:
                newest[building[0][0]] = (tuple(p for p, _ in building), tuple(b for _, b in building[:2]))
                building = None
        if ln.startswith("IN:"):
            building = []
        elif ln.startswith("Trace"):
            host, i = ln.split()[2], ln.index("/") + 1
            pc = int(ln[i:ln.index("/", i)], 16)
            b = byhost.get(host)
            if b is None or b[0][0] != pc:     # a new translation at that host address
                b = byhost[host] = newest.get(pc, ((pc,), ()))
            if state == 0 and pc == start and b[1][:len(start_sig)] == start_sig:
                starts += 1
                state = 1 if starts == 2 else 0
            elif state == 1:
                if pc == end and b[1][:len(end_sig)] == end_sig:
                    state = 2
                else:
                    execs[b[0]] += 1
    return execs if state == 2 else None


def main(argv):
    d = argv[1]
    prog, start_fn, end_fn, rounds, boot = (argv[2:7] if len(argv) >= 7 else
                                            ("procbench", "pipe_roundtrip", "printf", "2000",
                                             "run=fs prog=procbench arg=fs watchdog=600"))
    rounds = int(rounds)
    kernel, elf = os.path.join(d, "kernel-test"), os.path.join(d, "bin", prog)
    ptab = profile.symbols(elf)
    start, end = ptab[0][ptab[1].index(start_fn)], ptab[0][ptab[1].index(end_fn)]
    tables = [("kernel", profile.symbols(kernel)), (prog, ptab)]
    tables += [(s, t) for s in SERVERS for t in [profile.symbols(os.path.join(d, "bin", s))]
               if t[0] and min(t[0]) != min(ptab[0])]     # (mem shares the programs' base)
    ranges = [(min(t[0]), max(t[0]) + 0x10000, name, t) for name, t in tables if t[0]]

    def who(pc):
        for lo, hi, name, t in ranges:
            if lo <= pc < hi:
                return name, profile.lookup(t, pc)
        return "?", f"{pc:#x}"

    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "qemu.log")
        os.mkfifo(fifo)
        got = {}

        def reader():     # reads to the end: QEMU must never block on a full pipe
            with open(fifo, errors="replace") as f:
                got["execs"] = count(f, start, first_bytes(elf, start), end, first_bytes(elf, end))

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        lines = qemuboot.console(kernel, boot, os.path.join(d, "fs.img"), icount=True,
                                 until=[f"{prog}: ok", f"{prog}: FAIL"], after=0.5, wall=600,
                                 extra=["-d", "in_asm,exec,nochain", "-D", fifo])
        t.join(600)
    print("\n".join(ln for ln in lines if "bench:" in ln))
    if not got.get("execs"):
        print(f"exact: no complete window ({start_fn} entered twice, then {end_fn}) in QEMU's log")
        return 1
    funcs, tasks = collections.Counter(), collections.Counter()
    for block, n in got["execs"].items():
        for pc in block:
            task, fn = who(pc)
            funcs[(task, fn)] += n
            tasks[task] += n
    print(f"{sum(tasks.values()) / rounds:.1f} instructions per round, over {rounds}: "
          + ", ".join(f"{t} {n / rounds:.1f}" for t, n in tasks.most_common()))
    for (task, fn), n in funcs.most_common():
        if n / rounds >= 1:
            print(f"{n / rounds:8.1f}  {task:<10} {fn}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
