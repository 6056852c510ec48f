// The process core: Unix processes over the kernel's tasks. Pids, parents and
// children, fork, exec, exit, wait, kill, sleep, uptime; orphans go to init (pid 1),
// zombies wait for their parent. It never blocks on a client: wait and sleep park
// the request and answer it later. Address spaces belong to the memory server.
#include "servers/include/svc.h"
#include "servers/mem/mem.h"
#include "servers/proc/proc.h"
#include "servers/proc/prochost.h"
#include "servers/fs/fsproto.h"

#define NPROC 64

enum { FREE, ALIVE, ZOMBIE };

struct proc {
  int state;
  int pid, ppid;
  uint64 task;               // its address space and threads (the badge its requests carry)
  int xstatus;
  int waiting;               // wait_req is parked
  struct svc_req wait_req;
  uint64 wake_at;            // sleep_req is parked until then (0: not sleeping)
  struct svc_req sleep_req;
  uint64 name[2];            // the program's name, 16 bytes (for the kernel's reports)
};

static struct proc procs[NPROC];
static int nextpid = 1;

int64 exec_load(uint64 caller, const char *path, int argc, const char *args, uint64 *entry, uint64 *sp);

// Tell the file server (if there is one) about fork, exec and exit.
static void tell_fs(uint64 label, uint64 a, uint64 b) {
  struct svc_msg m = {TAG(label, 0, 0), {a, b, 0, 0}};
  svc_call(EP_FS, &m, 0);
}

static struct proc *by_task(uint64 task) {
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state == ALIVE && procs[i].task == task)
      return &procs[i];
  return 0;
}

static struct proc *by_pid(int pid) {
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state != FREE && procs[i].pid == pid)
      return &procs[i];
  return 0;
}

static struct proc *alloc_proc(int ppid) {
  for (int i = 0; i < NPROC; i++) {
    if (procs[i].state == FREE) {
      procs[i] = (struct proc){.state = ALIVE, .pid = nextpid++, .ppid = ppid};
      struct proc *parent = by_pid(ppid);
      if (parent) {
        procs[i].name[0] = parent->name[0];
        procs[i].name[1] = parent->name[1];
      }
      return &procs[i];
    }
  }
  return 0;
}

static int64 mem_call(uint64 label, uint64 w0, uint64 w1, uint64 w2) {
  struct svc_msg m = {TAG(label, 0, 0), {w0, w1, w2, 0}};
  int64 r = svc_call(EP_MEM, &m, 0);
  return r < 0 ? r : TAG_LABEL(m.tag) ? (int64)(short)TAG_LABEL(m.tag) : (int64)m.w[0];
}

// Hand a zombie's status to its parent's parked wait, if it waits.
static void reap_into(struct proc *parent, struct proc *z) {
  parent->wait_req.rw[0] = z->pid;
  parent->wait_req.rw[1] = z->xstatus;
  parent->wait_req.rlabel = 0;
  parent->waiting = 0;
  z->state = FREE;
  svc_finish(&parent->wait_req);
}

// p is gone (it exited, was killed, or its task died): free its memory, make it a
// zombie, give its children to init and tell its parent.
static void proc_exit(struct proc *p, int status) {
  mem_call(MEM_FREE, p->task, 0, 0);       // kills the task: its threads stop
  tell_fs(FS_EXIT, p->task, 0);
  p->state = ZOMBIE;
  p->xstatus = status;
  p->waiting = 0;                           // its parked requests die with it
  p->wake_at = 0;
  struct proc *init = by_pid(1);
  for (int i = 0; i < NPROC; i++) {
    struct proc *c = &procs[i];
    if (c->state == FREE || c->ppid != p->pid)
      continue;
    c->ppid = 1;
    if (c->state == ZOMBIE && init && init->state == ALIVE && init->waiting)
      reap_into(init, c);
  }
  struct proc *parent = by_pid(p->ppid);
  if (parent && parent->state == ALIVE && parent->waiting)
    reap_into(parent, p);
  else if (!parent || parent->state != ALIVE)
    p->state = FREE;                        // nobody will ever wait for it
}

