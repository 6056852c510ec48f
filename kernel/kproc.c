// The process subsystem hosted in the kernel, at stage 1 (khost.h): EP_PROC is
// answered on the caller's kernel stack, with the subsystem's lock held, so requests
// run one at a time. The process table and its rules (servers/proc/ptable.c) and
// exec's checks (progimg.c) are shared with the process server; the boundary layer
// below exists twice, by design. Here it is the kernel's way:
//   - a request is a struct kreq; the caller is the process whose task is r->badge;
//   - wait and sleep *sleep* right here (ksleep lets go of the lock); a caller that
//     is stopped meanwhile (killed) gets E_INTR from ksleep and we return at once;
//   - exec copies its arguments with kcopyin and reads the program with
//     kfs_read_file; fork, exec and exit get address spaces and files from the
//     kernel-hosted memory and file subsystems by direct calls (kmem_*, kfs_*);
//   - a task that dies without asking (a fault, a kill by someone else) is noticed
//     through its death notice, PROC_DIED on EP_PROC, on the subsystem's kernel thread.
// The process server (servers/proc/main.c, exec.c) does the same work the server's
// way: messages and badges, deferred replies, bulk copies, MEM_* and FS_* messages
// that can fail with E_DEAD, death notices as notifications.
#include "kernel.h"
#include "khost.h"
#include "servers/proc/ptable.h"
#include "servers/proc/progimg.h"

static struct ksub proc;

// Is a file system answering EP_FS in this boot? Without one (the boot group os),
// processes have no files and programs come from the boot image.
static int fs_here(void) {
  int err;
  return ep_lookup(EP_FS, &err) != 0;
}

// Start task's first thread; its death will reach kproc_notify.
static int kproc_start_thread(uint64 task, uint64 pc, uint64 sp) {
  int err;
  struct task *tk = task ? task_lookup(task, &err) : 0;
  if (!tk)
    return E_DEAD;
  tk->watch_ep = EP_PROC;
  tk->watch_bits = PROC_DIED;
  return thread_start(tk, pc, sp, sp, 4) ? 0 : E_NOMEM;
}

// p is gone: its task is killed (if it was not dead already; its sleeps end with
// E_INTR), its files closed, and it is a zombie; wake the waits that can now end.
static void kproc_gone(struct proc *p, int status) {
  struct proc *wake[2];
  kmem_free(p->task);
  if (fs_here())
    kfs_exit(p->task);
  int n = ptable_exit(p, status, wake);
  for (int i = 0; i < n; i++)
    kwakeup(wake[i]);            // each sleeps in kproc_wait on its own entry
}

static void kproc_fork(struct kreq *r, struct proc *p) {
  struct proc *c = ptable_new(p);
  if (!c) {
    r->rlabel = E_NOMEM;
    return;
  }
  int64 t = kmem_fork(p->task, p->name), e = 0;
  if (t < 0)
    e = t;
  else if (fs_here())
    e = kfs_fork(p->task, t);
  if (e == 0 && (e = kproc_start_thread(t, r->w[0], r->w[1])) < 0 && fs_here())
    kfs_exit(t);
  if (e < 0) {
    if (t > 0)
      kmem_free(t);
    ptable_drop(c);
    r->rlabel = e;
    return;
  }
  ptable_run(c, t);
  r->rw[0] = c->pid;
}

static void kproc_wait(struct kreq *r, struct proc *p) {
  int pid, status, e;
  while ((e = ptable_wait(p, &pid, &status)) == 0)
    if (ksleep(&proc, p, 0) < 0)
      return;                    // stopped (killed): p may be gone; no reply
  if (e < 0) {
    r->rlabel = e;
    return;
  }
  r->rw[0] = pid;
  r->rw[1] = status;
}

static void kproc_sleep(struct kreq *r, struct proc *p) {
  uint64 until = know_ns() + r->w[0] * TICK_NS;
  p->wake_at = until;
  while (know_ns() < until)
    if (ksleep(&proc, &p->wake_at, until) < 0)
      return;                    // killed meanwhile
  p->wake_at = 0;
}

// ---- exec ----

// Where a program is read from: the file system, or the boot image without one.
struct prog {
  uint64 task;                   // on behalf of (its working directory)
  const char *path;
  const uchar *img;              // the boot image's copy, or 0: the file system
  uint64 len;                    // img's length; ~0UL for a file (reads say where it ends)
};

static int64 kproc_read(struct prog *g, uint64 off, void *dst, uint64 n) {
  if (!g->img)
    return kfs_read_file(g->task, g->path, off, dst, n);
  if (off > g->len)
    return 0;
  if (n > g->len - off)
    n = g->len - off;
  memmove(dst, g->img + off, n);
  return n;
}

