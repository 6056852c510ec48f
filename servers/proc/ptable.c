// The process table and its rules (ptable.h): decisions only. Both hosts of the
// process subsystem run these under their own serialisation (the kernel's lock of the
// subsystem, the server's table lock), so nothing here locks; only ptable_by_task is
// also called without it (the server's getpid).
#include "servers/proc/ptable.h"

struct proc ptable[NPROC];
static int nextpid = 1;

static void setname(struct proc *p, const char *name) {
  int i = 0;
  for (; i < 15 && name[i]; i++)
    p->name[i] = name[i];
  for (; i < 16; i++)
    p->name[i] = 0;
}

struct proc *ptable_new(struct proc *parent) {
  int fam = parent ? parent->fam : 0, nfree = 0, held = 0;
  for (int i = 0; i < NPROC; i++) {
    nfree += ptable[i].state == P_FREE;
    held += fam && ptable[i].state != P_FREE && ptable[i].fam == fam;
  }
  if (held && held >= nfree)
    return 0;                      // the family has its share
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &ptable[i];
    if (p->state != P_FREE)
      continue;
    *p = (struct proc){.state = P_NEW, .pid = nextpid++, .ppid = parent ? parent->pid : 0};
    // born to init: no family; to a process in none (init's children): a family of its own
    p->fam = !parent || parent->pid == 1 ? 0 : fam ? fam : p->pid;
    setname(p, parent ? parent->name : "");
    return p;
  }
  return 0;
}

void ptable_run(struct proc *p, uint64 task) {
  p->task = task;
  p->state = P_ALIVE;
}

void ptable_drop(struct proc *p) { p->state = P_FREE; }

// Every request looks its sender up: the last one found is tried first (checked again,
// as it may have died since), which spares the scan for a process asking repeatedly.
// `last` is read once: the process server's workers look up getpid's caller without
// the table's lock, and another worker may move `last` meanwhile.
struct proc *ptable_by_task(uint64 task) {
  static struct proc *last = ptable;
  struct proc *p = __atomic_load_n(&last, __ATOMIC_RELAXED);
  if (p->state == P_ALIVE && p->task == task)
    return p;
  for (int i = 0; i < NPROC; i++)
    if (ptable[i].state == P_ALIVE && ptable[i].task == task) {
      __atomic_store_n(&last, &ptable[i], __ATOMIC_RELAXED);
      return &ptable[i];
    }
  return 0;
}

struct proc *ptable_by_pid(int pid) {
  for (int i = 0; i < NPROC; i++)
    if ((ptable[i].state == P_ALIVE || ptable[i].state == P_ZOMBIE) && ptable[i].pid == pid)
      return &ptable[i];
  return 0;
}

void ptable_exec(struct proc *p, uint64 task, const char *name) {
  p->task = task;
  setname(p, name);
}

int ptable_exit(struct proc *p, int status, struct proc *wake[2]) {
  int n = 0, orphans = 0;
  p->state = P_ZOMBIE;
  p->xstatus = status;
  p->waiting = 0;
  p->wake_at = 0;
  p->wait_tok = p->sleep_tok = 0;
  // Its children go to init (if init itself is gone, to nobody: then they are never
  // waited for).
  for (int i = 0; i < NPROC; i++) {
    struct proc *c = &ptable[i];
    if (c->state == P_FREE || c->ppid != p->pid || c == p)
      continue;
    c->ppid = p->pid == 1 ? 0 : 1;
    if (c->state == P_ZOMBIE && c->ppid == 0)
      c->state = P_FREE;
    else if (c->state == P_ZOMBIE)
      orphans = 1;
  }
  struct proc *init = ptable_by_pid(1), *parent = ptable_by_pid(p->ppid);
  if (!parent)
    p->state = P_FREE;             // nobody will ever wait for it
  else if (parent->waiting)
    wake[n++] = parent;            // p is the zombie its wait can take
  if (orphans && init && init != parent && init->waiting)
    wake[n++] = init;              // and init has zombies to take
  return n;
}

int ptable_wait(struct proc *p, int *pid, int *status) {
  int children = 0;
  for (int i = 0; i < NPROC; i++) {
    struct proc *c = &ptable[i];
    if ((c->state != P_ALIVE && c->state != P_ZOMBIE) || c->ppid != p->pid)
      continue;
    children++;
    if (c->state == P_ZOMBIE) {
      *pid = c->pid;
      *status = c->xstatus;
      c->state = P_FREE;
      p->waiting = 0;
      return 1;
    }
  }
  p->waiting = children > 0;
  return children ? 0 : E_INVAL;
}

struct proc *ptable_kill(int pid, int *err) {
  struct proc *v = ptable_by_pid(pid);
  if (!v || v->state != P_ALIVE) {
    *err = E_INVAL;
    return 0;
  }
  if (v->pid == 1) {
    *err = E_PERM;
    return 0;
  }
  return v;
}

static void setstr(char *dst, const char *src) {
  for (int i = 0; i < 8; i++)
    dst[i] = *src ? *src++ : 0;
}

int ptable_ps(struct procinfo *out, int max) {
  int n = 0;
  for (int i = 0; i < NPROC && n < max; i++) {
    struct proc *p = &ptable[i];
    if (p->state != P_ALIVE && p->state != P_ZOMBIE)
      continue;
    struct procinfo *pi = &out[n++];
    pi->pid = p->pid;
    pi->ppid = p->ppid;
    setstr(pi->state, p->state == P_ZOMBIE ? "zombie" : "run");
    setstr(pi->wait, p->waiting ? "wait" : p->wake_at ? "sleep" : "");
    for (int k = 0; k < 16; k++)
      pi->name[k] = p->name[k];
  }
  return n;
}