static void do_fork(struct proc *p, struct svc_req *r) {
  struct proc *c = alloc_proc(p->pid);
  if (!c) {
    r->rlabel = E_NOMEM;
    return;
  }
  int64 t = mem_call(MEM_FORK, p->task, p->name[0], p->name[1]);
  if (t < 0) {
    c->state = FREE;
    r->rlabel = E_NOMEM;
    return;
  }
  c->task = t;
  tell_fs(FS_FORK, p->task, t);              // before it runs: it may use its files at once
  if (proch_task_watch(t) < 0 || proch_thread_start(t, r->w[0], r->w[1], r->w[1]) < 0) {
    tell_fs(FS_EXIT, t, 0);
    mem_call(MEM_FREE, t, 0, 0);
    c->state = FREE;
    r->rlabel = E_NOMEM;
    return;
  }
  r->rw[0] = c->pid;
}

static void do_wait(struct proc *p, struct svc_req *r) {
  int children = 0;
  for (int i = 0; i < NPROC; i++) {
    struct proc *c = &procs[i];
    if (c->state == FREE || c->ppid != p->pid)
      continue;
    children++;
    if (c->state == ZOMBIE) {
      r->rw[0] = c->pid;
      r->rw[1] = c->xstatus;
      c->state = FREE;
      return;
    }
  }
  if (!children) {
    r->rlabel = E_INVAL;
    return;
  }
  svc_park(r);
  p->wait_req = *r;
  p->waiting = 1;
}

// Replace p's image: the old task (the caller's) dies once the new one is running.
static int start_program(struct proc *p, const char *path, int argc, const char *args) {
  uint64 entry, sp;
  int64 t = exec_load(p->task, path, argc, args, &entry, &sp);
  if (t < 0)
    return t;
  tell_fs(FS_EXEC, p->task, t);              // the new image keeps the open files
  if (proch_task_watch(t) < 0 || proch_thread_start(t, entry, sp, sp) < 0) {
    tell_fs(FS_EXEC, t, p->task);
    mem_call(MEM_FREE, t, 0, 0);
    return E_NOMEM;
  }
  uint64 old = p->task;
  p->task = t;
  const char *base = path;
  for (const char *s = path; *s; s++)
    if (*s == '/')
      base = s + 1;
  p->name[0] = p->name[1] = 0;
  for (int i = 0; i < 15 && base[i]; i++)
    p->name[i / 8] |= (uint64)(uint8)base[i] << (8 * (i % 8));
  if (old)
    mem_call(MEM_FREE, old, 0, 0);
  return 0;
}

static void do_exec(struct proc *p, struct svc_req *r) {
  static char blob[MAXARGBYTES];
  int argc = r->w[0];
  if (r->buflen == 0 || r->buflen > MAXARGBYTES || argc < 0 || argc > MAXARG ||
      svc_copy_from(r, 0, blob, r->buflen) < 0 || blob[r->buflen - 1] != 0) {
    r->rlabel = E_INVAL;
    return;
  }
  // blob: path, then argc strings; check they are all there
  uint64 off = 0;
  for (int i = 0; i <= argc; i++) {
    while (off < r->buflen && blob[off])
      off++;
    if (off++ >= r->buflen) {
      r->rlabel = E_INVAL;
      return;
    }
  }
  int pathlen = 0;
  while (blob[pathlen])
    pathlen++;
  int e = start_program(p, blob, argc, blob + pathlen + 1);
  if (e < 0)
    r->rlabel = e;
  else
    svc_park(r);                 // the caller is gone: no reply
}

static void set_alarm(void) {
  uint64 next = 0, now = svc_now_ns();
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state == ALIVE && procs[i].wake_at && (!next || procs[i].wake_at < next))
      next = procs[i].wake_at;
  if (next)
    svc_alarm(EP_PROC, next > now ? next - now : 1);
}

