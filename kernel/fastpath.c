// The IPC fast path: call and reply_recv when the partner already waits. The message
// moves register to register and the hart returns straight into the partner's user
// mode: no run queue, no scheduler, no kernel-stack switch. Anything unusual returns
// and the general path in ipc.c runs instead.
//
// This works because a thread blocked in IPC keeps no state on its kernel stack:
// all that is left to do when it wakes is to return ipc_ret to user mode. So the
// partner's kernel frames (if it blocked in the general path) are simply dropped,
// and the thread that blocks here gets a context that resumes in ipc_resume().
#include "kernel.h"

void fast_exit(struct trapframe *tf) __attribute__((noreturn));   // trapvec.S

INLINE void move_msg(struct trapframe *from, struct trapframe *to) {
  to->a1 = from->a1;
  to->a2 = from->a2;
  to->a3 = from->a3;
  to->a4 = from->a4;
  to->a5 = from->a5;
}

// Where a thread that blocked on the fast path resumes when the general path wakes it.
void ipc_resume(void) {
  struct thread *cur = curthread();
  cur->tf->a0 = cur->ipc_ret;
  usertrapret();
}

// cur blocks (its state already set); next, which waits in IPC, runs now. A thread
// resumed after a fault keeps all its registers (set_a0 = 0). If the general path
// wakes cur, it resumes in `resume` (ipc_resume; fault_resume for a fault call).
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
INLINE __attribute__((noreturn)) void hand_off(struct thread *cur, struct thread *next, int set_a0,
                                               void (*resume)(void)) {
  struct cpu *c = mycpu();
  cur->ctx.ra = (uint64)resume;
  cur->ctx.sp = (uint64)cur->tf;
  c->cur = next;
  next->state = T_RUNNING;
  vm_switch(next->task);
  if (set_a0)
    next->tf->a0 = next->ipc_ret;
  c->nfast++;
  c->user = 1;
  // a jump, not a call: nothing of this frame is needed again
  asm volatile("mv a0, %0; j fast_exit" :: "r"(next->tf) : "a0", "memory");
  __builtin_unreachable();
}

// No runnable thread has a higher priority than p (so handing the hart to a thread
// of priority p is what the scheduler would do too).
INLINE int none_above(int p) { return (rq_mask >> (p + 1)) == 0; }

// Where both entries begin: take the lock, step past the ecall. A thread whose task was
// killed while its hart waited for the lock goes no further: the general path's exit
// (usertrapret, stop_check) ends it, and its call is never made.
INLINE struct thread *fast_enter(struct trapframe *tf) {
  __atomic_store_n(&mycpu()->user, 0, __ATOMIC_SEQ_CST);   // task_kill may wait for this
  bkl_acquire();
  tf->epc += 4;
  struct thread *cur = curthread();
  if (cur->stopping)
    usertrap_ecall(tf);
  return cur;
}

INLINE struct endpoint *fast_ep(uint64 h) {
  uint64 slot = h & 0xffff;
  if (slot >= NEP)
    return 0;
  struct endpoint *ep = &endpoints[slot];     // slot 0 is never live: gen 0 matches no handle's
  return ep->gen == (h >> 16) ? ep : 0;       // a dead endpoint has no receivers: a miss
}

// @lab 01 solution: the fast path
// Entered from trapvec.S for SYS_call: a0 = endpoint, a1 = tag, a2..a5 = words,
// a6 = buffer. Anything unusual goes on to the general path.
void fastpath_call(struct trapframe *tf) {
  struct thread *cur = fast_enter(tf);
  struct endpoint *ep = fast_ep(tf->a0);
  struct thread *r = ep ? ep->recvq : 0;
  uint64 len = TAG_LEN(tf->a1);
  if (!r || r->stopping || !none_above(r->prio) || (len && !user_range(tf->a6, len)) || ipc_trace)
    usertrap_ecall(tf);
  ep->recvq = r->next;
  move_msg(tf, r->tf);
  r->tf->a6 = TASK_BADGE(cur->task);
  r->ipc_ret = call_token(cur);
  cur->is_call = 1;
  cur->fault_call = 0;
  cur->buf = tf->a6;
  cur->buftag = tf->a1;
  cur->reply_from = ep->owner;
  cur->state = T_REPLY;
  hand_off(cur, r, 1, ipc_resume);
}

