// Traps: system calls, faults and interrupts from user mode (usertrap; call and
// reply_recv try fastpath.c first), the way back
// (usertrapret), exceptions in the kernel (kerneltrap), and interrupt polling for
// idle harts. The kernel runs with interrupts off; they are taken in user mode or
// noticed by an idle hart's wfi.
#include "kernel.h"

static void intr(uint64 cause) {
  switch (cause) {
  case IRQ_S_TIMER:
    timer_interrupt();
    break;
  case IRQ_S_EXT:
    for (int irq; (irq = plic_claim()) != 0;)
      irq_dispatch(irq);
    break;
  case IRQ_S_SOFT:
    csrc(sip, SIE_SSIE);     // an IPI: just a reason to look at the run queues
    break;
  }
}

void trap_init_hart(void) {
  csrw(stvec, (uint64)trapvec);
  csrw(sscratch, 0);
  csrw(sie, SIE_SEIE | SIE_STIE | SIE_SSIE);
  csrw(scounteren, 7);       // user code may read cycle, time and instret
}

_Static_assert(__builtin_offsetof(struct cpu, user) == 176, "trapvec.S's CPU_USER");
_Static_assert(__builtin_offsetof(struct cpu, satp) == 128, "trapvec.S's CPU_SATP");
_Static_assert(__builtin_offsetof(struct trapframe, satp) == 33 * 8, "trapvec.S's TF_SATP");
_Static_assert(__builtin_offsetof(struct bkl, waiters) == 8, "trapvec.S's fast_exit");

// From trapvec.S (which cleared mycpu()->user and, for a system call, moved epc past
// the ecall).
void usertrap(struct trapframe *tf) {
  bkl_acquire();
  struct thread *cur = curthread();
  uint64 scause = csrr(scause);
  if (scause & SCAUSE_INTR) {
    if ((scause & ~SCAUSE_INTR) == IRQ_S_TIMER)
      prof_user(cur->task, tf->epc);
    intr(scause & ~SCAUSE_INTR);
    if (runq_top_prio() >= cur->prio)
      sched_yield();
  } else if (cur->stopping) {
    // Its task was killed while this hart waited for the lock: the system call or
    // fault is never acted on (it could make a thread, or touch memory already given
    // back), and usertrapret ends the thread.
  } else if (scause == EXC_ECALL_U) {
    syscall(tf);
  } else {
    user_fault(cur, scause, csrr(stval));
  }
  usertrapret();
}

// A system call the IPC fast path passed on (the lock is held, epc advanced); not
// made for a thread being stopped (see usertrap).
void usertrap_ecall(struct trapframe *tf) {
  if (!curthread()->stopping)
    syscall(tf);
  usertrapret();
}

void usertrapret(void) {
  stop_check();
  struct thread *cur = curthread();
  if (runq_top_prio() > cur->prio)
    sched_yield();
  csrc(sstatus, SSTATUS_SPP);        // to user mode, interrupts on there
  csrs(sstatus, SSTATUS_SPIE);
  cur->tf->cpu = mycpu();
  kick_others();
  mycpu()->user = 1;
  bkl_release();
  userret(cur->tf);
}

// Set while probing for an optional instruction or CSR: an illegal-instruction trap
// then skips it and clears the flag instead of panicking.
volatile int probing;

void kerneltrap(uint64 *regs) {
  uint64 scause = csrr(scause), sepc = csrr(sepc), stval = csrr(stval);
  if (scause == EXC_ILLEGAL && probing) {
    probing = 0;
    csrw(sepc, sepc + 4);
    return;
  }
  // regs[16] is s0 as trapvec.S saved it: the frame of the function that trapped
  panic_at(regs[16], "kernel trap: scause %p sepc %p stval %p", scause, sepc, stval);
}

// An idle hart woke from wfi: handle whatever is pending.
void intr_poll(void) {
  uint64 sip = csrr(sip);
  if (sip & SIE_STIE)
    intr(IRQ_S_TIMER);
  if (sip & SIE_SEIE)
    intr(IRQ_S_EXT);
  if (sip & SIE_SSIE)
    intr(IRQ_S_SOFT);
}
