// Tasks (an address space and the threads in it): creation, starting threads,
// stopping and killing. A thread is only ever freed by itself, on its way out of
// the kernel (stop_check), so no hart can be left running on a freed stack.
#include "kernel.h"

struct task tasks[NTASK];

struct task *task_alloc(const char *name) {
  for (int i = 0; i < NTASK; i++) {
    struct task *t = &tasks[i];
    if (t->used)
      continue;
    pagetable_t pt = pt_create();
    if (!pt)
      return 0;
    uint32 gen = t->gen + 1;
    memset(t, 0, sizeof *t);
    t->used = 1;
    t->id = i;
    t->gen = gen;
    t->pt = pt;
    t->badge = HANDLE(i, gen);
    t->satp = MAKE_SATP(pt, i + 1);
    safestrcpy(t->name, name, sizeof t->name);
    prof_task(t, 1);
    return t;
  }
  return 0;
}

// badge 0 means the calling task.
struct task *task_lookup(uint64 badge, int *err) {
  if (badge == 0)
    return curthread()->task;
  uint64 slot = badge & 0xffff, gen = badge >> 16;
  if (slot >= NTASK || gen == 0 || gen > tasks[slot].gen) {
    *err = E_BADHANDLE;
    return 0;
  }
  if (gen < tasks[slot].gen || !tasks[slot].used || tasks[slot].exiting) {
    *err = E_DEAD;
    return 0;
  }
  return &tasks[slot];
}

struct thread *thread_start(struct task *tk, uint64 pc, uint64 sp, uint64 arg, int prio) {
  struct thread *t = thread_alloc(tk, prio);
  if (!t)
    return 0;
  t->tf->epc = pc;
  t->tf->sp = sp;
  t->tf->a0 = arg;
  make_runnable(t);
  return t;
}

// Take t out of whatever it waits on, so that it runs and leaves through stop_check.
void thread_stop(struct thread *t) {
  t->stopping = 1;
  switch (t->state) {
  case T_SEND:
  case T_RECV:
    ipc_abort_thread(t);
    t->ipc_ret = E_INTR;
    make_runnable(t);
    break;
  case T_REPLY:
  case T_SLEEP:
  case T_STOPPED:
    t->ipc_ret = E_INTR;
    make_runnable(t);
    break;
  case T_RUNNING:
    if (t != curthread())
      for (int i = 0; i < NCPU; i++)
        if (cpus[i].cur == t)
          sbi_send_ipi(cpus[i].id);
    break;
  default:
    break;
  }
}

static void task_free(struct task *tk) {
  if (mycpu()->satp == tk->satp)
    vm_switch(0);             // not on the page table we free
  pt_destroy(tk->pt);
  sbi_remote_sfence();        // the ASID will be reused
  int err;
  struct endpoint *w = tk->watch_ep ? ep_lookup(tk->watch_ep, &err) : 0;
  if (w)
    ep_notify(w, tk->watch_bits);
  tk->used = 0;
  prof_task(tk, 0);
}

// Kill a task: its endpoints die at once (their clients get E_DEAD), callers waiting
// for its replies get E_DEAD, and each of its threads is stopped and exits.
void task_kill(struct task *tk, const char *why) {
  if (tk->exiting)
    return;
  tk->exiting = 1;
  if (why)
    kprintf("task %s killed: %s\n", tk->name, why);
  for (int i = 1; i < NEP; i++)
    if (endpoints[i].live && endpoints[i].owner == tk)
      ep_kill(&endpoints[i]);
  for (int i = 0; i < NTHREAD; i++) {
    struct thread *t = &threads[i];
    if (t->state == T_REPLY && t->reply_from == tk) {
      t->ipc_ret = E_DEAD;      // a fault call that gets this kills its task (fault.c)
      make_runnable(t);
    }
  }
  for (int i = 0; i < NTHREAD; i++)
    if (threads[i].state != T_FREE && threads[i].task == tk)
      thread_stop(&threads[i]);
  // A thread of tk still in user mode on another hart has been sent an interrupt
  // (thread_stop): wait until it has trapped. From then on it only waits for the lock
  // and exits, so once we return nothing of tk runs, and the pager may hand out its
  // frames at once.
  for (int i = 0; i < NCPU; i++) {
    struct cpu *c = &cpus[i];
    while (c != mycpu() && c->cur && c->cur->task == tk && __atomic_load_n(&c->user, __ATOMIC_ACQUIRE))
      ;
  }
  if (tk->nthreads == 0)
    task_free(tk);            // never ran (a half-made process): no thread will free it
}

void thread_exit(void) {
  struct thread *cur = curthread();
  struct task *tk = cur->task;
  cur->state = T_FREE;
  if (--tk->nthreads == 0)
    task_free(tk);
  sched_block();
  panic("thread_exit: resumed");
}

void task_exit(int status) {
  struct task *tk = curthread()->task;
  tk->exit_status = status;
  task_kill(tk, 0);
  thread_exit();
}

// On every way out of the kernel to user mode: a stopping thread exits here.
void stop_check(void) {
  struct thread *cur = curthread();
  if (cur->stopping)
    thread_exit();
}
