// Time: a periodic tick on every hart drives preemption; any hart's tick fires due
// alarms, wakes timed sleepers and checks the watchdog. The Sstc extension
// (stimecmp) is used when a probe finds it, else the SBI timer call.
#include "kernel.h"

extern volatile int probing;
static int has_sstc;
uint64 watchdog_at;           // ns of guest time; 0 = off

// Time units between ticks: faster while profiling (prof.c).
static uint64 period(void) {
  return timebase / (prof_on ? PROF_HZ : TICK_HZ);
}

uint64 now_ns(void) {
  uint64 t = r_time();
  return t / timebase * 1000000000UL + t % timebase * 1000000000UL / timebase;
}

static void set_timer(uint64 t) {
  if (has_sstc)
    asm volatile("csrw 0x14d, %0" :: "r"(t));   // stimecmp
  else
    sbi_set_timer(t);
}

// Reads stimecmp once: an illegal-instruction trap (kerneltrap) means no Sstc.
static void probe_sstc(void) {
  probing = 1;
  asm volatile("csrr t0, 0x14d" ::: "t0", "memory");
  has_sstc = probing;
  probing = 0;
}

void timer_init_hart(void) {
  static int probed;
  if (!probed) {
    probe_sstc();
    probed = 1;
    kprintf("timer: %s, %d Hz tick\n", has_sstc ? "sstc" : "sbi", TICK_HZ);
  }
  struct cpu *c = mycpu();
  c->next_tick = r_time() + period();
  set_timer(c->next_tick);
}

// An idle hart needs no tick, except the boot hart, which keeps time for alarms,
// timeouts and the watchdog. Fewer wake-ups, and less contention for the big lock.
void timer_idle(void) {
  struct cpu *c = mycpu();
  if (c->id != plic_hart && c->next_tick) {
    c->next_tick = 0;
    set_timer(-1UL);
  }
}

// The tick rate changed (prof.c): this hart's next tick comes a new period from now,
// not at the old rate's deadline (other harts change at their next tick).
void timer_rearm(void) {
  struct cpu *c = mycpu();
  if (c->next_tick) {
    c->next_tick = r_time() + period();
    set_timer(c->next_tick);
  }
}

void timer_busy(void) {
  struct cpu *c = mycpu();
  if (!c->next_tick) {
    c->next_tick = r_time() + period();
    set_timer(c->next_tick);
  }
}

void timer_interrupt(void) {
  struct cpu *c = mycpu();
  uint64 t = r_time();
  if (!c->next_tick)
    return;
  c->next_tick += period();
  if (c->next_tick <= t)
    c->next_tick = t + period();
  set_timer(c->next_tick);
  uint64 now = now_ns();
  alarms_fire(now);
  sleep_timeouts(now);
  if (watchdog_at && now >= watchdog_at) {
    watchdog_at = 0;
    debug_dump("watchdog: time limit reached");
    sbi_poweroff(1);
  }
}
