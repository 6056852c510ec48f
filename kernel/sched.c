// Threads and the scheduler: priority round robin over one set of run queues shared
// by every hart (all under the big kernel lock). A hart with nothing to run watches
// for a wake-up for a moment, then waits in wfi. A hart leaving the kernel with
// runnable threads left over wakes an idle hart (an IPI unless it is still watching),
// or preempts one running something of lower priority.
#include "kernel.h"

struct thread threads[NTHREAD];
struct cpu cpus[NCPU];
int ncpu_ids = NCPU;          // harts are cpus[0 .. ncpu_ids-1] (main.c)

static struct thread *rq_head[NPRIO], *rq_tail[NPRIO];
uint32 rq_mask;              // bit p set: rq_head[p] not empty

static int top_bit(uint32 m) {
  int p = NPRIO - 1;
  while (p > 0 && !(m & (1u << p)))
    p--;
  return p;
}

static void rq_push(struct thread *t) {
  t->next = 0;
  if (rq_tail[t->prio])
    rq_tail[t->prio]->next = t;
  else
    rq_head[t->prio] = t;
  rq_tail[t->prio] = t;
  rq_mask |= 1u << t->prio;
}

static struct thread *rq_pop(void) {
  if (!rq_mask)
    return 0;
  int p = top_bit(rq_mask);
  struct thread *t = rq_head[p];
  rq_head[p] = t->next;
  if (!rq_head[p]) {
    rq_tail[p] = 0;
    rq_mask &= ~(1u << p);
  }
  return t;
}

// Wake idle hart c: through its watch flag while it polls (idle_poll), else by IPI.
// The flag is set before polling is read, and idle_poll clears polling before it reads
// the flag (both seq_cst): either the IPI goes out or the hart sees the flag.
static void wake_idle(struct cpu *c) {
  if (c->wake)
    return;                     // woken already; it has not taken the lock yet
  __atomic_store_n(&c->wake, 1, __ATOMIC_SEQ_CST);
  if (!__atomic_load_n(&c->polling, __ATOMIC_SEQ_CST))
    sbi_send_ipi(c->id);
}

// Called as this hart leaves the kernel for user mode: a runnable thread it did not
// take goes to an idle hart, or else preempts the hart running the lowest priority
// below it. Deciding here rather than in make_runnable lets a thread that wakes
// another and then blocks (a call, a reply and wait) hand over its own hart, with no
// other hart disturbed and no thread moved between harts.
void kick_others(void) {
  if (!rq_mask || ncpu < 2)
    return;                     // (one hart: no other to kick; cpus[] has NCPU places to scan)
  struct cpu *me = mycpu(), *victim = 0;
  int p = top_bit(rq_mask);
  for (int i = 0; i < ncpu_ids; i++) {
    struct cpu *c = &cpus[i];
    if (c != me && !c->cur && c->idle) {
      wake_idle(c);
      return;
    }
  }
  for (int i = 0; i < ncpu_ids; i++) {
    struct cpu *c = &cpus[i];
    if (c != me && c->cur && c->cur->prio < p && (!victim || c->cur->prio < victim->cur->prio))
      victim = c;
  }
  if (victim)
    sbi_send_ipi(victim->id);
}

// t may run now; which hart runs it is decided when this one leaves the kernel
// (kick_others) or goes idle.
void make_runnable(struct thread *t) {
  t->state = T_RUNNABLE;
  rq_push(t);
}

// The context to switch to t with. A thread that blocked on the IPC fast path
// (fastpath.c) left none, only where it resumes: a context that starts there on its
// empty kernel stack, which is all it needs (it keeps nothing on its kernel stack).
static struct context *run_ctx(struct thread *t) {
  if (t->resume) {
    t->ctx.ra = (uint64)t->resume;
    t->ctx.sp = (uint64)t->tf;
    t->resume = 0;
  }
  return &t->ctx;
}

// Run next on this hart in place of the current thread (whose state is already set).
// cur's context is saved here, so it resumes here, whatever a fast-path hand-off that
// ran it last left in resume.
static void run(struct thread *next) {
  struct cpu *c = mycpu();
  struct thread *cur = c->cur;
  cur->resume = 0;
  c->cur = next;
  next->state = T_RUNNING;
  vm_switch(next->task);
  swtch(&cur->ctx, run_ctx(next));
}

// Direct hand-off (the general IPC path, to a receiver it woke): no run queue involved.
int switch_to(struct thread *next) {
  run(next);
  return 0;
}

// The current thread stops running (it blocked, exited or yielded).
void sched_block(void) {
  struct thread *next = rq_pop();
  if (next) {
    run(next);
  } else {
    struct cpu *c = mycpu();
    struct thread *cur = c->cur;
    cur->resume = 0;          // its context is saved here (as in run)
    c->cur = 0;
    swtch(&cur->ctx, &c->idle_ctx);
  }
}

// Give the hart to a runnable thread of the same or higher priority, if any.
void sched_yield(void) {
  struct thread *cur = curthread();
  if (runq_top_prio() < cur->prio)
    return;
  cur->state = T_RUNNABLE;
  rq_push(cur);
  sched_block();
}

uint64 stat_idle(void) {
  uint64 n = 0;
  for (int i = 0; i < NCPU; i++)
    n += cpus[i].idle_insns;
  return n;
}

uint64 stat_ipi(void) {
  uint64 n = 0;
  for (int i = 0; i < NCPU; i++)
    n += cpus[i].nipi;
  return n;
}

