// Privileged mechanism for servers: address spaces, mappings, threads in other
// tasks, interrupts and device registers. Each call needs its right (R_* in abi.h),
// which only boot tasks hold, as their boot table rows say (boottab.h: the rights
// table). The kernel checks rights, addresses and frames, not policy.
#include "kernel.h"


// A virtio-mmio slot's right: the network device's (DeviceID 1) is R_NET's alone, every
// other slot R_VIRTIO's, so the disk driver cannot reach the NIC nor its driver the disk.
static int virtio_right(int slot) {
  volatile uint32 *regs = (volatile uint32 *)(KDEV + VIRTIO_PA + slot * 0x1000);
  return regs[2] == 1 ? R_NET : R_VIRTIO;
}

// The right a device page needs: the UART's, or a virtio-mmio slot's; 0: not a device.
static int device_right(uint64 pa) {
  if (pa == UART0_PA)
    return R_UART;
  return pa >= VIRTIO_PA && pa < VIRTIO_PA + 8 * 0x1000 ? virtio_right((pa - VIRTIO_PA) / 0x1000) : 0;
}

// The right an interrupt needs: the UART's, or its virtio slot's (irqs 1..8 are slots
// 0..7); 0: no task may take it.
static int irq_right(int irq) {
  return irq == UART0_IRQ ? R_UART : irq >= 1 && irq <= 8 ? virtio_right(irq - 1) : 0;
}

// 0 if task `by` may map frame pa at va in tk with perm (SYS_map, a FAULT_MAP reply),
// else the error.
INLINE int map_check(struct task *by, struct task *tk, uint64 va, uint64 pa, uint64 perm) {
  int rights = by->rights;
  if (!(rights & R_MAP) && !(tk == by && (rights & R_MAPSELF) && !(perm & MAP_W)))
    return E_PERM;
  if ((va | pa) & (PGSIZE - 1) || !user_range(va, PGSIZE))
    return E_BADADDR;
  extern char __bootimg_start[], __bootimg_end[];
  if (pa < user_mem_start || pa >= ram_end) {
    // Kernel frames and firmware memory are never mapped; the boot image read-only.
    if (pa < (uint64)__bootimg_start || pa >= (uint64)__bootimg_end || (perm & MAP_W))
      return E_BADADDR;
  }
  if (!(perm & MAP_R) || (perm & ~(MAP_R | MAP_W | MAP_X | MAP_COW)))
    return E_INVAL;
  return 0;
}

// A pager's FAULT_MAP reply to t's fault call: page va mapped to frame pa with perm in
// t's task, as SYS_map would map it for the pager. 1 if mapped, 0 if refused.
int fault_map(struct thread *t, struct thread *pager, uint64 va, uint64 pa, uint64 perm) {
  return map_check(pager->task, t->task, va, pa, perm) == 0 && pt_map(t->task->pt, va, pa, (int)perm) == 0;
}

static int64 sys_map(struct thread *cur, uint64 tb, uint64 va, uint64 pa, uint64 perm) {
  int err;
  struct task *tk = task_lookup(tb, &err);
  if (!tk)
    return err;
  int r = map_check(cur->task, tk, va, pa, perm);
  return r < 0 ? r : pt_map(tk->pt, va, pa, perm);
}

static int64 sys_mmio_map(struct thread *cur, uint64 va, uint64 pa, uint64 len) {
  if ((va | pa | len) & (PGSIZE - 1) || !user_range(va, len) || len == 0)
    return E_BADADDR;
  for (uint64 off = 0; off < len; off += PGSIZE) {
    int need = device_right(pa + off);
    if (!need)
      return E_BADADDR;
    if (!(cur->task->rights & need))
      return E_PERM;
  }
  for (uint64 off = 0; off < len; off += PGSIZE) {
    int r = pt_map(cur->task->pt, va + off, pa + off, MAP_R | MAP_W);
    if (r < 0)
      return r;
  }
  return 0;
}

static int64 sys_task_create(struct thread *cur, uint64 uname, uint64 fault_ep) {
  char name[16];
  int r = copyinstr(cur->task->pt, name, uname, sizeof name);
  if (r < 0)
    return r == E_RANGE ? E_INVAL : r;
  struct task *tk = task_alloc(name);
  if (!tk)
    return E_NOMEM;
  tk->fault_ep = fault_ep;
  tk->watch_ep = 0;
  return TASK_BADGE(tk);
}

static int64 sys_thread_start(struct thread *cur, struct trapframe *tf) {
  int err;
  struct task *tk = task_lookup(tf->a0, &err);
  if (!tk)
    return err;
  if (!user_range(tf->a1, 1))
    return E_BADADDR;
  struct thread *t = thread_start(tk, tf->a1, tf->a2, tf->a3, (int)tf->a4);
  return t ? THREAD_HANDLE(t) : E_NOMEM;
}

