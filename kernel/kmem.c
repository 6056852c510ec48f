// The memory core (servers/mem/mem.c) hosted in the kernel, at stages 1 to 3: it
// answers EP_MEM, and faults of ordinary tasks arrive as calls to it on the faulting
// thread's own kernel stack. This file is the kernel side of servers/mem/memhost.h.
#include "kernel.h"
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

static void handle(struct kreq *k) { ksvc_handle(k, mem_handle); }

static struct ksub mem = {.name = "mem", .ep = EP_MEM, .handle = handle};

void kmem_start(void) {
  mem_init(user_mem_start(), ram_end);
  ksub_start(&mem);
}

// ---- khost.h: address spaces for the kernel-hosted process subsystem ----
// Transitional: as messages to the core, until this file is the kernel idiom.
#include "servers/mem/mem.h"

static int64 mem_msg(uint64 label, uint64 w0, uint64 w1, uint64 w2, uint64 w3, const void *buf, uint64 len) {
  struct svc_msg m = {TAG(label, BUF_R, len), {w0, w1, w2, w3}};
  int64 r = svc_call(EP_MEM, &m, (void *)buf);
  if (r < 0)
    return r;
  return TAG_LABEL(m.tag) ? (int64)(short)TAG_LABEL(m.tag) : (int64)m.w[0];
}

static uint64 name_word(const char *name, int i) {
  uint64 w = 0;
  for (int k = 0; k < 8 && name[i * 8 + k]; k++)
    w |= (uint64)(uint8)name[i * 8 + k] << (8 * k);
  return w;
}

int64 kmem_newas(const char *name) {
  char n[16] = {0};
  safestrcpy(n, name, sizeof n);
  return mem_msg(MEM_NEWAS, name_word(n, 0), name_word(n, 1), 0, 0, 0, 0);
}

int kmem_region(uint64 task, uint64 va, uint64 len, int flags) {
  int64 r = mem_msg(MEM_REGION, task, va, len, flags, 0, 0);
  return r < 0 ? r : 0;
}

int kmem_write(uint64 task, uint64 va, const void *src, uint64 len) {
  int64 r = mem_msg(MEM_WRITE, task, va, 0, 0, src, len);
  return r < 0 ? r : 0;
}

int64 kmem_fork(uint64 parent, const char *name) {
  char n[16] = {0};
  safestrcpy(n, name, sizeof n);
  return mem_msg(MEM_FORK, parent, name_word(n, 0), name_word(n, 1), 0, 0, 0);
}

void kmem_free(uint64 task) { mem_msg(MEM_FREE, task, 0, 0, 0, 0, 0); }
