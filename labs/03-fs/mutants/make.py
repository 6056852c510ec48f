#!/usr/bin/env python3
"""make.py [NAME...]: write lab 03's mutants, labs/03-fs/mutants/NAME.patch (all, or
those named), from the reference: each is a plausible wrong file server or driver, made
by text edits of the lab's files as they are committed, and written as a `git diff`
after two header lines: the rule of the lab's README it breaks, and whether that rule is
essential. Run it from the tree's root whenever those files change (a patch whose
context moved no longer applies). mk/mutants.py grades the patches.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "mk"))
from mutantgen import write_patches  # noqa: E402

FS, CONS, DISK = "servers/fs/main.c", "servers/console/main.c", "servers/disk/main.c"
FILES = (FS, CONS, DISK)
OUT = os.path.dirname(os.path.abspath(__file__))
RULES = {1: "Every request is answered", 2: "Durable before the reply", 3: "The badge is the client",
         4: "Waiting is a deferred reply", 5: "A dead client leaves nothing behind",
         6: "Copy first, and only what was delivered", 7: "A driver's failure is an error, not a hang",
         8: "The drivers serve the file server"}
ESSENTIAL = {1, 2, 3, 4, 5}
MUTANTS = {}


def mut(name, rule, what, *edits):
    """A mutant breaking README rule number `rule` (what: how), by (file, old, new) edits."""
    MUTANTS[name] = (rule, what, edits)


RETRY = "  if (fs_changed)\n    retry(0);                                  // data for readers, room for writers, ends closed"
EXIT = ("    for (int i = 0; i < NPARK; i++)\n      if (parks[i].used && parks[i].r.badge == r->w[0])\n"
        "        parks[i].used = 0, nparked--;          // its caller is gone: no reply\n"
        "    fdtab_exit(r->w[0]);                       // every fd closed: its pipes' other ends see it\n")
WRITE_LOG = ("      log_begin();\n      k = file_write(f, buf, n);\n"
             "      held_reply = end_write(r, k == (int64)n && *done + n == len && !fs_ioerror);\n")
COPYOUT = "  int64 e = to_client(client, off, src, n);\n  return e < 0 ? e : 0;\n"
CONSUME = "  file_consume(f, k);                          // only what the client got\n"

mut("hang-never-serves", 1, "the file server spins instead of serving (a hung submission)",
    (FS, "  serve(EP_FS, 1, handle, notified);", "  for (;;)                                     // never serves\n    ;\n  serve(EP_FS, 1, handle, notified);"))
mut("write-no-transaction", 2, "file writes run outside a transaction (as if writei logged by itself): never committed",
    (FS, WRITE_LOG, "      k = file_write(f, buf, n);               // writei logs its blocks\n"))
mut("badge-named-table", 3, "a request's w1 names whose table to use (it is the process server's, for FS_OPEN only)",
    (FS, "    f = fd_file(t, r->w[0]);\n    e = rw(r, f, &done);",
     "    f = fd_file(r->w[1] && r->buflen ? fdtab_of(r->w[1], 0) : t, r->w[0]);   // on behalf of\n    e = rw(r, f, &done);"))
mut("exit-anyone", 3, "FS_FORK/EXEC/EXIT are accepted from any task",
    (FS, "    e = r->badge == (uint64)ep_owner(EP_PROC) ? process(r) : E_PERM;", "    e = process(r);"))
mut("pipe-reader-lost", 4, "a reader of an empty pipe is deferred but only a console line retries it",
    (FS, RETRY, "  if (fs_changed && r->label == FS_CLOSE)\n    retry(0);                                  // an end closed"))
mut("close-no-wake", 4, "a pipe's writer closing does not wake its waiting reader",
    (FS, RETRY, "  if (fs_changed && (r->label == FS_READ || r->label == FS_WRITE))\n    retry(0);                                  // data for readers, room for writers"))
mut("console-reader-lost", 4, "the console's line notice does not retry the waiting readers",
    (FS, "  if (bits & (FS_CONS_BIT | FS_RESTART_BIT))\n    retry(1);",
     "  if (bits & FS_RESTART_BIT)\n    retry(1);                                  // the next request retries the rest"))
mut("console-no-listen", 4, "the file server never registers for the console's line notices",
    (FS, "  cons(CONS_LISTEN, EP_FS, FS_CONS_BIT, 0, 0, 0, &m);\n", "  (void)m;\n"))
mut("exit-keeps-fds", 5, "FS_EXIT drops the dead client's waits but never closes its descriptors",
    (FS, EXIT, EXIT.replace("    fdtab_exit(r->w[0]);                       // every fd closed: its pipes' other ends see it\n", "")))
mut("exit-ignored", 5, "FS_EXIT is answered but does nothing",
    (FS, EXIT, "    break;                                     // the process server cleans up\n"))
mut("read-copy-ignored", 6, "a read consumes the data whether or not the client got it",
    (FS, COPYOUT, "  to_client(client, off, src, n);\n  return 0;                                    // delivered, or not\n"))
mut("offset-stuck", 6, "a file read never advances the offset (only pipes are consumed)",
    (FS, CONSUME, "  if (f->type == FD_PIPE)\n    file_consume(f, k);                        // a pipe's bytes are gone once read\n"))
mut("write-copy-ignored", 6, "a write goes ahead when the copy from the client failed",
    (FS, "    int64 k = from_client(r, *done, buf, n);\n    if (k < 0)\n      return *done ? (int64)(r->rw[0] = *done, 0) : k;\n",
     "    int64 k;\n    from_client(r, *done, buf, n);\n"))
mut("disk-retry-forever", 7, "a failed disk read is tried again until it works",
    (FS, "  int64 e = call_restartable(EP_DISK, &m, dst);\n  return e < 0 ? e : (short)TAG_LABEL(m.tag);",
     "  int64 e;\n  while ((e = call_restartable(EP_DISK, &m, dst)) < 0)   // the disk is busy: again\n"
     "    m = (struct msg){.tag = TAG(DISK_READ, BUF_W, BSIZE), .w = {blockno}};\n  return (short)TAG_LABEL(m.tag);"))
mut("disk-anyone", 8, "the disk driver serves any task's transfers",
    (DISK, "e = r->badge == (uint64)ep_owner(EP_FS) ? transfer(r) : E_PERM; break;", "e = transfer(r); break;"))
mut("console-anyone", 8, "the console driver gives lines to any task",
    (CONS, "static int from_fs(struct req *r) { return r->badge == (uint64)ep_owner(EP_FS); }",
     "static int from_fs(struct req *r) { return r->badge != 0; }   // any task may read"))
mut("console-no-ack", 8, "the console's interrupt is never acknowledged (only the first input arrives)",
    (CONS, "    irq_ack(UART_IRQ);                         // only now may the next interrupt come\n", ""))


def main(names):
    write_patches(OUT, [(name, f"{rule}. {RULES[rule]}: {what}", "yes" if rule in ESSENTIAL else "no", edits)
                        for name, (rule, what, edits) in MUTANTS.items()], names)


if __name__ == "__main__":
    main(sys.argv[1:])
