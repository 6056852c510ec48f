// The kernel's objects (harts, threads, tasks, endpoints) and every kernel function,
// grouped by file: the whole kernel's surface on one page.
#pragma once
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "memlayout.h"
#include "abi.h"

// Registers saved on a trap from user mode, at the top of the thread's kernel stack.
// x1..x31 in order, so trapvec.S can use offset (n-1)*8 for register xn.
struct trapframe {
  uint64 ra, sp, gp, tp, t0, t1, t2, s0, s1;
  uint64 a0, a1, a2, a3, a4, a5, a6, a7;
  uint64 s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
  uint64 t3, t4, t5, t6;
  uint64 epc;                 // user pc
  struct cpu *cpu;            // this hart, loaded into tp on entry
  uint64 satp;                // its task's address space (fast_exit loads it)
};

// Callee-saved registers for swtch().
struct context {
  uint64 ra, sp, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
};

struct cpu {
  struct thread *cur;         // running thread, or 0 when idle
  struct context idle_ctx;    // swtch() here to idle
  int id;                     // hart id
  int idle;                   // waiting in wfi
  uint64 satp;                // what this hart loaded in satp last (vm_switch, fast_exit)
  uint64 nfast;               // IPC fast-path hand-offs on this hart
  uint64 next_tick;           // time of this hart's next timer interrupt; 0 = stopped (idle)
  uint64 idle_insns;          // instret that passed while idle in wfi (STAT_IDLE)
  uint64 nipi;                // IPIs this hart sent (STAT_IPI)
  volatile int polling;       // idle, watching for a wake-up before wfi (sched.c)
  volatile int wake;          // idle: told to look at the run queues (sched.c)
  volatile int user;          // runs cur in user mode: set under the lock just before
                              // returning there, cleared at the next trap before locking
};

enum tstate { T_FREE, T_RUNNABLE, T_RUNNING, T_SEND, T_RECV, T_REPLY, T_SLEEP, T_STOPPED };

struct thread {
  enum tstate state;
  int id;                     // slot in thread[]
  uint32 gen;                 // bumped when the slot is reused: stale ids fail
  int prio;
  struct task *task;
  struct context ctx;
  struct trapframe *tf;       // top of kstack
  struct thread *next;        // run queue or endpoint queue link
  struct endpoint *ep;        // endpoint this thread waits on (T_SEND/T_RECV)
  int is_call;                // T_SEND: wants a reply
  struct task *reply_from;    // T_REPLY: the task allowed to answer
  uint64 buf, buftag;         // T_REPLY: buffer offered with the call, and its tag (length, rights)
  uint64 handle;              // names this thread (slot + 1, generation): thread_stop
  uint64 call_token;          // names its latest call (CALL_TOKEN: slot + 1, call number): replies, copies
  void *chan;                 // T_SLEEP: what it sleeps on
  uint64 wake_at;             // T_SLEEP: deadline (ns of guest time), 0 = none
  int stopping;               // asked to stop; kernel sleeps return E_INTR
  int fault_call;             // the pending call is a fault: the reply resumes or kills
  uint64 msg_tag, msg_w[4];   // T_SEND: the message to deliver
  int64 ipc_ret;              // what the blocked IPC system call returns in a0
  struct ksub *ksub;          // the kernel-hosted subsystem it runs in (khost.h), or 0
  void (*resume)(void);       // blocked on the IPC fast path, which leaves no kernel context:
                              // where it resumes if the scheduler runs it (sched.c, run_ctx)
  __attribute__((aligned(16))) char kstack[KSTACK_SIZE];
};

struct task {
  int used;
  int id;
  uint32 gen;
  uint64 badge;               // slot | generation << 16: what receivers see
  uint64 satp;                // this address space, with its ASID
  char name[16];
  pagetable_t pt;
  int rights;                 // R_* (abi.h): the privileged calls it may make (boot table)
  uint64 fault_ep;            // faults become calls to this endpoint; 0 = kill
  uint64 watch_ep, watch_bits;// notified when the task dies
  int nthreads;
  int exiting;
  int bootrun;                // a boot task: 1 + its row in boot.c's runs (for respawn); 0: not one
  int exit_status;
};