static void info(struct proc *p, struct procinfo *pi) {
  *pi = (struct procinfo){.pid = p->pid, .ppid = p->ppid};
  const char *st = p->state == ZOMBIE ? "zombie" : "run", *w = p->waiting ? "wait" : p->wake_at ? "sleep" : "";
  for (int i = 0; st[i]; i++)
    pi->state[i] = st[i];
  for (int i = 0; w[i]; i++)
    pi->wait[i] = w[i];
  for (int i = 0; i < 15; i++)
    pi->name[i] = (char)(p->name[i / 8] >> (8 * (i % 8)));
}

int vsnfmt(char *buf, int n, const char *fmt, __builtin_va_list ap);

static void logf(const char *fmt, ...) {
  char line[96];
  __builtin_va_list ap;
  __builtin_va_start(ap, fmt);
  vsnfmt(line, sizeof line, fmt, ap);
  __builtin_va_end(ap);
  svc_log(line);
}

// Console ^P: every process and what it waits on.
static void dump(void) {
  logf("pid ppid state  waits  name\n");
  for (int i = 0; i < NPROC; i++) {
    if (procs[i].state == FREE)
      continue;
    struct procinfo pi;
    info(&procs[i], &pi);
    logf("%3d %4d %-6s %-6s %s\n", pi.pid, pi.ppid, pi.state, pi.wait, pi.name);
  }
}

void proc_notify(uint64 bits) {
  uint64 now = svc_now_ns();
  if (bits & PROC_DUMP)
    dump();
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &procs[i];
    if (p->state != ALIVE)
      continue;
    if ((bits & PROC_DIED) && proch_task_alive(p->task) != 0) {
      proc_exit(p, -1);          // killed by a fault, or by someone else
      continue;
    }
    if (p->wake_at && now >= p->wake_at) {
      p->wake_at = 0;
      p->sleep_req.rlabel = 0;
      svc_finish(&p->sleep_req);
    }
  }
  set_alarm();
}

void proc_handle(struct svc_req *r) {
  struct proc *p = by_task(r->badge);
  r->rlabel = 0;
  if (!p) {
    r->rlabel = E_PERM;          // not a process
    return;
  }
  switch (r->label) {
  case PROC_FORK: do_fork(p, r); return;
  case PROC_EXIT:
    svc_park(r);
    proc_exit(p, (int)r->w[0]);
    return;
  case PROC_WAIT: do_wait(p, r); return;
  case PROC_KILL: {
    struct proc *v = by_pid((int)r->w[0]);
    if (!v || v->state != ALIVE)
      r->rlabel = E_INVAL;
    else if (v == p)
      svc_park(r), proc_exit(v, -1);
    else
      proc_exit(v, -1);
    return;
  }
  case PROC_GETPID: r->rw[0] = p->pid; return;
  case PROC_EXEC: do_exec(p, r); return;
  case PROC_SLEEP:
    svc_park(r);
    p->sleep_req = *r;
    p->wake_at = svc_now_ns() + r->w[0] * TICK_NS;
    set_alarm();
    return;
  case PROC_UPTIME: r->rw[0] = svc_now_ns() / TICK_NS; return;
  case PROC_PS: {
    uint64 n = 0;
    for (int i = 0; i < NPROC && (n + 1) * sizeof(struct procinfo) <= r->buflen; i++) {
      if (procs[i].state == FREE)
        continue;
      struct procinfo pi;
      info(&procs[i], &pi);
      int64 e = svc_copy_to(r, n * sizeof pi, &pi, sizeof pi);
      if (e < 0) {
        r->rlabel = e;
        return;
      }
      n++;
    }
    r->rw[0] = n;
    return;
  }
  }
  r->rlabel = E_INVAL;
}

// Start init (pid 1) from the program named init.
void proc_init(void) {
  struct proc *p = alloc_proc(0);
  if (start_program(p, "init", 1, "init") < 0)
    p->state = FREE;
}
