// The process server (stage 2 on): Unix processes over the kernel's tasks, on
// EP_PROC, with two workers of the server loop (servers/lib/server.h). The process
// table and its rules are shared with the kernel's version (ptable.c); this file and
// exec.c are the server's boundary layer (kernel/kproc.c is the kernel's):
//   - a request is a message; the caller is the process whose task is its badge;
//   - a worker never waits for a client: wait and sleep are deferred replies, their
//     tokens kept in the process's entry and answered when a child exits or the
//     alarm on EP_PROC says the time has come;
//   - the workers take turns at the table (ptable_lock), except for getpid: the
//     second worker is there so that, on two harts, two clients' small requests (whose
//     cost is mostly the call and the reply) go on at once, each on its client's hart;
//   - address spaces and files come from the memory and file servers by messages,
//     which can fail (E_NOMEM; E_DEAD when the server is gone, or E_BADHANDLE when
//     there never was one: a boot group without a file system);
//   - a process's task that dies without asking (a fault, a kill by another task) is
//     noticed through its death notice (task_watch), a notification on EP_PROC.
#include "servers/lib/server.h"
#include "servers/proc/ptable.h"
#include "servers/proc/progimg.h"
#include "servers/fs/fsproto.h"
#include "user/lib/mv6.h"
#include "user/user.h"

// @lab 02 solution: the process server's requests, deaths and start
// exec.c
void exec_setup(void);
int64 exec_start(uint64 old, const char *path, int argc, const char *args);
void exec_request(struct req *r, struct proc *p);

// A request to the memory server: its reply's word 0, or an error.
int64 mem(uint64 label, uint64 w0, uint64 w1, uint64 w2, uint64 w3, const void *buf, uint64 len) {
  struct msg m = {.tag = TAG(label, len ? BUF_R : 0, len), .w = {w0, w1, w2, w3}};
  int64 e = ipc_call(EP_MEM, &m, (void *)buf);
  return e < 0 ? e : TAG_LABEL(m.tag) ? (short)TAG_LABEL(m.tag) : (int64)m.w[0];
}

// A request to the file server, the same way.
int64 fs(uint64 label, uint64 w0, uint64 w1, void *buf, uint64 len, int rights) {
  struct msg m = {.tag = TAG(label, len ? rights : 0, len), .w = {w0, w1}};
  int64 e = ipc_call(EP_FS, &m, buf);
  return e < 0 ? e : TAG_LABEL(m.tag) ? (short)TAG_LABEL(m.tag) : (int64)m.w[0];
}

// The file server is not there: then processes simply have no files.
int no_fs(int64 e) { return e == E_DEAD || e == E_BADHANDLE; }

// ---- sleeping: one alarm on EP_PROC, for the earliest sleeper ----

static void arm(void) {
  uint64 next = 0, now = time_ns();
  for (int i = 0; i < NPROC; i++)
    if (ptable[i].state == P_ALIVE && ptable[i].wake_at && (!next || ptable[i].wake_at < next))
      next = ptable[i].wake_at;
  if (next)
    alarm_ns(EP_PROC, PROC_TIMER, next > now ? next - now : 1);
}

static void do_sleep(struct req *r, struct proc *p) {
  if (r->w[0] == 0)
    return;
  p->wake_at = time_ns() + r->w[0] * TICK_NS;
  p->sleep_tok = r->token;
  defer(r);
  arm();
}

static void wake_sleepers(void) {
  uint64 now = time_ns();
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &ptable[i];
    if (p->state == P_ALIVE && p->wake_at && now >= p->wake_at) {
      struct req r = {.token = p->sleep_tok};
      p->wake_at = p->sleep_tok = 0;
      answer(&r);
    }
  }
  arm();
}

// ---- children ----

// p's wait can end now (a child of its is a zombie): answer its deferred request.
static void end_wait(struct proc *p) {
  int pid, status;
  if (ptable_wait(p, &pid, &status) == 1) {
    struct req r = {.token = p->wait_tok, .rw = {pid, status}};
    p->wait_tok = 0;
    answer(&r);
  }
}

static void do_wait(struct req *r, struct proc *p) {
  int pid, status, e = ptable_wait(p, &pid, &status);
  if (e == 0) {                 // children, none a zombie yet: answered by end_wait
    p->wait_tok = r->token;
    defer(r);
  } else if (e < 0) {
    r->rlabel = e;
  } else {
    r->rw[0] = pid;
    r->rw[1] = status;
  }
}

// p is gone (exit, kill, or its task died): its task killed (if it was not dead
// already), its files closed, its own deferred requests dropped (their caller is
// gone), and the waits that can end now answered.
static void gone(struct proc *p, int status) {
  struct proc *wake[2];
  mem(MEM_FREE, p->task, 0, 0, 0, 0, 0);
  fs(FS_EXIT, p->task, 0, 0, 0, 0);
  int n = ptable_exit(p, status, wake);
  for (int i = 0; i < n; i++)
    end_wait(wake[i]);
}