// An endpoint is answered either by its owner task's threads (recv) or, when `ksub`
// is set, by a kernel-hosted subsystem on the caller's own kernel stack (khost.c).
struct kreq;
struct ksub;

struct endpoint {
  uint32 gen;                 // 0 = never used
  int live;
  struct task *owner;
  struct ksub *ksub;                   // kernel-answered: the subsystem that answers
  struct thread *sendq, *sendq_tail;   // senders and callers waiting for a receiver
  struct thread *recvq;                // owner threads waiting in recv
  uint64 bits;                         // pending notification bits
  uint64 handle;                       // its handle while live, else 0 (fastpath.c: one compare)
} __attribute__((aligned(64)));        // a power of two: cheap indexing on the fast path

#define TASK_BADGE(t) ((t)->badge)
#define THREAD_HANDLE(th) ((th)->handle)

// Functions that must be inlined on the IPC fast path.
#define INLINE static inline __attribute__((always_inline))

// ---- globals ----
extern struct cpu cpus[NCPU];
extern struct thread threads[NTHREAD];
extern struct task tasks[NTASK];
extern struct endpoint endpoints[NEP];
extern int ncpu;
extern int ncpu_ids;
extern uint64 timebase;
extern char bootargs[128];
extern uint64 ram_end;
extern uint64 kpool_end;     // user memory starts here

INLINE struct cpu *mycpu(void) { return (struct cpu *)r_tp(); }
INLINE struct thread *curthread(void) { return mycpu()->cur; }

// entry.S / trapvec.S / swtch.S
void trapvec(void);
void userret(struct trapframe *tf) __attribute__((noreturn));
void swtch(struct context *old, struct context *new);

// lock.c: the big kernel lock, held whenever a hart runs kernel code outside idle
// The lock word and the harts sleeping for it, side by side (trapvec.S's fast_exit
// reads both from one address).
struct bkl {
  volatile int held;
  volatile uint64 waiters;    // harts sleeping in bkl_wait
};
extern struct bkl bkl;
void bkl_wait(void);

INLINE void bkl_acquire(void) {
  if (__atomic_exchange_n(&bkl.held, 1, __ATOMIC_ACQUIRE))
    bkl_wait();
}

void sbi_send_ipi_mask(uint64 mask);
INLINE void bkl_release(void) {
  __atomic_store_n(&bkl.held, 0, __ATOMIC_RELEASE);
  __sync_synchronize();
  if (bkl.waiters)
    sbi_send_ipi_mask(bkl.waiters);     // wake the sleepers (lock.c)
}

// sbi.c
void sbi_putchar(int c);
void sbi_set_timer(uint64 t);
void sbi_send_ipi(int hart);
void sbi_poweroff(int fail) __attribute__((noreturn));
int sbi_hart_start(int hart, uint64 addr, uint64 arg);
void sbi_remote_sfence(void);
void sbi_probe(void);
extern int has_srst, has_hsm, has_ipi, has_time, has_rfence, has_dbcn;

// printf.c
void printf(const char *fmt, ...);
void kprintf(const char *fmt, ...);      // "[kernel] " prefix, whole line under the print lock
void panic(const char *fmt, ...) __attribute__((noreturn));
void panic_at(uint64 fp, const char *fmt, ...) __attribute__((noreturn));
void print_lock(void);
void print_unlock(void);
void backtrace(uint64 fp);

// fdt.c
void fdt_parse(uint64 dtb);
extern uint64 fdt_mem_end;

// kalloc.c: the kernel pool (page tables)
void kinit(uint64 start, uint64 end);
void *kalloc(void);
void kfree(void *pa);
uint64 kfree_count(void);

