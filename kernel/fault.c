// User faults. A fault never panics the kernel: it becomes a call, made on the
// faulting thread's behalf, to its task's fault endpoint (its pager or supervisor),
// whose reply resumes the thread or kills the task; a task without a fault handler
// is killed. The report names the task, pc, scause and stval.
#include "kernel.h"

static const char *cause_name(uint64 c) {
  switch (c) {
  case 0: return "misaligned fetch";
  case 1: return "fetch access fault";
  case 2: return "illegal instruction";
  case 3: return "breakpoint";
  case 4: return "misaligned load";
  case 5: return "load access fault";
  case 6: return "misaligned store";
  case 7: return "store access fault";
  case 12: return "instruction page fault";
  case 13: return "load page fault";
  case 15: return "store page fault";
  }
  return "exception";
}

// A page fault on a page that the tables do allow: a stale TLB entry from before a
// map. A local fence and a retry fix it.
static int spurious(struct task *tk, uint64 scause, uint64 va) {
  uint64 need = scause == 12 ? PTE_X : scause == 13 ? PTE_R : scause == 15 ? PTE_W : 0;
  if (!need || va >= MAXUVA)
    return 0;
  pte_t *pte = pt_walk(tk->pt, va, 0);
  if (!pte || (*pte & (PTE_V | PTE_U | need)) != (PTE_V | PTE_U | need))
    return 0;
  sfence_vma_all();
  return 1;
}

// The fault call for thread t to its task's fault endpoint: 0 if the reply resumes
// it, else an error (no handler, refused, or the thread is being stopped). A call
// from user_fault (fast) to a pager that waits takes the fast path and does not
// return here: fault_resume, or the pager's fast reply, finishes it.
static int64 fault_call(struct thread *t, uint64 scause, uint64 stval, struct endpoint **handler, int fast) {
  struct task *tk = t->task;
  int err;
  t->msg_tag = TAG(L_FAULT, 0, 0);
  t->msg_w[0] = stval;
  t->msg_w[1] = scause;
  t->msg_w[2] = t->tf->epc;
  t->msg_w[3] = 0;
  struct endpoint *ep = tk->fault_ep ? ep_lookup(tk->fault_ep, &err) : 0;
  *handler = ep;
  if (!ep || ep->owner == tk)
    return E_INVAL;
  t->is_call = 1;
  t->fault_call = 1;
  t->buftag = 0;
  if (fast)
    fastpath_fault(t, ep);
  int64 r = ipc_send_msg(t, ep);
  t->fault_call = 0;
  return r;
}

// The end of user_fault's call (r: its result): nothing if the pager resumed the
// thread (or it is being stopped), else the report and the task killed.
static void fault_end(struct thread *t, int64 r, int handler) {
  if (r == 0 || t->stopping)
    return;
  kprintf("fault: task %s pc %p scause %d (%s) stval %p\n", t->task->name, t->msg_w[2], (int)t->msg_w[1],
          cause_name(t->msg_w[1]), t->msg_w[0]);
  task_kill(t->task, handler ? "its fault handler refused" : "fault with no handler");
}

void user_fault(struct thread *t, uint64 scause, uint64 stval) {
  if (spurious(t->task, scause, stval))
    return;
  struct endpoint *ep;
  fault_end(t, fault_call(t, scause, stval, &ep, 1), ep != 0);
}

// Where a fault call that took the fast path wakes when the general path ends it (a
// deferred or refusing reply, the pager's death, a stop): user_fault's end.
void fault_resume(void) {
  struct thread *t = curthread();
  t->fault_call = 0;
  fault_end(t, t->ipc_ret, 1);
  usertrapret();
}

// A pager's FAULT_MAP reply on the general path (reply, reply_recv: tf's a1 = tag,
// a2.. = words), where the reply names its call by token: for a fault call that waits
// for the current task's reply, the page mapped (fault_map, sysmech.c) and the reply
// made a plain resume (label 0), or a refusal (label 1: the task is killed) if the
// mapping is refused.
void fault_map_token(uint64 token, struct trapframe *tf) {
  struct thread *cur = curthread(), *t;
  if (token && (t = token_thread(token)) && t->state == T_REPLY && t->reply_from == cur->task &&
      t->fault_call)
    tf->a1 = TAG(fault_map(t, cur, tf->a2, tf->a3, tf->a4) ? 0 : 1, 0, 0);
}

// SYS_fault_in (va, write): make the caller's page at va present (and writable), by
// the same call to its pager that a load or store fault there would make, except that
// a refusal is an error for the caller, not its death. The user library brings in a
// buffer a server found not present (E_NOTPRESENT) this way instead of touching it, so
// that a bad buffer gives -1, as in xv6. 0 or E_INVAL.
int64 sys_fault_in(struct thread *t, struct trapframe *tf) {
  uint64 va = tf->a0, need = tf->a1 ? PTE_W : PTE_R;
  tf->a0 = 0;            // the pager's "resume" may take the fast path, which returns a0 as is
  if (va >= MAXUVA)
    return E_INVAL;
  pte_t *pte = pt_walk(t->task->pt, va, 0);
  if (pte && (*pte & (PTE_V | PTE_U | need)) == (PTE_V | PTE_U | need))
    return 0;            // present already
  struct endpoint *ep;
  return fault_call(t, tf->a1 ? 15 : 13, va, &ep, 0) == 0 ? 0 : E_INVAL;
}