// The end of a fast reply: c gets it (a fault call resumes with its registers
// untouched), cur waits on ep, and the hart goes to c.
INLINE __attribute__((noreturn)) void reply_hand_off(struct trapframe *tf, struct thread *cur, struct thread *c,
                                                     struct endpoint *ep) {
  int fault = c->fault_call;
  c->fault_call = 0;
  if (!fault)
    move_msg(tf, c->tf);
  c->ipc_ret = 0;
  cur->state = T_RECV;
  cur->ep = ep;
  cur->next = ep->recvq;
  ep->recvq = cur;
  hand_off(cur, c, !fault, ipc_resume);
}

// A fault call's reply other than a plain resume: a pager's FAULT_MAP reply has its
// page mapped (fault_map, sysmech.c) and then the same hand-off as a resume; any other
// (a mapping refused too) goes on to the general path, which kills the task. Out of
// line, so that the other replies pay nothing for it.
static __attribute__((noinline, noreturn)) void fast_fault_reply(struct trapframe *tf, struct thread *cur,
                                                                 struct thread *c, struct endpoint *ep) {
  if (TAG_LABEL(tf->a1) == FAULT_MAP && fault_map(c, cur, tf))
    reply_hand_off(tf, cur, c, ep);
  usertrap_ecall(tf);
}

// Entered from trapvec.S for SYS_reply_recv: a0 = endpoint, a1..a5 = reply,
// a6 = token of the caller to answer. A pager's "resume" reply to a fault call
// (label 0, or FAULT_MAP) takes this path too: the faulting thread goes back to the
// instruction that faulted with its registers untouched.
void fastpath_reply_recv(struct trapframe *tf) {
  struct thread *cur = fast_enter(tf);
  struct thread *c = token_thread(tf->a6);
  struct endpoint *ep = fast_ep(tf->a0);
  if (!c || !ep || c->state != T_REPLY || c->reply_from != cur->task || c->stopping ||
      !none_above(c->prio) || ep->owner != cur->task || ep->bits || ep->sendq || ipc_trace)
    usertrap_ecall(tf);
  if (c->fault_call && TAG_LABEL(tf->a1) != 0)
    fast_fault_reply(tf, cur, c, ep);
  reply_hand_off(tf, cur, c, ep);
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
  hand_off(cur, r, 1, fault_resume);
}
// @lab 01 stub
//: // Entered from trapvec.S for SYS_call: a0 = endpoint, a1 = tag, a2..a5 = words,
//: // a6 = buffer. Anything unusual goes on to the general path.
//: void fastpath_call(struct trapframe *tf) {
//:   fast_enter(tf);
//:   // TODO (lab 01, last exercise): when a receiver already waits on the endpoint and
//:   // nothing makes the general path do otherwise (see hand_off and the README), move
//:   // the message register to register and hand_off() the hart to the receiver.
//:   // Until then every call takes the general path:
//:   usertrap_ecall(tf);
//: }
//:
//: // Entered from trapvec.S for SYS_reply_recv: a0 = endpoint, a1..a5 = reply,
//: // a6 = token of the caller to answer.
//: void fastpath_reply_recv(struct trapframe *tf) {
//:   fast_enter(tf);
//:   // TODO (lab 01, last exercise): when the caller waits for this reply, nothing is
//:   // pending on the endpoint and nothing makes the general path do otherwise (see
//:   // hand_off and the README), reply and wait in one hand-off.
//:   usertrap_ecall(tf);
//: }
//:
//: // A page fault's call to a pager already waiting on ep (see user_fault): returning
//: // leaves it to the general path.
//: void fastpath_fault(struct thread *cur, struct endpoint *ep) {
//:   (void)cur, (void)ep;
//: }
// @lab 01 end