// vm.c
void kvm_init(void);
pagetable_t pt_create(void);
void pt_destroy(pagetable_t pt);
pte_t *pt_walk(pagetable_t pt, uint64 va, int alloc);
int pt_map(pagetable_t pt, uint64 va, uint64 pa, int perm);
int pt_unmap(pagetable_t pt, uint64 va);
int uaccess_check(pagetable_t pt, uint64 va, uint64 len, int write);
int copy_between(pagetable_t dpt, uint64 dva, pagetable_t spt, uint64 sva, uint64 len);
int copyin(pagetable_t pt, void *dst, uint64 va, uint64 len);
int copyout(pagetable_t pt, uint64 va, const void *src, uint64 len);
int copyinstr(pagetable_t pt, char *dst, uint64 va, uint64 max);
extern pagetable_t kernel_pt;

// trap.c
void trap_init_hart(void);
void usertrap(struct trapframe *tf);
void usertrapret(void) __attribute__((noreturn));
void usertrap_ecall(struct trapframe *tf) __attribute__((noreturn));
void kerneltrap(uint64 *regs);
void intr_poll(void);

// plic.c
void plic_init(void);
void plic_enable(int irq, int on);
int plic_claim(void);
void plic_complete(int irq);
extern int plic_hart;

// timer.c
void timer_init_hart(void);
void timer_interrupt(void);
void timer_idle(void);
void timer_busy(void);
void timer_rearm(void);

// prof.c
void prof_init(void);
void prof_user(struct task *t, uint64 pc);
void prof_idle(void);
void prof_task(struct task *t, int made);
extern int prof_on;
uint64 now_ns(void);
extern uint64 watchdog_at;

// sched.c
void scheduler(void) __attribute__((noreturn));
uint64 stat_idle(void);
uint64 stat_ipi(void);
void make_runnable(struct thread *t);
void kick_others(void);

void sched_block(void);
void sched_yield(void);
int switch_to(struct thread *t);
void sleep(void *chan);
int sleep_until(void *chan, uint64 deadline);
int sleep_hard(void *chan, uint64 deadline);
void sleep_timeouts(uint64 now);
void wakeup(void *chan);
struct thread *thread_alloc(struct task *task, int prio);

// task.c
struct task *task_alloc(const char *name);
struct task *task_lookup(uint64 badge, int *err);
void task_kill(struct task *t, const char *why);
void thread_stop(struct thread *t);
struct thread *thread_start(struct task *tk, uint64 pc, uint64 sp, uint64 arg, int prio);
void thread_exit(void) __attribute__((noreturn));
void task_exit(int status) __attribute__((noreturn));
void stop_check(void);

// ipc.c
struct endpoint *ep_lookup(uint64 h, int *err);
struct endpoint *ep_alloc(struct task *owner, int slot);
uint64 ep_handle(struct endpoint *ep);
void ep_kill(struct endpoint *ep);
void ep_notify(struct endpoint *ep, uint64 bits);
int64 ipc_send(uint64 h, int is_call);
int64 ipc_send_msg(struct thread *cur, struct endpoint *ep);
int64 ipc_recv(uint64 h);
int64 ipc_reply(uint64 token, struct trapframe *src);
int64 ipc_reply_recv(void);
void ipc_deliver(struct thread *from, struct thread *to);
int64 bulk_copy(uint64 token, uint64 off, uint64 va, uint64 len, int to_caller);
void ipc_abort_thread(struct thread *t);
extern int ipc_trace;
extern uint64 stat_slow;
uint64 stat_fastpath(void);

// fastpath.c
void fastpath_call(uint64 h, uint64 tag, uint64 w0, uint64 w1, uint64 w2, uint64 w3, uint64 buf)
  __attribute__((noreturn));
void fastpath_reply_recv(uint64 h, uint64 tag, uint64 w0, uint64 w1, uint64 w2, uint64 w3, uint64 token)
  __attribute__((noreturn));
void general_path(uint64 a0, uint64 a1, uint64 a2, uint64 a3, uint64 a4, uint64 a5, uint64 a6)
  __attribute__((noreturn));
void fastpath_fault(struct thread *cur, struct endpoint *ep);

// syscall.c / sysmech.c
void syscall(struct trapframe *tf);
int64 sys_mech(struct thread *cur, struct trapframe *tf);

