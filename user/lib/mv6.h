// mv6's own user API: IPC and kernel mechanism (see kernel/abi.h for the registers).
// xv6's API is in user/user.h; both may be included.
#pragma once
#include "kernel/types.h"
#include "kernel/abi.h"

// A message: a tag (label, buffer rights, buffer length), four words, and on
// receipt the sender's badge.
struct msg {
  uint64 tag;
  uint64 w[4];
  uint64 badge;
};

#define msg_label(m) TAG_LABEL((m)->tag)

static inline int64 syscall7(uint64 n, uint64 a0, uint64 a1, uint64 a2, uint64 a3, uint64 a4,
                             uint64 a5, uint64 a6) {
  register uint64 r0 asm("a0") = a0, r1 asm("a1") = a1, r2 asm("a2") = a2, r3 asm("a3") = a3;
  register uint64 r4 asm("a4") = a4, r5 asm("a5") = a5, r6 asm("a6") = a6, r7 asm("a7") = n;
  asm volatile("ecall" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6)
               : "r"(r7) : "memory", "t1", "t2", "t3", "t4", "t5", "t6");
  return r0;
}
#define sys0(n) syscall7(n, 0, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) syscall7(n, (uint64)(a), 0, 0, 0, 0, 0, 0)
#define sys2(n, a, b) syscall7(n, (uint64)(a), (uint64)(b), 0, 0, 0, 0, 0)
#define sys3(n, a, b, c) syscall7(n, (uint64)(a), (uint64)(b), (uint64)(c), 0, 0, 0, 0)
#define sys4(n, a, b, c, d) syscall7(n, (uint64)(a), (uint64)(b), (uint64)(c), (uint64)(d), 0, 0, 0)
#define sys5(n, a, b, c, d, e) syscall7(n, (uint64)(a), (uint64)(b), (uint64)(c), (uint64)(d), (uint64)(e), 0, 0)

// One IPC system call carrying a message in registers and receiving one back.
static inline int64 ipc_syscall(uint64 n, uint64 h, struct msg *m, uint64 a6) {
  register uint64 r0 asm("a0") = h, r1 asm("a1") = m->tag, r2 asm("a2") = m->w[0];
  register uint64 r3 asm("a3") = m->w[1], r4 asm("a4") = m->w[2], r5 asm("a5") = m->w[3];
  register uint64 r6 asm("a6") = a6, r7 asm("a7") = n;
  asm volatile("ecall" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6)
               : "r"(r7) : "memory", "t1", "t2", "t3", "t4", "t5", "t6");
  m->tag = r1;
  m->w[0] = r2;
  m->w[1] = r3;
  m->w[2] = r4;
  m->w[3] = r5;
  m->badge = r6;
  return r0;
}

// call: send m (with buf offered as the tag says), wait for the reply into m. 0 or error.
static inline int64 ipc_call(uint64 ep, struct msg *m, void *buf) { return ipc_syscall(SYS_call, ep, m, (uint64)buf); }
// send: deliver m and go on (blocks until a receiver takes it). 0 or error.
static inline int64 ipc_send(uint64 ep, struct msg *m) { struct msg c = *m; return ipc_syscall(SYS_send, ep, &c, 0); }
// recv: the next message or notification (label L_NOTIFY) into m. Returns the reply
// token (> 0) if the sender waits for a reply, 0 if not, or an error.
static inline int64 ipc_recv(uint64 ep, struct msg *m) {
  *m = (struct msg){0};
  return ipc_syscall(SYS_recv, ep, m, 0);
}
// reply: answer the caller named by token (now or later); never blocks.
static inline int64 ipc_reply(uint64 token, struct msg *m) { struct msg c = *m; return ipc_syscall(SYS_reply, token, &c, 0); }
// reply_recv: answer token (0: nobody) with m, then receive the next message into m.
static inline int64 ipc_reply_recv(uint64 ep, uint64 token, struct msg *m) { return ipc_syscall(SYS_reply_recv, ep, m, token); }

// ipc_call, and when the server's copy found a page of buf not present yet
// (E_NOTPRESENT), fault the pages in and try once more (ipc.c).
int64 ipc_call_buf(uint64 ep, struct msg *m, void *buf);
// The length of the string at s if it ends within max bytes, read only after our pager
// made each of its pages present (fault_in): -1 if it is longer, or not our memory.
int64 user_strlen(const char *s, uint64 max);

