// The IPC fast path: call and reply_recv when the partner already waits. The message
// moves register to register and the hart returns straight into the partner's user
// mode: no run queue, no scheduler, no kernel-stack switch. Anything unusual goes on
// to the general path in ipc.c.
//
// This works because a thread blocked in IPC keeps no state on its kernel stack:
// all that is left to do when it wakes is to return ipc_ret to user mode. So the
// partner's kernel frames (if it blocked in the general path) are simply dropped,
// and the thread that blocks here only notes where to resume (ipc_resume()) if the
// general path wakes it: the scheduler makes it a context then (sched.c, run_ctx).
#include "kernel.h"

// trapvec.S: into tf's user mode with a0..a6 as given and every other register from
// tf, in tf's address space (tf->satp, loaded after the lock is released).
void fast_exit(uint64 a0, uint64 a1, uint64 a2, uint64 a3, uint64 a4, uint64 a5, uint64 a6,
               struct trapframe *tf) __attribute__((noreturn));

// Where a thread that blocked on the fast path resumes when the general path wakes it.
void ipc_resume(void) {
  struct thread *cur = curthread();
  cur->tf->a0 = cur->ipc_ret;
  usertrapret();
}

// The general path for a call or reply_recv that the fast path passes on (the lock
// is held, epc advanced). trapvec.S left a0..a6 in registers only (a thread that the
// fast path blocks never needs them again), so they go into the trap frame first.
void general_path(uint64 a0, uint64 a1, uint64 a2, uint64 a3, uint64 a4, uint64 a5, uint64 a6) {
  struct trapframe *tf = curthread()->tf;
  tf->a0 = a0;
  tf->a1 = a1;
  tf->a2 = a2;
  tf->a3 = a3;
  tf->a4 = a4;
  tf->a5 = a5;
  tf->a6 = a6;
  usertrap_ecall(tf);
}

// cur blocks (its state already set); next, which waits in IPC, runs now, with a0..a6
// as given (its message: a0 = what the IPC returns, tag, four words, a6). If the
// general path wakes cur instead, it resumes in `resume` (ipc_resume; fault_resume
// for a fault call). next's address space is loaded by fast_exit, after the lock is
// released.
//
// The jump into next's user mode skips what the general path does on its way out
// (usertrapret, and the code after the wait), so the fast path must never need it:
//  - the scheduler's check: usertrapret yields to a runnable thread of higher
//    priority. The fast path takes only a partner that none outranks (none_above).
//  - stop_check: a thread asked to stop (stopping) exits there. thread_stop takes a
//    waiting thread out of its wait at once, but a stop that reaches a thread on
//    another hart just as it enters the kernel leaves it waiting with stopping set.
//    The fast path leaves such a partner to the general path, which exits it.
//  - the end of user_fault, for a fault call: fault_call cleared, and the task killed
//    if the pager refused. So a fault call takes the fast path only for a resume
//    (reply label 0, or FAULT_MAP once its page is mapped), and the fast path clears
//    fault_call itself.
INLINE __attribute__((noreturn)) void hand_off(struct cpu *c, struct thread *cur, struct thread *next,
                                               void (*resume)(void), uint64 a0, uint64 tag, uint64 w0,
                                               uint64 w1, uint64 w2, uint64 w3, uint64 a6) {
  cur->resume = resume;
  c->cur = next;
  next->state = T_RUNNING;
  c->nfast++;
  // a jump, not a call: nothing of this frame is needed again
  register uint64 r0 asm("a0") = a0, r1 asm("a1") = tag, r2 asm("a2") = w0, r3 asm("a3") = w1;
  register uint64 r4 asm("a4") = w2, r5 asm("a5") = w3, r6 asm("a6") = a6;
  register struct trapframe *r7 asm("a7") = next->tf;
  asm volatile("j fast_exit" :: "r"(r0), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7));
  __builtin_unreachable();
}

