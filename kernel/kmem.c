// The memory core (servers/mem/mem.c) hosted in the kernel, at stages 1 to 3: it
// answers EP_MEM, and faults of ordinary tasks arrive as calls to it on the faulting
// thread's own kernel stack. This file is the kernel side of servers/mem/memhost.h.
#include "kernel.h"
#include "host.h"
#include "ksvc.h"
#include "servers/mem/memhost.h"

void mem_init(uint64 mem_start, uint64 mem_end);
void mem_handle(struct svc_req *r);

int64 memh_task_create(const char *name) {
  struct task *tk = task_alloc(name);
  if (!tk)
    return E_NOMEM;
  tk->fault_ep = EP_MEM;
  return TASK_BADGE(tk);
}

void memh_task_kill(uint64 badge) {
  int err;
  struct task *tk = task_lookup(badge, &err);
  if (tk && badge)
    task_kill(tk, 0);
}

int memh_map(uint64 badge, uint64 va, uint64 pa, int perm) {
  int err;
  struct task *tk = badge ? task_lookup(badge, &err) : 0;
  return tk ? pt_map(tk->pt, va, pa, perm) : E_DEAD;
}

int memh_unmap(uint64 badge, uint64 va) {
  int err;
  struct task *tk = badge ? task_lookup(badge, &err) : 0;
  return tk ? pt_unmap(tk->pt, va) : E_DEAD;
}

void *memh_frame(uint64 pa) { return (void *)pa; }

uint64 memh_proc_badge(void) {
  int err;
  struct endpoint *ep = ep_lookup(EP_PROC, &err);
  return ep && ep->owner ? TASK_BADGE(ep->owner) : 0;
}

static void mem_in_kernel(struct kreq *k) { ksvc_run(k, mem_handle); }

void kmem_start(void) {
  mem_init(user_mem_start(), ram_end);
  host_serve(EP_MEM, mem_in_kernel);
}
