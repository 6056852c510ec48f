#!/usr/bin/env python3
"""make.py [NAME...]: write lab 02's mutants, labs/02-proc/mutants/NAME.patch (all, or
those named), from the reference: each is a plausible wrong solution of the student's
files (servers/lib/server.c, servers/proc/main.c, exec.c), made by text edits of them as
they are committed and written as a `git diff` after two header lines: the rule of the
lab's README it breaks, and whether the README calls that rule essential. Run it from
the tree's root whenever those files change (a patch whose context moved no longer
applies); mk/mutants.py grades the patches.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "mk"))
from mutantgen import write_patches  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))
MUT = []


def mut(name, rule, essential, edits):
    """A mutant breaking rule (quoted or paraphrased from the README) by (file, old, new) edits."""
    MUT.append((name, rule, essential, edits))


S = "servers/lib/server.c"; M = "servers/proc/main.c"; X = "servers/proc/exec.c"
mut("loop-one-worker", "serve honours nworkers: nworkers - 1 more workers, each a thread of its own (the caller's thread is one)", "yes",
    [(S, '''  if (nworkers > SERVER_MAXWORKERS)
    nworkers = SERVER_MAXWORKERS;''', '''  nworkers = 1;                      // one at a time: no races in the handler''')])
mut("loop-all-workers", "serve honours nworkers: exactly nworkers workers, not more", "no",
    [(S, '''  if (nworkers > SERVER_MAXWORKERS)
    nworkers = SERVER_MAXWORKERS;''', '''  nworkers = SERVER_MAXWORKERS;      // plenty: one never runs out''')])
mut("loop-extra-worker", "serve honours nworkers: the calling thread is one of the workers", "no",
    [(S, '''    if (i > 0 && thread_create(''', '''    if (thread_create(''')])
mut("loop-shared-sleep-endpoint", "worker_sleep_ns blocks only its worker: each worker sleeps on an endpoint of its own (essential)", "yes",
    [(S, '''static struct worker *me(void) {
  struct worker *w;
  asm volatile("mv %0, tp" : "=r"(w));
  return w;
}

''', ''),
     (S, '''int worker_sleep_ns(uint64 ns) {
  struct worker *w = me();
  struct msg m;
  if (alarm_ns(w->wait_ep, 1, ns) < 0)
    return E_INVAL;
  int64 r = ipc_recv(w->wait_ep, &m);''', '''int worker_sleep_ns(uint64 ns) {
  static uint64 wait_ep;             // one endpoint for the workers' sleeps
  struct msg m;
  if (!wait_ep)
    wait_ep = ep_create();
  if (alarm_ns(wait_ep, 1, ns) < 0)
    return E_INVAL;
  int64 r = ipc_recv(wait_ep, &m);''')])
mut("loop-global-worker", "per-worker state is found through tp, which each worker sets: not through a global", "yes",
    [(S, '''static struct worker *me(void) {
  struct worker *w;
  asm volatile("mv %0, tp" : "=r"(w));
  return w;
}''', '''static struct worker *current;       // the worker running now

static struct worker *me(void) { return current; }'''),
     (S, '''  asm volatile("mv tp, %0" :: "r"(w));''', '''  current = w;''')])
mut("loop-shared-stack", "each worker needs a stack of its own", "no",
    [(S, '''stacks[i], sizeof stacks[i], 7)''', '''stacks[1], sizeof stacks[1], 7)''')])
mut("loop-replies-deferred", "a deferred request gets no reply when the handler returns: it is answered later (essential)", "yes",
    [(S, '''    w->handle(&r);
    if (r.deferred) {        // answered later
      tok = ipc_recv(w->ep, &m);
      continue;
    }
''', '''    w->handle(&r);
''')])
mut("loop-notify-to-handler", "a notification goes to notify, never to the handler, and gets no reply", "no",
    [(S, '''    if (tok == 0) {          // a one-way message or notification: nothing to answer
      if (msg_label(&m) == L_NOTIFY && w->notify)
        w->notify(m.w[0]);
      tok = ipc_recv(w->ep, &m);
      continue;
    }
''', '')])
mut("loop-answer-no-words", "answer replies with the request's rlabel and rw", "no",
    [(S, '''  struct msg m = {.tag = TAG(r->rlabel, 0, 0), .w = {r->rw[0], r->rw[1], r->rw[2], r->rw[3]}};
  return ipc_reply(r->token, &m) < 0 ? E_NOREPLY : 0;''', '''  struct msg m = {.tag = TAG(r->rlabel, 0, 0)};
  return ipc_reply(r->token, &m) < 0 ? E_NOREPLY : 0;''')])
mut("loop-answer-never-fails", "answer returns E_NOREPLY when the caller has gone", "no",
    [(S, '''  return ipc_reply(r->token, &m) < 0 ? E_NOREPLY : 0;''', '''  ipc_reply(r->token, &m);
  return 0;''')])
mut("proc-no-task-watch", "watch every process's task (task_watch, PROC_DIED on EP_PROC): a process can die without asking (essential)", "yes",
    [(M, '''  if (e == 0 && ((e = task_watch(t, EP_PROC, PROC_DIED)) < 0 || (e = thread_start(t, r->w[0], r->w[1], r->w[1], 4)) < 0))''',
          '''  if (e == 0 && (e = thread_start(t, r->w[0], r->w[1], r->w[1], 4)) < 0)'''),
     (X, '''  if ((e = task_watch(t, EP_PROC, PROC_DIED)) < 0 || (e = thread_start(t, entry, sp, sp, 4)) < 0) {''',
          '''  if ((e = thread_start(t, entry, sp, sp, 4)) < 0) {''')])
mut("proc-one-wait-slot", "each waiting process keeps its own deferred wait; a child's status goes to its own parent", "yes",
    [(M, '''// p's wait can end now (a child of its is a zombie): answer its deferred request.
static void end_wait(struct proc *p) {
  int pid, status;
  if (ptable_wait(p, &pid, &status) == 1) {
    struct req r = {.token = p->wait_tok, .rw = {pid, status}};
    p->wait_tok = 0;
    answer(&r);
  }
}''', '''static uint64 waiting;               // the deferred wait

// p's wait can end now (a child of its is a zombie): answer the deferred request.
static void end_wait(struct proc *p) {
  int pid, status;
  if (ptable_wait(p, &pid, &status) == 1) {
    struct req r = {.token = waiting, .rw = {pid, status}};
    answer(&r);
  }
}'''),
     (M, '''    p->wait_tok = r->token;
    defer(r);''', '''    waiting = r->token;
    defer(r);''')])
mut("proc-zombie-not-reaped", "a waiting parent takes its zombie child through ptable_wait, which frees the entry", "no",
    [(M, '''static void end_wait(struct proc *p) {
  int pid, status;
  if (ptable_wait(p, &pid, &status) == 1) {
    struct req r = {.token = p->wait_tok, .rw = {pid, status}};
    p->wait_tok = 0;
    answer(&r);
  }
}''', '''static void end_wait(struct proc *p) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *c = &ptable[i];
    if (c->state == P_ZOMBIE && c->ppid == p->pid) {
      struct req r = {.token = p->wait_tok, .rw = {c->pid, c->xstatus}};
      p->waiting = 0;
      p->wait_tok = 0;
      answer(&r);
      return;
    }
  }
}''')])
mut("proc-orphans-not-to-init", "every wait ptable_exit says can end is answered: init's too, when it is given zombies", "no",
    [(M, '''  int n = ptable_exit(p, status, wake);
  for (int i = 0; i < n; i++)
    end_wait(wake[i]);''', '''  struct proc *parent = ptable_by_pid(p->ppid);
  ptable_exit(p, status, wake);
  if (parent && parent->waiting)
    end_wait(parent);''')])
mut("proc-sleep-early", "a sleep is answered when its own time has come, not when any alarm fires", "no",
    [(M, '''static void wake_sleepers(void) {
  uint64 now = time_ns();
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &ptable[i];
    if (p->state == P_ALIVE && p->wake_at && now >= p->wake_at) {''', '''static void wake_sleepers(void) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &ptable[i];
    if (p->state == P_ALIVE && p->wake_at) {''')])
mut("proc-sleep-one-alarm", "one alarm on EP_PROC serves every sleeper: always set for the earliest one", "no",
    [(M, '''// ---- sleeping: one alarm on EP_PROC, for the earliest sleeper ----

static void arm(void) {
  uint64 next = 0, now = time_ns();
  for (int i = 0; i < NPROC; i++)
    if (ptable[i].state == P_ALIVE && ptable[i].wake_at && (!next || ptable[i].wake_at < next))
      next = ptable[i].wake_at;
  if (next)
    alarm_ns(EP_PROC, PROC_TIMER, next > now ? next - now : 1);
}
''', '''// ---- sleeping: an alarm on EP_PROC for each sleep ----
'''),
     (M, '''  p->sleep_tok = r->token;
  defer(r);
  arm();''', '''  p->sleep_tok = r->token;
  defer(r);
  alarm_ns(EP_PROC, PROC_TIMER, r->w[0] * TICK_NS);'''),
     (M, '''      answer(&r);
    }
  }
  arm();
}''', '''      answer(&r);
    }
  }
}''')])
mut("proc-kill-no-rules", "kill follows the table's rules (ptable_kill): never init, only live processes", "no",
    [(M, '''  int err;
  struct proc *v = ptable_kill((int)r->w[0], &err);
  if (!v) {
    r->rlabel = err;
    return;
  }''', '''  struct proc *v = ptable_by_pid((int)r->w[0]);
  if (!v) {
    r->rlabel = E_INVAL;
    return;
  }''')])
mut("proc-fork-needs-fs", "without a file server (E_DEAD, E_BADHANDLE) processes simply have no files: fork goes on", "no",
    [(M, '''  else if ((e = fs(FS_FORK, p->task, t, 0, 0, 0)) < 0 && no_fs(e))
    e = 0;''', '''  else
    e = fs(FS_FORK, p->task, t, 0, 0, 0);''')])
mut("proc-exit-needs-fs", "an error from another server is handled: FS_EXIT failing with E_DEAD (no file server) does not stop an exit", "no",
    [(M, '''  mem(MEM_FREE, p->task, 0, 0, 0, 0, 0);
  fs(FS_EXIT, p->task, 0, 0, 0, 0);
  int n''', '''  mem(MEM_FREE, p->task, 0, 0, 0, 0, 0);
  if (fs(FS_EXIT, p->task, 0, 0, 0, 0) < 0)
    return;
  int n''')])
mut("proc-exec-no-bootimg", "exec reads the program from the boot image when no file server answers", "no",
    [(X, '''  if (no_fs(fd)) {
    *img = progimg_boot((const uchar *)BOOTIMG_VA, bi.bootimg_pa, path, &len);
    return *img ? (int64)len : E_INVAL;
  }
''', '')])
mut("proc-copy-errors-einval", "a bulk copy that finds a page not present answers E_NOTPRESENT (the client faults it in and asks again)", "no",
    [(X, '''  if (e >= 0)
    e = progimg_args(args, r->buflen, argc);''', '''  e = e < 0 ? E_INVAL : progimg_args(args, r->buflen, argc);'''),
     (M, '''  r->rlabel = e < 0 ? e : 0;    // E_NOTPRESENT: the client faults its buffer in, asks again''',
          '''  r->rlabel = e < 0 ? E_INVAL : 0;''')])
mut("proc-ps-ignores-copy", "a request whose bulk copy failed says so", "no",
    [(M, '''  int64 e = ipc_copy_to(r->token, 0, list, n * sizeof list[0]);
  r->rlabel = e < 0 ? e : 0;    // E_NOTPRESENT: the client faults its buffer in, asks again
  r->rw[0] = n;''', '''  ipc_copy_to(r->token, 0, list, n * sizeof list[0]);
  r->rw[0] = n;''')])
mut("proc-exit-keeps-files", "a process that is gone has its files closed (FS_EXIT): clean up after every death (essential)", "yes",
    [(M, '''  mem(MEM_FREE, p->task, 0, 0, 0, 0, 0);
  fs(FS_EXIT, p->task, 0, 0, 0, 0);
  int n''', '''  mem(MEM_FREE, p->task, 0, 0, 0, 0, 0);
  int n''')])
mut("proc-fork-leaks-entry", "a fork that fails is undone whole: the half-made child's entry too", "no",
    [(M, '''    if (t > 0)
      mem(MEM_FREE, t, 0, 0, 0, 0, 0);
    ptable_drop(c);''', '''    if (t > 0)
      mem(MEM_FREE, t, 0, 0, 0, 0, 0);''')])
mut("proc-exec-keeps-old", "exec ends the caller's old image: its task is freed (MEM_FREE), never answered", "no",
    [(X, '''  defer(r);                     // the caller's task ends now: no reply, ever
  mem(MEM_FREE, old, 0, 0, 0, 0, 0);''', '''  (void)old;                    // the reply tells the old image to go''')])
mut("proc-wait-not-deferred", "a wait with live children and no zombie is deferred, answered when a child exits (essential)", "yes",
    [(M, '''    p->wait_tok = r->token;
    defer(r);''', '''    p->wait_tok = r->token;''')])
mut("proc-fork-child-a0", "the child starts at pc = w0 with a0 = sp = w1", "no",
    [(M, '''(e = thread_start(t, r->w[0], r->w[1], r->w[1], 4))''', '''(e = thread_start(t, r->w[0], r->w[1], 0, 4))''')])


def main(names):
    write_patches(OUT, MUT, names)


if __name__ == "__main__":
    main(sys.argv[1:])
