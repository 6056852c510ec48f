// The task/IPC dump (on request, and by the watchdog): every task and thread and
// what it waits on, so a hang shows who waits on whom.
#include "kernel.h"
#include "khost.h"

static const char *state_name[] = {
  [T_FREE] = "free", [T_RUNNABLE] = "runnable", [T_RUNNING] = "running", [T_SEND] = "send",
  [T_RECV] = "recv", [T_REPLY] = "reply-wait", [T_SLEEP] = "kernel-sleep", [T_STOPPED] = "stopped",
};

static const char *owner_name(struct endpoint *ep) {
  return ep->ksub ? "(kernel)" : ep->owner ? ep->owner->name : "?";
}

void debug_dump(const char *why) {
  print_lock();
  kprintf("%s\n", why);
  kprintf("uptime %d ms, fast path %d, general path %d, free kernel pages %d\n",
          (int)(now_ns() / 1000000), (int)stat_fastpath(), (int)stat_slow, (int)kfree_count());
  for (int i = 0; i < NTASK; i++) {
    struct task *tk = &tasks[i];
    if (!tk->used)
      continue;
    kprintf("task %d %s%s%s\n", i, tk->name, tk->rights ? " priv" : "", tk->exiting ? " exiting" : "");
    for (int j = 0; j < NTHREAD; j++) {
      struct thread *t = &threads[j];
      if (t->state == T_FREE || t->task != tk)
        continue;
      kprintf("  thread %d prio %d %s", j, t->prio, state_name[t->state]);
      if (t->state == T_SEND || t->state == T_RECV)
        printf(" on ep %d of %s", (int)(t->ep - endpoints), owner_name(t->ep));
      if (t->state == T_REPLY)
        printf(" for %s%s", t->reply_from ? t->reply_from->name : "?", t->fault_call ? " (fault)" : "");
      if (t->state == T_RUNNING || t->state == T_RUNNABLE)
        printf(" pc %p", t->tf->epc);
      printf("\n");
    }
  }
  for (int i = 1; i < NEP; i++) {
    struct endpoint *ep = &endpoints[i];
    if (ep->live && (ep->bits || ep->sendq))
      kprintf("ep %d of %s: pending bits %p%s\n", i, owner_name(ep), ep->bits, ep->sendq ? ", senders queued" : "");
  }
  print_unlock();
}
