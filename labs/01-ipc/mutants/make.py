#!/usr/bin/env python3
"""make.py [NAME...]: write lab 01's mutants, labs/01-ipc/mutants/NAME.patch (all, or
those named), from the reference: each is a plausible wrong solution, made by text
edits of kernel/ipc.c and kernel/fastpath.c as they are committed, and written as a
`git diff` after two header lines: the rule of the lab's README it breaks, and
whether that rule is essential. Run it from the tree's root whenever those two
files change (a patch whose context moved no longer applies). mk/mutants.py grades
the patches.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "mk"))
from mutantgen import write_patches  # noqa: E402

IPC, FP = "kernel/ipc.c", "kernel/fastpath.c"
OUT = os.path.dirname(os.path.abspath(__file__))
RULES = {1: "Calls and replies", 2: "Reply rights", 3: "Bulk copy within the offer", 4: "Queues",
         5: "Notifications", 6: "Receiving", 7: "Fault calls", 8: "The fast path changes nothing",
         9: "The fast path is fast", 10: "IPC tracing"}
ESSENTIAL = {1, 2, 3, 4, 8}
MUTANTS = {}


def mut(name, rule, what, *edits):
    """A mutant breaking README rule number `rule` (what: how), by (file, old, new) edits."""
    MUTANTS[name] = (rule, what, edits)


mut("reply-wrong-task", 2, "a live token used by a task other than the one the call was delivered to gets E_NOREPLY (ipc_reply)",
    (IPC, "if (!t || t->state != T_REPLY || t->reply_from != cur->task)\n    return E_NOREPLY;\n  if (ipc_trace)",
     "if (!t || t->state != T_REPLY)\n    return E_NOREPLY;\n  if (ipc_trace)"))
mut("copy-wrong-task", 2, "only the task the call was delivered to may copy its buffer (bulk_copy)",
    (IPC, "if (!t || t->state != T_REPLY || t->reply_from != cur->task || t->fault_call)",
     "if (!t || t->state != T_REPLY || t->fault_call)"))
mut("copy-past-offer", 3, "a copy reaching past the end of the offer fails whole with E_RANGE and writes nothing",
    (IPC, "  return buf_copy(t, off, cur->task->pt, va, len, to_caller);\n}",
     "  if (!(TAG_RIGHTS(t->buftag) & (to_caller ? BUF_W : BUF_R)))\n    return E_PERM;\n"
     "  if (!user_range(va, len) || !user_range(t->buf + off, len))\n    return E_BADADDR;\n"
     "  int r = to_caller ? copy_between(t->task->pt, t->buf + off, cur->task->pt, va, len)\n"
     "                    : copy_between(cur->task->pt, va, t->task->pt, t->buf + off, len);\n"
     "  return r < 0 ? r : (int64)len;\n}"))
mut("copy-partial", 3, "a copy reaching past the end of the offer fails whole: not even the part that fits is copied",
    (IPC, "  return buf_copy(t, off, cur->task->pt, va, len, to_caller);\n}",
     "  uint64 buflen = TAG_LEN(t->buftag);\n"
     "  if (off < buflen && len > buflen - off) {   // copy what fits, then report the overrun\n"
     "    buf_copy(t, off, cur->task->pt, va, buflen - off, to_caller);\n    return E_RANGE;\n  }\n"
     "  return buf_copy(t, off, cur->task->pt, va, len, to_caller);\n}"))
mut("copy-ignores-rights", 3, "only in the directions the offer allows (E_PERM)",
    (IPC, "  return buf_copy(t, off, cur->task->pt, va, len, to_caller);\n}",
     "  uint64 keep = t->buftag;\n  t->buftag |= (uint64)(BUF_R | BUF_W) << 16;   // the server asked, so it may\n"
     "  int64 r = buf_copy(t, off, cur->task->pt, va, len, to_caller);\n  t->buftag = keep;\n  return r;\n}"))
mut("lifo-sendq", 4, "senders and callers wait in the endpoint's send queue first in, first out",
    (IPC, "    cur->next = 0;\n    if (ep->sendq_tail)\n      ep->sendq_tail->next = cur;\n    else\n      ep->sendq = cur;\n    ep->sendq_tail = cur;",
     "    cur->next = ep->sendq;\n    if (!ep->sendq)\n      ep->sendq_tail = cur;\n    ep->sendq = cur;"))
mut("senders-before-bits", 4, "a receive takes pending notification bits first, then the first queued sender",
    (IPC, "  if (ep->bits) {\n    deliver_bits(ep, cur);\n    return 0;\n  }\n  struct thread *s = ep->sendq;\n  if (s) {",
     "  struct thread *s = ep->sendq;\n  if (!s && ep->bits) {\n    deliver_bits(ep, cur);\n    return 0;\n  }\n  if (s) {"))
mut("stale-sendq-tail", 4, "nothing queued is lost (sendq_tail kept exact)",
    (IPC, "    ep->sendq = s->next;\n    if (!ep->sendq)\n      ep->sendq_tail = 0;\n",
     "    ep->sendq = s->next;\n"))
mut("fast-rr-ignores-pending", 8, "reply_recv takes the fast path only when nothing is pending on the endpoint",
    (FP, "ep->owner == cur->task && !ep->bits && !ep->sendq && none_above", "ep->owner == cur->task && none_above"))
mut("fast-call-ignores-prio", 8, "call takes the fast path only when no runnable thread outranks the receiver",
    (FP, "r->stopping || !none_above(r->prio) || (len", "r->stopping || (len"))
mut("fast-rr-ignores-prio", 8, "reply_recv takes the fast path only when no runnable thread outranks the caller",
    (FP, "!ep->sendq && none_above(c->prio) && !ipc_trace", "!ep->sendq && !ipc_trace"))
mut("fast-call-kernel-buffer", 8, "call takes the fast path only when an offered buffer lies in user space",
    (FP, "  uint64 len = TAG_LEN(tag);\n", ""),
    (FP, "!none_above(r->prio) || (len && !user_range(buf, len)) ||\n      ipc_trace)",
     "!none_above(r->prio) ||\n      ipc_trace)"))
mut("fast-ignores-trace", 10, "with tracing on, every call and reply takes the general path and is logged",
    (FP, "(len && !user_range(buf, len)) ||\n      ipc_trace)", "(len && !user_range(buf, len)))"),
           (FP, "none_above(c->prio) && !ipc_trace;", "none_above(c->prio);"))
mut("no-reply-trace", 10, "ipc_reply prints the reply's line: ipc: reply SERVER -> CLIENT label L",
    (IPC, "  if (ipc_trace)\n    kprintf(\"ipc: reply %s -> %s label %d\\n\", cur->task->name, t->task->name, (int)TAG_LABEL(src->a1));\n", ""))
mut("no-fastpath", 9, "a round trip between a waiting server and its client takes the fast path both ways (under 700 instructions)",
    (FP, "  struct endpoint *ep = fast_ep(h);\n  struct thread *r = ep ? ep->recvq : 0;",
     "  struct endpoint *ep = fast_ep(h);\n  struct thread *r = 0;   // always the general path\n  (void)ep;"),
           (FP, "  if (!reply_fast_ok(cur, c, ep) || c->fault_call)", "  if (1 || !reply_fast_ok(cur, c, ep) || c->fault_call)"))
mut("notify-no-wake", 5, "a thread waiting in recv gets the bits at once",
    (IPC, "  struct thread *r = ep->recvq;\n  if (r && ep->bits) {\n    ep->recvq = r->next;\n    deliver_bits(ep, r);\n    make_runnable(r);\n  }\n", ""))
mut("bits-not-cleared", 5, "a receive returns the bits once, then they clear",
    (IPC, "  tf->a3 = tf->a4 = tf->a5 = tf->a6 = 0;\n  ep->bits = 0;\n", "  tf->a3 = tf->a4 = tf->a5 = tf->a6 = 0;\n"))
mut("reply-twice", 2, "each token answers once",
    (IPC, "if (!t || t->state != T_REPLY || t->reply_from != cur->task)\n    return E_NOREPLY;\n  if (ipc_trace)",
     "if (!t || t->reply_from != cur->task)\n    return E_NOREPLY;\n  if (ipc_trace)"))
mut("token-per-thread", 2, "a token kept from an earlier call of the same thread answers nothing (a fresh call_token per call)",
    (IPC, "  to->ipc_ret = from->is_call ? call_token(from) : 0;",
     "  to->ipc_ret = !from->is_call ? 0 : from->call_token ? from->call_token : call_token(from);"),
    (FP, "ipc_resume, call_token(cur),", "ipc_resume, cur->call_token ? cur->call_token : call_token(cur),"))
mut("recv-any-task", 6, "only the endpoint's owner may receive (E_PERM)",
    (IPC, "  if (ep->owner != cur->task)\n    return E_PERM;\n  if (ep->bits) {", "  if (ep->bits) {"))
mut("reply-recv-gives-up", 6, "reply_recv keeps receiving after a reply that failed",
    (IPC, "  if (tf->a6)\n    ipc_reply(tf->a6, tf);   // a failed reply (caller gone) must not stop the server\n  return ipc_recv(tf->a0);",
     "  if (tf->a6) {\n    int64 r = ipc_reply(tf->a6, tf);\n    if (r < 0)\n      return r;\n  }\n  return ipc_recv(tf->a0);"))
mut("send-waits-for-reply", 1, "a send is done once delivered",
    (IPC, "  if (s->is_call) {\n    s->state = T_REPLY;", "  if (1) {\n    s->state = T_REPLY;"))
mut("queued-call-no-reply-from", 1, "a delivered call waits in T_REPLY with reply_from the receiving task, also after waiting in the queue",
    (IPC, "    s->state = T_REPLY;\n    s->reply_from = receiver;", "    s->state = T_REPLY;"))
mut("fault-reply-writes-regs", 7, "a fault call's reply writes no registers (general path)",
    (IPC, "  if (t->fault_call) {\n    t->ipc_ret = TAG_LABEL(src->a1) == 0 ? 0 : E_INVAL;\n  } else {\n    t->tf->a1",
     "  {\n    t->tf->a1"))
mut("fast-fault-moves-msg", 7, "a fault call's reply writes no registers, on the fast path too",
    (FP, "ipc_resume, ctf->a0, ctf->a1, ctf->a2, ctf->a3, ctf->a4, ctf->a5, ctf->a6);",
     "ipc_resume, 0, tag, w0, w1, w2, w3, 0);"))
mut("copy-fault-call", 7, "a fault call's token allows no copy (E_NOREPLY)",
    (IPC, "if (!t || t->state != T_REPLY || t->reply_from != cur->task || t->fault_call)",
     "if (!t || t->state != T_REPLY || t->reply_from != cur->task)"))
mut("wake-on-delivery", 1, "a delivered call is not finished: the caller waits for the reply",
    (IPC, "    cur->state = T_REPLY;\n    cur->reply_from = ep->owner;\n    if (r->prio",
     "    cur->state = T_REPLY;\n    cur->reply_from = ep->owner;\n    cur->ipc_ret = 0;\n    make_runnable(r);\n    return 0;\n    if (r->prio"))
mut("badge-of-receiver", 1, "a message reaches the receiver with the sender's badge",
    (IPC, "  tf->a6 = TASK_BADGE(from->task);", "  tf->a6 = TASK_BADGE(to->task);"))


# Not a plausible design but the worst case for the grader's time: a call that never returns
# (the kernel spins with interrupts off). Grading it shows how long a hung submission takes.
mut("hang-in-call", 1, "a call is delivered or queued and the caller returns (here the kernel spins in ipc_send)",
    (IPC, "  if (is_call)\n    stat_slow++;\n  return ipc_send_msg(cur, ep);",
     "  if (is_call)\n    stat_slow++;\n  for (;;)\n    ;"))

def main(names):
    write_patches(OUT, [(name, f"{rule}. {RULES[rule]}: {what}", "yes" if rule in ESSENTIAL else "no", edits)
                        for name, (rule, what, edits) in MUTANTS.items()], names)


if __name__ == "__main__":
    main(sys.argv[1:])