static inline int64 ipc_notify(uint64 ep, uint64 bits) { return sys2(SYS_notify, ep, bits); }
// Bulk copy from/to the buffer the caller of token offered. Bytes copied or error.
static inline int64 ipc_copy_from(uint64 token, uint64 off, void *dst, uint64 len) { return sys4(SYS_copy_from, token, off, dst, len); }
static inline int64 ipc_copy_to(uint64 token, uint64 off, const void *src, uint64 len) { return sys4(SYS_copy_to, token, off, src, len); }
static inline int64 ep_create(void) { return sys0(SYS_ep_create); }
static inline int64 ep_destroy(uint64 ep) { return sys1(SYS_ep_destroy, ep); }
static inline int64 alarm_ns(uint64 ep, uint64 bits, uint64 ns) { return sys3(SYS_alarm, ep, bits, ns); }

static inline int64 debug_write(const void *buf, uint64 n) { return sys2(SYS_debug_write, buf, n); }
static inline int64 debug_dump(void) { return sys0(SYS_debug_dump); }
static inline int64 ipc_tracing(int on) { return sys1(SYS_trace, on); }
static inline uint64 time_ns(void) { return sys0(SYS_time); }
static inline uint64 self_badge(void) { return sys0(SYS_self); }
static inline int64 kstat(int what) { return sys1(SYS_stat, what); }
static inline int64 get_bootinfo(struct bootinfo *bi) { return sys2(SYS_bootinfo, bi, sizeof *bi); }
// key=value (or a bare key) on the kernel command line bi.bootargs (ulib.c)
int bootarg(const char *args, const char *key, char *out, int n);
static inline void yield(void) { sys0(SYS_yield); }

// privileged mechanism
static inline int64 task_create(const char *name, uint64 fault_ep) { return sys2(SYS_task_create, name, fault_ep); }
static inline int64 task_kill(uint64 task) { return sys1(SYS_task_kill, task); }
static inline int64 task_find(const char *name) { return sys1(SYS_task_find, name); }
static inline int64 page_map(uint64 task, uint64 va, uint64 pa, int perm) { return sys4(SYS_map, task, va, pa, perm); }
static inline int64 page_unmap(uint64 task, uint64 va) { return sys2(SYS_unmap, task, va); }
static inline int64 irq_route(int irq, uint64 ep, uint64 bits) { return sys3(SYS_irq_route, irq, ep, bits); }
static inline int64 irq_ack(int irq) { return sys1(SYS_irq_ack, irq); }
static inline int64 mmio_map(uint64 va, uint64 pa, uint64 len) { return sys3(SYS_mmio_map, va, pa, len); }
static inline void poweroff(int code) { sys1(SYS_poweroff, code); }
static inline int64 task_watch(uint64 task, uint64 ep, uint64 bits) { return sys3(SYS_task_watch, task, ep, bits); }
static inline int64 task_alive(uint64 task) { return sys1(SYS_task_alive, task); }
static inline int64 respawn(const char *name) { return sys1(SYS_respawn, name); }
static inline int64 ep_owner(uint64 ep) { return sys1(SYS_ep_owner, ep); }
// Have our pager make the page at va present (writable, if write), as a fault there
// would, but a refusal gives E_INVAL instead of killing us.
static inline int64 fault_in(const void *va, int write) { return sys2(SYS_fault_in, va, write); }
static inline int64 thread_start(uint64 task, uint64 pc, uint64 sp, uint64 arg, int prio) { return sys5(SYS_thread_start, task, pc, sp, arg, prio); }

// threads (thread.c): run fn(arg) on a new thread of this task with the given stack.
int64 thread_create(void (*fn)(void *), void *arg, void *stack, uint64 stacksize, int prio);
static inline void thread_exit(void) { sys0(SYS_thread_exit); }

// A lock among the threads of one task (thread.c). A waiter blocks in ipc_recv on the
// lock's own endpoint until a release notifies it, so it never keeps a thread of lower
// priority from running (a spinning waiter could starve the thread the holder waits
// for). held: 0 free, 1 held, 2 held and maybe waited for (then a release notifies).
struct tlock {
  uint64 held;                  // a whole word: RV64's amoswap.d needs no sign extension after it
  int64 ep;                     // from tlock_init: where waiters sleep
};
int tlock_init(struct tlock *l);
void tlock_wait(struct tlock *l);
void tlock_wake(struct tlock *l);
static inline void tlock_acquire(struct tlock *l) {
  if (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
    tlock_wait(l);
}
static inline void tlock_release(struct tlock *l) {
  if (__atomic_exchange_n(&l->held, 0, __ATOMIC_RELEASE) == 2)
    tlock_wake(l);
}

// The boot table's argument for this task.
extern uint64 task_arg;
// The arguments main got: 0 in a boot task, which is not a process (exec gives a
// process an argv, even an empty one).
extern char **task_argv;
// A short name for an error code.
const char *errstr(int64 e);