// fault.c
void user_fault(struct thread *t, uint64 scause, uint64 stval);
void fault_resume(void);
int fault_map(struct thread *t, struct thread *pager, uint64 va, uint64 pa, uint64 perm);
void fault_map_token(uint64 token, struct trapframe *tf);
int64 sys_fault_in(struct thread *t, struct trapframe *tf);

// boot.c
void boot_tasks(void);
const char *bootarg(const char *key, char *out, int n, const char *def);
extern uint64 user_mem_start;   // boot.c: the end of the boot tasks' frames
int64 boot_respawn(const char *name);

// debug.c
void debug_dump(const char *why);

// khost.c: kernel-answered endpoints (the rest of the kernel host is in khost.h)
int64 kep_call(struct endpoint *ep, struct thread *cur);
void kep_notify(struct endpoint *ep);

// irq.c: device interrupts, to an endpoint or an in-kernel handler
void irq_dispatch(int irq);
int irq_route(int irq, uint64 ep, uint64 bits);
int irq_ack(int irq);

// alarm.c
int alarm_arm(uint64 h, uint64 bits, uint64 ns);
int alarm_set(uint64 h, uint64 bits, uint64 ns);
void alarms_fire(uint64 now);

// string.c
void *memset(void *dst, int c, uint64 n);
void *memmove(void *dst, const void *src, uint64 n);
extern int misaligned_fast;      // memmove uses misaligned loads (misaligned_probe found them fast)
void misaligned_probe(void);
void *memcpy(void *dst, const void *src, uint64 n);
int memcmp(const void *a, const void *b, uint64 n);
int strncmp(const char *a, const char *b, uint64 n);
uint64 strlen(const char *s);
char *safestrcpy(char *dst, const char *src, int n);

// ---- small helpers used on the IPC fast path ----
extern uint32 rq_mask;      // sched.c: bit p set when priority p has runnable threads

INLINE int runq_top_prio(void) {
  int p = NPRIO - 1;
  if (!rq_mask)
    return -1;
  while (!(rq_mask & (1u << p)))
    p--;
  return p;
}

// The thread a handle (THREAD_HANDLE) names, if it still exists.
INLINE struct thread *handle_thread(uint64 h) {
  uint64 slot = (h & 0xffff) - 1, gen = h >> 16;
  if (slot >= NTHREAD || threads[slot].gen != gen || threads[slot].state == T_FREE)
    return 0;
  return &threads[slot];
}

// A reply token names one call, not a thread: the caller's slot + 1 (high bits, so a
// token is positive) and a call number that each delivered call moves on. The numbers
// are counted per slot and never go back (thread_alloc keeps them), so a token kept
// from an earlier call of the same thread (or of a thread that had its slot) answers
// nothing.
#define CALL_TOKEN(slot1, n) ((uint64)(slot1) << 48 | (n))
#define TOKEN_SLOT(token) (((token) >> 48) - 1)
INLINE uint64 call_token(struct thread *caller) {
  return ++caller->call_token;
}

// The thread whose latest call the token names, if it still exists.
INLINE struct thread *token_thread(uint64 token) {
  uint64 slot = TOKEN_SLOT(token);
  if (slot >= NTHREAD || threads[slot].call_token != token || threads[slot].state == T_FREE)
    return 0;
  return &threads[slot];
}

// Is [va, va+len) inside the user half?
INLINE int user_range(uint64 va, uint64 len) {
  return va < MAXUVA && len <= MAXUVA - va;
}

// Loads t's address space (0: the kernel's) unless this hart has it already: a
// satp write is slow on QEMU, which flushes its whole TLB on each. (Each live task
// has an ASID of its own, so equal satp values mean the same address space.)
INLINE void vm_switch(struct task *t) {
  struct cpu *c = mycpu();
  uint64 satp = t ? t->satp : MAKE_SATP(kernel_pt, 0);
  if (c->satp == satp)
    return;
  c->satp = satp;
  csrw(satp, satp);
}