// next resumes with every register as its trap frame holds it (a fault call's resume, a
// message the general path's ipc_deliver wrote there).
INLINE __attribute__((noreturn)) void hand_off_tf(struct thread *cur, struct thread *next, void (*resume)(void),
                                                  uint64 a0) {
  struct trapframe *tf = next->tf;
  hand_off(mycpu(), cur, next, resume, a0, tf->a1, tf->a2, tf->a3, tf->a4, tf->a5, tf->a6);
}

// This hart's struct cpu, read once: the fast path never switches stacks (swtch), so
// tp stays the same throughout (mycpu reads it anew each time).
INLINE struct cpu *fast_cpu(void) {
  struct cpu *c;
  asm("mv %0, tp" : "=r"(c));
  return c;
}

// No runnable thread has a higher priority than p (so handing the hart to a thread
// of priority p is what the scheduler would do too).
INLINE int none_above(int p) { return (rq_mask >> (p + 1)) == 0; }

// The live endpoint h names, or 0. (h = 0 finds slot 0, which is never live: no
// receivers, no owner, so every fast path misses.)
INLINE struct endpoint *fast_ep(uint64 h) {
  struct endpoint *ep = &endpoints[h % NEP];
  return ep->handle == h ? ep : 0;
}

// The thread whose latest call the token names, in any state (token_thread's test
// without its check of the state, which the fast path checks anyway).
INLINE struct thread *fast_caller(uint64 token) {
  uint64 slot = TOKEN_SLOT(token);
  struct thread *t = &threads[slot];
  asm("" : "+r"(t));      // keep the address: GCC would compute it (a multiply) again and again
  return slot < NTHREAD && t->call_token == token ? t : 0;
}

// @lab 01 solution: the fast path
// Entered from trapvec.S for SYS_call, with the big kernel lock held and epc past the
// ecall: a0 = endpoint, a1 = tag, a2..a5 = words, a6 = buffer, still in registers.
// Anything unusual goes on to the general path. A thread whose task was killed while
// its hart waited for the lock (stopping) goes there too, and its call is never made.
void fastpath_call(uint64 h, uint64 tag, uint64 w0, uint64 w1, uint64 w2, uint64 w3, uint64 buf) {
  struct cpu *c = fast_cpu();
  struct thread *cur = c->cur;
  struct endpoint *ep = fast_ep(h);
  struct thread *r = ep ? ep->recvq : 0;
  uint64 len = TAG_LEN(tag);
  if (cur->stopping || !r || r->stopping || !none_above(r->prio) || (len && !user_range(buf, len)) ||
      ipc_trace)
    general_path(h, tag, w0, w1, w2, w3, buf);
  ep->recvq = r->next;
  cur->buf = buf;
  cur->buftag = tag;
  cur->reply_from = ep->owner;
  cur->state = T_REPLY;
  hand_off(c, cur, r, ipc_resume, call_token(cur), tag, w0, w1, w2, w3, TASK_BADGE(cur->task));
}

// Whether cur may answer c's call on the fast path and then wait on ep: c waits for
// cur's reply, nothing is pending on ep, and nothing else makes the general path do
// otherwise (see hand_off).
INLINE int reply_fast_ok(struct thread *cur, struct thread *c, struct endpoint *ep) {
  return c && ep && !cur->stopping && c->state == T_REPLY && c->reply_from == cur->task && !c->stopping &&
         ep->owner == cur->task && !ep->bits && !ep->sendq && none_above(c->prio) && !ipc_trace;
}

// A reply_recv that is not a plain reply's fast path (fastpath_reply_recv). The reply
// to a fault call, if the checks pass, is one still: a plain resume (label 0), or a
// pager's FAULT_MAP reply once its page is mapped (fault_map, sysmech.c), sends the
// thread back to the instruction that faulted with every register as it was, and cur
// waits on ep. Anything else (a mapping refused too) goes on to the general path,
// which kills the task for a refused fault. Out of line, so that the other replies
// pay nothing for it.
static __attribute__((noinline, noreturn)) void reply_recv_other(uint64 h, uint64 tag, uint64 w0, uint64 w1,
                                                                 uint64 w2, uint64 w3, uint64 token) {
  struct cpu *hart = fast_cpu();
  struct thread *cur = hart->cur, *c = fast_caller(token);
  struct endpoint *ep = fast_ep(h);
  if (!reply_fast_ok(cur, c, ep) || !c->fault_call ||
      (TAG_LABEL(tag) != 0 && (TAG_LABEL(tag) != FAULT_MAP || !fault_map(c, cur, w0, w1, w2))))
    general_path(h, tag, w0, w1, w2, w3, token);
  cur->state = T_RECV;
  cur->ep = ep;
  cur->next = ep->recvq;
  ep->recvq = cur;
  c->fault_call = 0;
  struct trapframe *ctf = c->tf;
  hand_off(hart, cur, c, ipc_resume, ctf->a0, ctf->a1, ctf->a2, ctf->a3, ctf->a4, ctf->a5, ctf->a6);
}