// An idle hart that other harts can hand work to watches its wake flag for up to
// IDLE_POLL_US before it waits in wfi, without the lock: waking a hart from wfi costs
// an IPI (SBI calls on both sides) and, under QEMU, the wake-up of a host thread,
// about 25 us measured, more than the gap between the messages of two tasks talking
// across harts. wake_idle sends no IPI to a hart that is watching. Returns 1 when
// woken (or an interrupt is pending), 0 if the hart should wait in wfi.
#define IDLE_POLL_US 30
static int idle_poll(struct cpu *c) {
  if (ncpu < 2)
    return 0;                 // one hart: only an interrupt brings work, and wfi waits for it
  __atomic_store_n(&c->polling, 1, __ATOMIC_SEQ_CST);
  uint64 end = r_time() + IDLE_POLL_US * timebase / 1000000;
  while (!c->wake && !(csrr(sip) & csrr(sie)) && r_time() < end)
    ;
  __atomic_store_n(&c->polling, 0, __ATOMIC_SEQ_CST);
  return __atomic_load_n(&c->wake, __ATOMIC_SEQ_CST) || (csrr(sip) & csrr(sie)) != 0;
}

// Each hart's idle loop, on its boot stack.
void scheduler(void) {
  struct cpu *c = mycpu();
  bkl_acquire();
  for (;;) {
    struct thread *t = rq_pop();
    if (t) {
      timer_busy();
      c->cur = t;
      t->state = T_RUNNING;
      vm_switch(t->task);
      swtch(&c->idle_ctx, run_ctx(t));
      continue;
    }
    vm_switch(0);
    timer_idle();
    c->idle = 1;
    bkl_release();
    if (!idle_poll(c)) {
      // Under -icount,sleep=off QEMU jumps time (and instret) over a wfi to the next
      // timer deadline: count what passes here, so benchmarks can subtract it.
      uint64 i0 = r_instret();
      wfi();            // interrupts stay off: wfi returns when one is pending
      c->idle_insns += r_instret() - i0;
    }
    bkl_acquire();
    c->idle = 0;
    c->wake = 0;
    if (csrr(sip) & SIE_STIE)
      prof_idle();
    intr_poll();
  }
}

// Sleep in the kernel (kernel-answered handlers). Returns 0 when woken, E_INTR if the
// thread is being stopped: the caller must then unwind and return.
int sleep_until(void *chan, uint64 deadline) {
  struct thread *cur = curthread();
  if (cur->stopping)
    return E_INTR;
  return sleep_hard(chan, deadline);
}

static uint64 next_wake;      // no sleeper's deadline is before this (sleep_timeouts)

// A sleep that a stop does not cut short (waiting for a device mid-transfer).
int sleep_hard(void *chan, uint64 deadline) {
  struct thread *cur = curthread();
  cur->chan = chan;
  cur->wake_at = deadline;
  if (deadline && deadline < next_wake)
    next_wake = deadline;
  cur->state = T_SLEEP;
  sched_block();
  cur->chan = 0;
  cur->wake_at = 0;
  return cur->stopping ? E_INTR : 0;
}

void sleep(void *chan) { sleep_until(chan, 0); }

void wakeup(void *chan) {
  if (!chan)
    return;                   // a sleep on no channel waits for its deadline only
  for (int i = 0; i < NTHREAD; i++)
    if (threads[i].state == T_SLEEP && threads[i].chan == chan)
      make_runnable(&threads[i]);
}

// Called from the tick: wake sleepers whose deadline passed. Most ticks find none
// due, so the scan of every thread waits for the earliest deadline (next_wake, never
// later than it: a sleeper woken early leaves it behind, and the next scan moves it on).
void sleep_timeouts(uint64 now) {
  if (now < next_wake)
    return;
  next_wake = ~0ULL;
  for (int i = 0; i < NTHREAD; i++) {
    struct thread *t = &threads[i];
    if (t->state != T_SLEEP || !t->wake_at)
      continue;
    if (now >= t->wake_at)
      make_runnable(t);
    else if (t->wake_at < next_wake)
      next_wake = t->wake_at;
  }
}

static void thread_entry(void) { usertrapret(); }

// A new thread of task, ready to enter user mode at tf->epc once set up. None for a
// task being killed (nothing of it may run again) or holding TASK_NTHREAD already.
struct thread *thread_alloc(struct task *task, int prio) {
  if (task->exiting || task->nthreads >= TASK_NTHREAD)
    return 0;
  for (int i = 0; i < NTHREAD; i++) {
    struct thread *t = &threads[i];
    if (t->state != T_FREE)
      continue;
    uint32 gen = t->gen + 1;
    uint64 calls = t->call_token & ((1UL << 48) - 1);   // call numbers go on (call_token)
    memset(t, 0, (uint64)&t->kstack - (uint64)t);
    t->id = i;
    t->gen = gen;
    t->call_token = CALL_TOKEN(i + 1, calls);
    t->handle = HANDLE(i + 1, gen);
    t->task = task;
    t->prio = prio < 0 ? 0 : prio >= NPRIO ? NPRIO - 1 : prio;
    t->tf = (struct trapframe *)((uint64)(t->kstack + KSTACK_SIZE - sizeof(struct trapframe)) & ~15UL);
    memset(t->tf, 0, sizeof *t->tf);
    t->tf->satp = task->satp;
    t->ctx.ra = (uint64)thread_entry;
    t->ctx.sp = (uint64)t->tf;
    t->state = T_STOPPED;     // until started
    task->nthreads++;
    return t;
  }
  return 0;
}