static int64 sys_task_find(struct thread *cur, uint64 uname) {
  char name[16];
  int r = copyinstr(cur->task->pt, name, uname, sizeof name);
  if (r < 0)
    return r == E_RANGE ? E_INVAL : r;
  for (int i = 0; i < NTASK; i++)
    if (tasks[i].used && !tasks[i].exiting && strncmp(tasks[i].name, name, sizeof name) == 0)
      return TASK_BADGE(&tasks[i]);
  return E_INVAL;
}

int64 sys_mech(struct thread *cur, struct trapframe *tf) {
  int err;
  if (tf->a7 == SYS_map)        // first: a pager maps a page for every fault it serves
    return cur->task->rights & (R_MAP | R_MAPSELF) ? sys_map(cur, tf->a0, tf->a1, tf->a2, tf->a3) : E_PERM;
  if (tf->a7 == SYS_task_find)
    return sys_task_find(cur, tf->a0);
  if (tf->a7 == SYS_task_alive)
    return task_lookup(tf->a0, &err) ? 0 : (tf->a0 ? err : E_BADHANDLE);
  if (tf->a7 == SYS_ep_owner) {
    struct endpoint *ep = ep_lookup(tf->a0, &err);
    return !ep ? err : ep->owner ? TASK_BADGE(ep->owner) : 0;
  }
  if (tf->a7 < SYS_task_create || tf->a7 >= NSYSCALL)
    return E_BADSYS;
  static const int need[NSYSCALL] = {
    [SYS_task_create] = R_TASK, [SYS_task_kill] = R_TASK, [SYS_thread_start] = R_THREAD,
    [SYS_thread_stop] = R_THREAD, [SYS_task_watch] = R_THREAD | R_RESPAWN, [SYS_unmap] = R_MAP,
    [SYS_mmio_map] = R_UART | R_VIRTIO | R_NET,
    [SYS_irq_route] = R_UART | R_VIRTIO | R_NET, [SYS_irq_ack] = R_UART | R_VIRTIO | R_NET, [SYS_poweroff] = R_POWER,
    [SYS_respawn] = R_RESPAWN,
  };
  if (!(cur->task->rights & need[tf->a7]))   // map, mmio_map: which frames, below
    return E_PERM;
  if (tf->a7 == SYS_irq_route || tf->a7 == SYS_irq_ack) {
    if (tf->a0 == 0 || tf->a0 >= NIRQ)
      return E_INVAL;
    if (!(cur->task->rights & irq_right((int)tf->a0)))
      return E_PERM;
  }
  switch (tf->a7) {
  case SYS_task_create: return sys_task_create(cur, tf->a0, tf->a1);
  case SYS_task_kill: {
    struct task *tk = task_lookup(tf->a0, &err);
    if (!tk)
      return err;
    task_kill(tk, 0);          // the caller reports why, if it wants to
    return 0;
  }
  case SYS_unmap: {
    struct task *tk = task_lookup(tf->a0, &err);
    if (!tk)
      return err;
    return user_range(tf->a1, PGSIZE) && !(tf->a1 & (PGSIZE - 1)) ? pt_unmap(tk->pt, tf->a1) : E_BADADDR;
  }
  case SYS_thread_start: return sys_thread_start(cur, tf);
  case SYS_thread_stop: {
    struct thread *t = handle_thread(tf->a0);
    if (!t)
      return E_BADHANDLE;
    thread_stop(t);
    return 0;
  }
  case SYS_irq_route: return irq_route((int)tf->a0, tf->a1, tf->a2);
  case SYS_irq_ack: return irq_ack((int)tf->a0);
  case SYS_mmio_map: return sys_mmio_map(cur, tf->a0, tf->a1, tf->a2);
  case SYS_task_watch: {
    struct task *tk = task_lookup(tf->a0, &err);
    if (!tk)
      return err;
    if (!(cur->task->rights & R_THREAD) && !tk->bootrun)
      return E_PERM;             // the supervisor watches boot tasks only
    if (tf->a1 && !ep_lookup(tf->a1, &err))
      return err;
    tk->watch_ep = tf->a1;
    tk->watch_bits = tf->a2;
    return 0;
  }
  case SYS_respawn: {
    char name[16];
    int r = copyinstr(cur->task->pt, name, tf->a0, sizeof name);
    return r < 0 ? (r == E_RANGE ? E_INVAL : r) : boot_respawn(name);
  }
  case SYS_poweroff:
    kprintf("power off (%d)\n", (int)tf->a0);
    sbi_poweroff(tf->a0 != 0);
  }
  return E_BADSYS;
}