// The new program's address space, not running yet: its task, *entry and *sp.
static int64 kproc_load(struct prog *g, int argc, const char *args, uint64 *entry, uint64 *sp) {
  static char chunk[PGSIZE], stack[PROG_STACK_MAX];   // the subsystem's lock guards them
  extern char __bootimg_start[];
  struct elfhdr eh;
  if (!fs_here() && !(g->img = progimg_boot((const uchar *)__bootimg_start, (uint64)__bootimg_start, g->path,
                                              &g->len)))
    return E_INVAL;
  int64 n = kproc_read(g, 0, &eh, sizeof eh);
  if (n != sizeof eh || progimg_check(&eh, g->len) < 0)
    return E_INVAL;
  int64 task = kmem_newas(progimg_name(g->path));
  if (task < 0)
    return task;
  uint64 end = 0;
  for (int i = 0; i < eh.phnum; i++) {
    struct proghdr ph;
    if (kproc_read(g, progimg_phoff(&eh, i), &ph, sizeof ph) != sizeof ph)
      goto bad;
    int flags = progimg_segment(&ph, g->len);
    if (flags == 0)
      continue;
    if (flags < 0 || kmem_region(task, ph.vaddr, ph.memsz, flags) < 0)
      goto bad;
    for (uint64 off = 0, k; off < ph.filesz; off += k) {
      k = ph.filesz - off < PGSIZE ? ph.filesz - off : PGSIZE;
      if (kproc_read(g, ph.off + off, chunk, k) != k || kmem_write(task, ph.vaddr + off, chunk, k) < 0)
        goto bad;
    }
    if (ph.vaddr + ph.memsz > end)
      end = ph.vaddr + ph.memsz;
  }
  uint64 size = progimg_stack(stack, argc, args);
  if (kmem_region(task, progimg_heap(end), 0, MEM_HEAP) < 0 ||
      kmem_region(task, PROG_STACK_LO, USTACK_TOP - PROG_STACK_LO, MEM_R | MEM_W | MEM_STACK) < 0 ||
      kmem_write(task, USTACK_TOP - size, stack, size) < 0)
    goto bad;
  *entry = eh.entry;
  *sp = USTACK_TOP - size;
  return task;
bad:
  kmem_free(task);
  return E_INVAL;
}

// A running program in a new task that takes over old's files (old: 0 for init).
static int64 kproc_newprog(uint64 old, const char *path, int argc, const char *args) {
  struct prog g = {.task = old, .path = path, .len = ~0UL};
  uint64 entry, sp;
  int64 t = kproc_load(&g, argc, args, &entry, &sp), e;
  if (t < 0)
    return t;
  if (fs_here() && (e = kfs_exec(old, t)) < 0) {
    kmem_free(t);
    return e;
  }
  if ((e = kproc_start_thread(t, entry, sp)) < 0) {
    if (fs_here())
      kfs_exec(t, old);
    kmem_free(t);
    return e;
  }
  return t;
}

static void kproc_exec(struct kreq *r, struct proc *p) {
  static char args[MAXARGBYTES];
  int argc = r->w[0];
  int64 e = r->buflen && r->buflen <= sizeof args ? kcopyin(r, 0, args, r->buflen) : E_INVAL;
  if (e >= 0)
    e = progimg_args(args, r->buflen, argc);
  if (e >= 0)
    e = kproc_newprog(p->task, args, argc, args + strlen(args) + 1);
  if (e < 0) {
    r->rlabel = e;               // E_NOTPRESENT: the library faults its buffer in, asks again
    return;
  }
  uint64 old = p->task;
  ptable_exec(p, e, progimg_name(args));
  kmem_free(old);                // the caller's task: it gets no reply
}

// ---- the subsystem ----

static void kproc_handle(struct kreq *r) {
  struct proc *p = ptable_by_task(r->badge), *v;
  int err;
  r->rlabel = 0;
  if (!p) {
    r->rlabel = E_PERM;          // not a process
    return;
  }
  switch (r->label) {
  case PROC_FORK: kproc_fork(r, p); return;
  case PROC_EXIT: kproc_gone(p, (int)r->w[0]); return;      // the caller is gone: no reply
  case PROC_WAIT: kproc_wait(r, p); return;
  case PROC_KILL:
    if ((v = ptable_kill((int)r->w[0], &err)) != 0)
      kproc_gone(v, -1);         // v may be the caller
    else
      r->rlabel = err;
    return;
  case PROC_GETPID: r->rw[0] = p->pid; return;
  case PROC_EXEC: kproc_exec(r, p); return;
  case PROC_SLEEP: kproc_sleep(r, p); return;
  case PROC_UPTIME: r->rw[0] = know_ns() / TICK_NS; return;
  case PROC_PS: {
    static struct procinfo list[NPROC];
    uint64 max = r->buflen / sizeof list[0];
    int n = ptable_ps(list, max < NPROC ? max : NPROC);
    int64 e = kcopyout(r, 0, list, n * sizeof list[0]);
    r->rlabel = e < 0 ? e : 0;
    r->rw[0] = n;
    return;
  }
  }
  r->rlabel = E_INVAL;
}

// On the subsystem's kernel thread: death notices, and ^P from the console.
static void kproc_notify(uint64 bits) {
  static struct procinfo list[NPROC];
  if (bits & PROC_DIED)
    for (int i = 0; i < NPROC; i++) {
      int err;
      if (ptable[i].state == P_ALIVE && !task_lookup(ptable[i].task, &err))
        kproc_gone(&ptable[i], -1);       // killed by a fault, or by someone else
    }
  if (bits & PROC_DUMP) {
    int n = ptable_ps(list, NPROC);
    kprintf("pid ppid state  waits  name\n");
    for (int i = 0; i < n; i++)
      kprintf("%3d %4d %-6s %-6s %s\n", list[i].pid, list[i].ppid, list[i].state, list[i].wait, list[i].name);
  }
}

// On the subsystem's kernel thread, before the first request: init is pid 1.
static void kproc_init(void) {
  struct proc *p = ptable_new(0);
  int64 t = kproc_newprog(0, "init", 1, "init");
  if (t < 0) {
    kprintf("proc: cannot start init: %d\n", (int)t);
    ptable_drop(p);
    return;
  }
  ptable_exec(p, t, "init");
  ptable_run(p, t);
}

static struct ksub proc = {.name = "proc", .ep = EP_PROC, .init = kproc_init, .handle = kproc_handle,
                           .notify = kproc_notify};

void kproc_start(void) { ksub_start(&proc); }