static void do_fork(struct req *r, struct proc *p) {
  struct proc *c = ptable_new(p);
  if (!c) {
    r->rlabel = E_NOMEM;
    return;
  }
  uint64 name[2];
  memmove(name, p->name, sizeof name);
  int64 t = mem(MEM_FORK, p->task, name[0], name[1], 0, 0, 0), e = 0;
  if (t < 0)
    e = t;
  else if ((e = fs(FS_FORK, p->task, t, 0, 0, 0)) < 0 && no_fs(e))
    e = 0;
  // Its death must reach us before it runs; then it starts at pc = w0 with a0 = sp = w1.
  if (e == 0 && ((e = task_watch(t, EP_PROC, PROC_DIED)) < 0 || (e = thread_start(t, r->w[0], r->w[1], r->w[1], 4)) < 0))
    fs(FS_EXIT, t, 0, 0, 0, 0);
  if (e < 0) {                  // undo the half-made child
    if (t > 0)
      mem(MEM_FREE, t, 0, 0, 0, 0, 0);
    ptable_drop(c);
    r->rlabel = e;
    return;
  }
  ptable_run(c, t);
  r->rw[0] = c->pid;
}

static void do_kill(struct req *r, struct proc *p) {
  int err;
  struct proc *v = ptable_kill((int)r->w[0], &err);
  if (!v) {
    r->rlabel = err;
    return;
  }
  if (v == p)
    defer(r);                   // killing itself: no reply, ever
  gone(v, -1);
}

static void do_ps(struct req *r) {
  static struct procinfo list[NPROC];
  uint64 max = r->buflen / sizeof list[0];
  int n = ptable_ps(list, max < NPROC ? max : NPROC);
  int64 e = ipc_copy_to(r->token, 0, list, n * sizeof list[0]);
  r->rlabel = e < 0 ? e : 0;    // E_NOTPRESENT: the client faults its buffer in, asks again
  r->rw[0] = n;
}

// Held while a worker handles a request (but a found caller's getpid) or a notification.
static struct tlock ptable_lock;

static void handle(struct req *r) {
  struct proc *p = ptable_by_task(r->badge);
  if (!p) {
    r->rlabel = E_PERM;         // not a process
    return;
  }
  switch (r->label) {
  case PROC_FORK: do_fork(r, p); return;
  case PROC_EXIT:
    defer(r);                   // the caller is gone: no reply
    gone(p, (int)r->w[0]);
    return;
  case PROC_WAIT: do_wait(r, p); return;
  case PROC_KILL: do_kill(r, p); return;
  case PROC_GETPID: r->rw[0] = p->pid; return;
  case PROC_EXEC: exec_request(r, p); return;
  case PROC_SLEEP: do_sleep(r, p); return;
  case PROC_UPTIME: r->rw[0] = time_ns() / TICK_NS; return;
  case PROC_PS: do_ps(r); return;
  }
  r->rlabel = E_INVAL;
}

// getpid, the commonest request, is answered without the lock when the caller's
// entry is there: it reads only that entry, whose task and pid no other request
// changes while the caller waits for this reply (another worker may be filling or
// emptying other entries meanwhile, but none of those can hold the caller's task).
// A caller not found may be a child whose fork the other worker is still finishing
// (the child runs before ptable_run marks its entry alive): the lock waits for that.
static void handle_locked(struct req *r) {
  if (r->label == PROC_GETPID) {
    struct proc *p = ptable_by_task(r->badge);
    if (p) {
      r->rw[0] = p->pid;
      return;
    }
  }
  tlock_acquire(&ptable_lock);
  handle(r);
  tlock_release(&ptable_lock);
}

// Notifications on EP_PROC: deaths (task_watch), our alarm, ^P from the console.
static void notified(uint64 bits) {
  static struct procinfo list[NPROC];
  tlock_acquire(&ptable_lock);
  if (bits & PROC_DIED)
    for (int i = 0; i < NPROC; i++)
      if (ptable[i].state == P_ALIVE && task_alive(ptable[i].task) != 0)
        gone(&ptable[i], -1);  // killed by a fault, or by another task
  if (bits & PROC_TIMER)
    wake_sleepers();
  if (bits & PROC_DUMP) {
    int n = ptable_ps(list, NPROC);
    printf("pid ppid state  waits  name\n");
    for (int i = 0; i < n; i++)
      printf("%3d %4d %-6s %-6s %s\n", list[i].pid, list[i].ppid, list[i].state, list[i].wait, list[i].name);
  }
  tlock_release(&ptable_lock);
}

int main(int argc, char *argv[]) {
  exec_setup();
  if (tlock_init(&ptable_lock) < 0)
    printf("proc: no endpoint for the table's lock: a waiting worker yields instead\n");
  struct proc *p = ptable_new(0);
  int64 t = exec_start(0, "init", 1, "init");
  if (t < 0) {
    printf("proc: cannot start init: %s\n", errstr(t));
    ptable_drop(p);
  } else {
    ptable_exec(p, t, "init");
    ptable_run(p, t);
  }
  serve(EP_PROC, 2, handle_locked, notified);
  return 0;
}
// @lab 02 stub
//: // TODO (lab 02): the process server. Serve EP_PROC with one worker (serve), after
//: // starting init (pid 1); decode each request (the badge says which process asks),
//: // using the process table's decisions (ptable.h) and the memory and file servers'
//: // messages (servers/mem/mem.h, servers/fs/fsproto.h); wait and sleep are deferred
//: // replies; deaths arrive as notifications (PROC_DIED, asked for with task_watch).
//: // kernel/kproc.c does all of this the kernel's way: read it first.
//: int main(int argc, char *argv[]) {
//:   printf("proc: the process server is not written yet (lab 02)\n");
//:   sys1(SYS_exit, 1);             // not exit(): that would ask the process server, us
//:   return 1;
//: }
// @lab 02 end