// Entered from trapvec.S for SYS_reply_recv, as fastpath_call: a0 = endpoint, a1..a5 =
// reply, a6 = token of the caller to answer. A pager's "resume" reply to a fault call
// (label 0, or FAULT_MAP) takes a fast path too (reply_recv_other): the faulting
// thread goes back to the instruction that faulted with its registers untouched.
void fastpath_reply_recv(uint64 h, uint64 tag, uint64 w0, uint64 w1, uint64 w2, uint64 w3, uint64 token) {
  struct cpu *hart = fast_cpu();
  struct thread *cur = hart->cur;
  struct thread *c = fast_caller(token);
  struct endpoint *ep = fast_ep(h);
  if (!reply_fast_ok(cur, c, ep) || c->fault_call)
    reply_recv_other(h, tag, w0, w1, w2, w3, token);
  cur->state = T_RECV;
  cur->ep = ep;
  cur->next = ep->recvq;
  ep->recvq = cur;
  hand_off(hart, cur, c, ipc_resume, 0, tag, w0, w1, w2, w3, token);
}

// A page fault's call (user_fault; prepared in cur: msg_*, is_call, fault_call) to a
// pager already waiting on ep: delivered, and the hart handed to the pager, as
// fastpath_call does. Returns only when the general path must deliver it.
void fastpath_fault(struct thread *cur, struct endpoint *ep) {
  struct thread *r = ep->recvq;
  if (!r || ep->ksub || r->stopping || !none_above(r->prio) || ipc_trace)
    return;
  ep->recvq = r->next;
  ipc_deliver(cur, r);
  cur->state = T_REPLY;
  cur->reply_from = ep->owner;
  hand_off_tf(cur, r, fault_resume, r->ipc_ret);
}
// @lab 01 stub
//: // Entered from trapvec.S for SYS_call, with the big kernel lock held and epc past the
//: // ecall: a0 = endpoint, a1 = tag, a2..a5 = words, a6 = buffer, still in registers.
//: // Anything unusual goes on to the general path.
//: void fastpath_call(uint64 h, uint64 tag, uint64 w0, uint64 w1, uint64 w2, uint64 w3, uint64 buf) {
//:   // TODO (lab 01, last exercise): when a receiver already waits on the endpoint and
//:   // nothing makes the general path do otherwise (see hand_off and the README),
//:   // hand_off() the hart to the receiver with the message in its registers.
//:   // Until then every call takes the general path:
//:   general_path(h, tag, w0, w1, w2, w3, buf);
//: }
//:
//: // Entered from trapvec.S for SYS_reply_recv, as fastpath_call: a0 = endpoint, a1..a5 =
//: // reply, a6 = token of the caller to answer.
//: void fastpath_reply_recv(uint64 h, uint64 tag, uint64 w0, uint64 w1, uint64 w2, uint64 w3, uint64 token) {
//:   // TODO (lab 01, last exercise): when the caller waits for this reply, nothing is
//:   // pending on the endpoint and nothing makes the general path do otherwise (see
//:   // hand_off and the README), reply and wait in one hand-off.
//:   general_path(h, tag, w0, w1, w2, w3, token);
//: }
//:
//: // A page fault's call to a pager already waiting on ep (see user_fault): returning
//: // leaves it to the general path.
//: void fastpath_fault(struct thread *cur, struct endpoint *ep) {
//:   (void)cur, (void)ep;
//: }
// @lab 01 end
