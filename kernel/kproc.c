// The process core (servers/proc/) hosted in the kernel, at stage 1: it answers
// EP_PROC; its notifications (deaths, its timer) and the start of init run on the
// subsystem's kernel thread. This file is the kernel side of servers/proc/prochost.h.
#include "kernel.h"
#include "ksvc.h"
#include "servers/proc/prochost.h"
#include "servers/proc/proc.h"

void proc_handle(struct svc_req *r);
void proc_notify(uint64 bits);
void proc_init(void);

int64 proch_thread_start(uint64 task, uint64 pc, uint64 sp, uint64 arg) {
  int err;
  struct task *tk = task ? task_lookup(task, &err) : 0;
  if (!tk)
    return E_DEAD;
  struct thread *t = thread_start(tk, pc, sp, arg, 4);
  return t ? THREAD_TOKEN(t) : E_NOMEM;
}

int proch_task_watch(uint64 task) {
  int err;
  struct task *tk = task ? task_lookup(task, &err) : 0;
  if (!tk)
    return E_DEAD;
  tk->watch_ep = EP_PROC;
  tk->watch_bits = PROC_DIED;
  return 0;
}

int proch_task_alive(uint64 task) {
  int err;
  return task && task_lookup(task, &err) ? 0 : E_DEAD;
}

const unsigned char *proch_bootimg(uint64 *len, uint64 *pa) {
  extern char __bootimg_start[], __bootimg_end[];
  *len = __bootimg_end - __bootimg_start;
  *pa = (uint64)__bootimg_start;
  return (const unsigned char *)__bootimg_start;
}

static void handle(struct kreq *k) { ksvc_handle(k, proc_handle); }

static struct ksub proc = {.name = "proc", .ep = EP_PROC, .init = proc_init, .handle = handle,
                           .notify = proc_notify};

void kproc_start(void) { ksub_start(&proc); }
