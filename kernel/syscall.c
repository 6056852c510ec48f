// System call dispatch: the number in a7, arguments in a0..a6, the result in a0.
// The privileged mechanism calls are in sysmech.c.
#include "kernel.h"


static int64 sys_debug_write(struct thread *cur, uint64 va, uint64 len) {
  char buf[128];
  if (len > DEBUG_WRITE_MAX)
    return E_RANGE;
  if (!user_range(va, len))
    return E_BADADDR;
  int r = uaccess_check(cur->task->pt, va, len, 0);
  if (r < 0)
    return r;
  print_lock();
  for (uint64 done = 0; done < len;) {
    uint64 n = len - done < sizeof buf ? len - done : sizeof buf;
    copyin(cur->task->pt, buf, va + done, n);
    for (uint64 i = 0; i < n; i++)
      sbi_putchar(buf[i] == KLINE_MARK ? '?' : buf[i]);   // only the kernel's lines carry it
    done += n;
  }
  print_unlock();
  return len;
}

static int64 sys_thread_create(struct thread *cur, struct trapframe *tf) {
  if (!user_range(tf->a0, 1) || !user_range(tf->a1 - 1, 1))
    return E_BADADDR;
  int prio = tf->a3 > (uint64)cur->prio ? cur->prio : (int)tf->a3;
  struct thread *t = thread_start(cur->task, tf->a0, tf->a1, tf->a2, prio);
  return t ? THREAD_HANDLE(t) : E_NOMEM;
}

static int64 sys_bootinfo(struct thread *cur, uint64 va, uint64 len) {
  extern char __bootimg_start[], __bootimg_end[];
  struct bootinfo bi = {user_mem_start, ram_end, ncpu, timebase, (uint64)__bootimg_start,
                        __bootimg_end - __bootimg_start, {0}};
  memmove(bi.bootargs, bootargs, sizeof bi.bootargs);
  if (len > sizeof bi)
    len = sizeof bi;
  int r = copyout(cur->task->pt, va, &bi, len);
  return r < 0 ? r : (int64)len;
}

static int64 sys_stat(uint64 what) {
  switch (what) {
  case STAT_FASTPATH: return stat_fastpath();
  case STAT_SLOWPATH: return stat_slow;
  case STAT_FREEPAGES: return kfree_count();
  case STAT_NCPU: return ncpu;
  case STAT_IDLE: return stat_idle();
  case STAT_IPI: return stat_ipi();
  }
  return E_INVAL;
}

// With tracing on, log a bulk copy that happened, in the direction the data went.
static int64 traced_copy(struct thread *cur, uint64 token, int64 r, int to_caller) {
  struct thread *t = token_thread(token);
  if (ipc_trace && r >= 0 && t) {
    const char *me = cur->task->name, *caller = t->task->name;
    kprintf("ipc: %s %s -> %s len %d\n", to_caller ? "copy_to" : "copy_from",
            to_caller ? me : caller, to_caller ? caller : me, (int)r);
  }
  return r;
}

void syscall(struct trapframe *tf) {
  struct thread *cur = curthread();
  int64 r;
  switch (tf->a7) {
  case SYS_call: r = ipc_send(tf->a0, 1); break;
  case SYS_reply_recv:
    if (TAG_LABEL(tf->a1) == FAULT_MAP)   // a pager's reply that maps (fault.c)
      fault_map_token(tf->a6, tf);
    r = ipc_reply_recv();
    break;
  case SYS_send: r = ipc_send(tf->a0, 0); break;
  case SYS_recv: r = ipc_recv(tf->a0); break;
  case SYS_reply:
    if (TAG_LABEL(tf->a1) == FAULT_MAP)
      fault_map_token(tf->a0, tf);
    r = ipc_reply(tf->a0, tf);
    break;
  case SYS_notify: {          // bits mean what the owner says (an interrupt, a death):
    int err;                  // only the owner and the privileged servers may post them
    struct endpoint *ep = ep_lookup(tf->a0, &err);
    r = !ep ? err : ep->owner != cur->task && !cur->task->rights ? E_PERM : (ep_notify(ep, tf->a1), 0);
    if (ipc_trace && r == 0)
      kprintf("ipc: notify %s -> %s bits %lx\n", cur->task->name, ep->owner ? ep->owner->name : "kernel", tf->a1);
    break;
  }
  case SYS_copy_from: r = traced_copy(cur, tf->a0, bulk_copy(tf->a0, tf->a1, tf->a2, tf->a3, 0), 0); break;
  case SYS_copy_to: r = traced_copy(cur, tf->a0, bulk_copy(tf->a0, tf->a1, tf->a2, tf->a3, 1), 1); break;
  case SYS_ep_create: {
    struct endpoint *ep = ep_alloc(cur->task, 0);
    r = ep ? (int64)ep_handle(ep) : E_NOMEM;
    break;
  }
  case SYS_ep_destroy: {
    int err;
    struct endpoint *ep = ep_lookup(tf->a0, &err);
    r = !ep ? err : ep->owner != cur->task ? E_PERM : (ep_kill(ep), 0);
    break;
  }
  case SYS_alarm: r = alarm_set(tf->a0, tf->a1, tf->a2); break;
  case SYS_thread_create: r = sys_thread_create(cur, tf); break;
  case SYS_thread_exit: thread_exit();
  case SYS_exit: task_exit((int)tf->a0);
  case SYS_yield: sched_yield(); r = 0; break;
  case SYS_debug_write: r = sys_debug_write(cur, tf->a0, tf->a1); break;
  case SYS_debug_dump: debug_dump("dump requested"); r = 0; break;
  case SYS_trace: r = cur->task->rights ? (ipc_trace = tf->a0 != 0, 0) : E_PERM; break;   // global
  case SYS_time: r = now_ns(); break;
  case SYS_self: r = TASK_BADGE(cur->task); break;
  case SYS_bootinfo: r = sys_bootinfo(cur, tf->a0, tf->a1); break;
  case SYS_stat: r = sys_stat(tf->a0); break;
  case SYS_fault_in: r = sys_fault_in(cur, tf); break;
  default: r = sys_mech(cur, tf); break;
  }
  tf->a0 = r;
}
