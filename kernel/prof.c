// The profiler (make profile; boot argument profile=NAME). While a task named NAME
// lives, the timer ticks at PROF_HZ and each tick records where its hart was: the
// user pc and task it interrupted, "idle" (waiting in wfi) or "kernel". The kernel
// runs with interrupts off, so a tick that falls due in the kernel is taken only
// later; a tick taken more than PROF_SLACK time units after its deadline therefore
// counts as kernel time (no kernel function: the pc is long gone; mk/profile.py counts
// the kernel's functions exactly from QEMU's log instead, see prof_window). When NAME's
// task is freed the counts are printed, one "prof:" line per (task, pc), and
// mk/profile.py symbolises them. Without profile= nothing here runs.
#include "kernel.h"

#define PROF_SLOTS 4096        // distinct (task, pc) pairs kept; more count as lost
#define PROF_NAMES 32          // distinct tasks named in one profile
#define PROF_SLACK 2           // time units (100 ns each on QEMU virt) a tick may be late

static char target[16];        // profile=NAME; "" = off
int prof_on;                   // NAME's task lives: sample (timer.c ticks faster)
static struct { uint64 pc; uint32 count; uint16 who; } slot[PROF_SLOTS];
static struct { uint64 badge; char name[16]; } names[PROF_NAMES];
static int nnames;
static uint64 nsamples, nidle, nkernel, nlost;

void prof_init(void) {
  bootarg("profile", target, sizeof target, "");
}

// Index of a task in names[] (its badge tells a reused slot apart), or -1.
static int who(struct task *t) {
  for (int i = 0; i < nnames; i++)
    if (names[i].badge == t->badge)
      return i;
  if (nnames == PROF_NAMES)
    return -1;
  names[nnames].badge = t->badge;
  safestrcpy(names[nnames].name, t->name, sizeof names[nnames].name);
  return nnames++;
}

static void count(struct task *t, uint64 pc) {
  int w = who(t);
  if (w < 0) {
    nlost++;
    return;
  }
  // Open addressing on pc: a profile has a few thousand distinct pcs at most.
  for (uint64 i = 0, h = (pc >> 1) * 2654435761u; i < PROF_SLOTS; i++) {
    uint64 k = (h + i) % PROF_SLOTS;
    if (slot[k].count && (slot[k].pc != pc || slot[k].who != w))
      continue;
    slot[k].pc = pc;
    slot[k].who = w;
    slot[k].count++;
    return;
  }
  nlost++;
}

// A tick's deadline: was it taken late, i.e. did it fall due while in the kernel?
static int late(void) {
  uint64 due = mycpu()->next_tick;
  return due && r_time() > due + PROF_SLACK;
}

// A tick: in user mode at pc in task t, or on an idle hart (t 0), unless it fell due
// while the hart was in the kernel.
static void sample(struct task *t, uint64 pc) {
  if (!prof_on)
    return;
  nsamples++;
  if (late())
    nkernel++;
  else if (t)
    count(t, pc);
  else
    nidle++;
}

// A timer interrupt taken in user mode at pc, in task t (trap.c).
void prof_user(struct task *t, uint64 pc) { sample(t, pc); }

// A timer interrupt noticed by an idle hart after wfi (sched.c).
void prof_idle(void) { sample(0, 0); }

// Called once as the profile starts and once as it ends, and nowhere else: the kernel's
// own functions are counted exactly, outside the guest, by mk/profile.py from QEMU's
// log of executed blocks, between the first two executions of this function.
__attribute__((noinline)) void prof_window(void) {
  asm volatile("" ::: "memory");
}

// Task t was made (1) or freed (0): profile the life of the task named profile=.
void prof_task(struct task *t, int made) {
  if (!target[0] || strncmp(t->name, target, sizeof target) != 0)
    return;
  if (made && !prof_on) {
    prof_on = 1;
    prof_window();
    timer_rearm();
    kprintf("prof: start %s, %d Hz\n", target, PROF_HZ);
    return;
  }
  if (made || !prof_on)
    return;
  prof_on = 0;
  prof_window();
  kprintf("prof: samples %d idle %d kernel %d lost %d\n", (int)nsamples, (int)nidle,
          (int)nkernel, (int)nlost);
  for (int i = 0; i < nnames; i++)
    kprintf("prof: task %d %s\n", i, names[i].name);
  for (int k = 0; k < PROF_SLOTS; k++)
    if (slot[k].count)
      kprintf("prof: %d %p %d\n", slot[k].who, slot[k].pc, (int)slot[k].count);
  kprintf("prof: end\n");
  target[0] = 0;               // one profile a boot
}
