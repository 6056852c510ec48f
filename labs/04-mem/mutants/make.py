#!/usr/bin/env python3
"""make.py [NAME...]: write lab 04's mutants, labs/04-mem/mutants/NAME.patch (all, or
those named), from the reference: each is a plausible wrong memory server, made by text
edits of servers/mem/main.c and servers/mem/pager.c as they are committed, and written
as a `git diff` after two header lines: the rule of the lab's README it breaks, and
whether that rule is essential. Run it from the tree's root whenever those two files
change (a patch whose context moved no longer applies). mk/mutants.py grades the
patches.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "mk"))
from mutantgen import write_patches  # noqa: E402

MAIN, PAGER = "servers/mem/main.c", "servers/mem/pager.c"
OUT = os.path.dirname(os.path.abspath(__file__))
RULES = {1: "The pager never faults", 2: "Faults are answered as decided", 3: "Who may ask what",
         4: "Copy-on-write pages are never writable", 5: "Every frame comes back, to its new owner only",
         6: "MEM_WRITE", 7: "Out of frames", 8: "The copy-on-write mark", 9: "Arguments and counters",
         10: "Only page faults are mended"}
ESSENTIAL = {1, 2, 3, 4, 5}
MUTANTS = {}


def mut(name, rule, what, *edits):
    """A mutant breaking README rule number `rule` (what: how), by (file, old, new) edits."""
    MUTANTS[name] = (rule, what, edits)


MAP = "  return page_map(task, va, pa, perm);\n}"
WINDOW_LOOP = ("  // The kernel takes page-table pages for the window from its own pool: if that runs\n"
               "  // out, manage only the frames mapped so far.\n  for (uint64 pa")
REFUSE = "  if (e != 0)\n    r->rlabel = 1;\n  return e;"
DEFER = "  int e = answer_fault(r, space_of(r->badge));\n  if (e != E_NOMEM)\n    return;"
BADGES = ("  case MEM_NEWAS: case MEM_REGION: case MEM_WRITE: case MEM_FORK: case MEM_FREE:\n"
          "    e = from_proc(r) ? manage(r) : E_PERM;")
FREE = "    task_kill(r->w[0]);          // E_DEAD if it is dying already: that is fine\n    space_free(s);\n    retry();"
COPY = "      e = ipc_copy_from(r->token, off, page + in, n);   // E_NOTPRESENT, E_PERM, E_RANGE: theirs"

mut("window-pa", 1, "frames are reached through the window, never at their physical address",
    (MAIN, "void *pages_frame(uint64 pa) { return (void *)(PHYSMAP + (pa - mem_start)); }",
     "void *pages_frame(uint64 pa) { return (void *)pa; }"))
mut("window-late", 1, "the window is mapped before the page accounting touches a frame",
    (MAIN, WINDOW_LOOP, "  pages_init(bi.mem_start, bi.mem_end);\n  for (uint64 pa"))
mut("resume-refused", 2, "a refused fault is never resumed",
    (PAGER, REFUSE, "  return e;                      // whatever it was: let it try again"))
mut("fault-args", 2, "the fault's address is w0 and its scause w1",
    (PAGER, "  int e = s && page_fault(r->w[1]) ? space_fault(s, r->w[0], r->w[1]) : E_INVAL;\n  answering",
     "  int e = s && page_fault(r->w[1]) ? space_fault(s, r->w[0], r->w[2]) : E_INVAL;\n  answering"))
mut("resume-any-cause", 10, "other causes are refused even on a mapped page",
    (PAGER, "static int page_fault(uint64 scause) { return scause == 12 || scause == 13 || scause == 15; }",
     "static int page_fault(uint64 scause) { return scause != 0; }   // any fault may be mended"))
mut("newas-anyone", 3, "only the process server makes spaces",
    (PAGER, BADGES, "  case MEM_NEWAS: case MEM_FORK:  // making a space harms nobody\n    e = manage(r);\n    break;\n"
     "  case MEM_REGION: case MEM_WRITE: case MEM_FREE:\n    e = from_proc(r) ? manage(r) : E_PERM;"))
mut("free-anyone", 3, "only the process server frees spaces",
    (PAGER, BADGES, "  case MEM_FREE:                 // a task may end itself\n    e = manage(r);\n    break;\n"
     "  case MEM_NEWAS: case MEM_REGION: case MEM_WRITE: case MEM_FORK:\n    e = from_proc(r) ? manage(r) : E_PERM;"))
mut("dma-to-process", 3, "no DMA frames for a process",
    (PAGER, "  if (space_of(r->badge))\n    return E_PERM;               // a process: its memory is paged, never pinned\n", ""))
mut("cow-writable", 4, "pages are mapped as the page accounting asks: shared ones read-only",
    (MAIN, MAP, "  if (perm & MAP_COW)                // shared pages: readable and writable, like the rest\n"
     "    perm = (perm & ~MAP_COW) | MAP_W;\n  return page_map(task, va, pa, perm);\n}"))
mut("unmap-noop", 5, "pages given back are unmapped before their frames go to anyone else",
    (MAIN, "void pages_unmap(uint64 task, uint64 va) { page_unmap(task, va); }",
     "void pages_unmap(uint64 task, uint64 va) { (void)task, (void)va; }   // the frame is freed anyway"))
mut("free-leaks", 5, "MEM_FREE gives back every frame of the space",
    (PAGER, FREE, "    task_kill(r->w[0]);          // its memory dies with it\n    retry();"))
mut("free-no-kill", 5, "MEM_FREE kills the task before its frames go to anyone else",
    (PAGER, FREE, "    space_free(s);               // the process server ends the task itself\n    retry();"))
mut("write-swallows-errors", 6, "the bulk copy's errors go back to the caller",
    (PAGER, "    if (e >= 0)\n" + COPY + "\n    if (e < 0)\n      return e;",
     "    if (e < 0)\n      return e;\n    ipc_copy_from(r->token, off, page + in, n);"))
mut("write-offset", 6, "the buffer is copied in order, each piece from its offset",
    (PAGER, COPY, "      e = ipc_copy_from(r->token, 0, page + in, n);"))
mut("fork-no-cleanup", 7, "a space that could not be made (out of frames) leaves nothing behind",
    (PAGER, "  task_kill(t);                  // first: none of its pages may be used once freed\n"
     "  if (s)\n    space_free(s);\n  return E_NOMEM;", "  return E_NOMEM;"))
mut("wait-never", 7, "a fault that finds no free frame waits for one",
    (PAGER, DEFER, "  int e = answer_fault(r, space_of(r->badge));\n"
     "  if (e != E_NOMEM || 1)         // out of memory: it dies\n    return;"))
mut("wait-no-defer", 7, "a waiting fault's reply is deferred: nothing answers it now",
    (PAGER, "      defer(r);\n", ""))
mut("wait-forever", 7, "a waiting fault is refused when FAULT_WAIT_NS has passed (an alarm wakes the server)",
    (PAGER, "  if (first)\n    alarm_ns(EP_MEM, 1, first > now ? first - now : 1);\n",
     "  (void)first, (void)now;        // frames coming back wake them\n"))
mut("wait-no-retry", 7, "a waiting fault goes on as soon as frames come back (a heap shrunk)",
    (PAGER, "    if ((int64)r->w[0] < 0)\n      retry();                   // a shrink may have freed frames\n", ""))
mut("wait-stale-space", 7, "a waiting fault whose space was freed meanwhile goes with it: each try finds the space by badge",
    (PAGER, "  struct req r;\n  uint64 until;                  // 0: slot free\n",
     "  struct req r;\n  struct space *s;\n  uint64 until;                  // 0: slot free\n"),
    (PAGER, "  int e = answer_fault(r, space_of(r->badge));\n",
     "  struct space *s = space_of(r->badge);\n  int e = answer_fault(r, s);\n"),
    (PAGER, "      waiting[i] = (struct waiter){*r, time_ns() + FAULT_WAIT_NS};",
     "      waiting[i] = (struct waiter){*r, s, time_ns() + FAULT_WAIT_NS};"),
    (PAGER, "    int e = answer_fault(&w->r, space_of(w->r.badge));",
     "    int e = answer_fault(&w->r, w->s);   // the space it faulted in"))
mut("cow-mark-lost", 8, "shared pages keep the kernel's MAP_COW mark",
    (MAIN, MAP, "  return page_map(task, va, pa, perm & (MAP_R | MAP_W | MAP_X));   // the permissions only\n}"))
mut("dma-unchecked", 9, "MEM_DMA checks its arguments",
    (PAGER, "  if (n == 0 || n > DMA_MAX || va % PAGE || va >= MAXUVA || n * PAGE > MAXUVA - va)\n    return E_INVAL;\n", ""))
mut("dma-unmapped", 9, "MEM_DMA maps the frames into the caller",
    (PAGER, "  for (uint64 i = 0; i < n; i++)\n    if (page_map(r->badge, va + i * PAGE, pa + i * PAGE, MAP_R | MAP_W) < 0)\n      return E_NOMEM;\n",
     ""))
mut("stat-swapped", 9, "MEM_STAT's words are as mem.h says",
    (PAGER, "    r->rw[0] = st.free, r->rw[1] = st.copied, r->rw[2] = st.zeroed, r->rw[3] = st.frames;",
     "    r->rw[0] = st.frames, r->rw[1] = st.copied, r->rw[2] = st.zeroed, r->rw[3] = st.free;"))


def main(names):
    write_patches(OUT, [(name, f"{rule}. {RULES[rule]}: {what}", "yes" if rule in ESSENTIAL else "no", edits)
                        for name, (rule, what, edits) in MUTANTS.items()], names)


if __name__ == "__main__":
    main(sys.argv[1:])
