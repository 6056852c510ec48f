// Boot: the first hart prints the banner, sets up memory, traps, the interrupt
// controller and the timer, starts the boot tasks and the other harts, then
// every hart enters the scheduler.
#include "kernel.h"

__attribute__((aligned(16))) char bootstacks[BOOTSTACK * NCPU];
uint64 ram_end, kpool_end;
int ncpu = 1;
extern char _end[];   // end of the image, symbol table included
void _secondary(void);
void kvm_enable(void);

static void set_cpu(uint64 hartid) {
  struct cpu *c = &cpus[hartid];
  c->id = hartid;
  asm volatile("mv tp, %0" :: "r"(c));
}

static uint64 parse_ms(const char *s) {
  // seconds with an optional fraction: "12" or "2.5"
  uint64 ms = 0, frac = 0, scale = 1000;
  for (; *s >= '0' && *s <= '9'; s++)
    ms = ms * 10 + (*s - '0');
  ms *= 1000;
  if (*s == '.')
    for (s++; *s >= '0' && *s <= '9' && scale > 1; s++)
      frac += (*s - '0') * (scale /= 10);
  return ms + frac;
}

void start(uint64 hartid, uint64 dtb) {
  set_cpu(hartid);
  sbi_probe();               // first: the console may need the debug console extension
  kprintf("mv6 microkernel, boot hart %d\n", (int)hartid);
  fdt_parse(dtb);
  ram_end = fdt_mem_end ? fdt_mem_end : RAMBASE + (128UL << 20);
  if (ram_end > RAMBASE + (1UL << 30))
    ram_end = RAMBASE + (1UL << 30);     // the kernel's identity gigapage
  uint64 pool = PGROUNDUP((uint64)_end);
  kpool_end = pool + KPOOL_SIZE;
  kinit(pool, kpool_end);
  kvm_init();
  kvm_enable();
  trap_init_hart();
  plic_init();
  timer_init_hart();
  char buf[16];
  if (bootarg("watchdog", buf, sizeof buf, 0))
    watchdog_at = now_ns() + parse_ms(buf) * 1000000UL;
  if (bootarg("trace", buf, sizeof buf, 0) && strncmp(buf, "ipc", 4) == 0)
    ipc_trace = 1;                       // make trace: log IPC from the start
  prof_init();
  misaligned_probe();
  kprintf("memory: %d MiB, %d KiB kernel pool, user memory from %p\n",
          (int)((ram_end - RAMBASE) >> 20), (int)(KPOOL_SIZE >> 10), kpool_end);
  bkl_acquire();
  boot_tasks();
  extern volatile int boot_done, late_harts;
  ncpu += late_harts;                    // let into _entry by the firmware (entry.S)
  for (int h = 0; h < NCPU; h++)
    if (h != (int)hartid && sbi_hart_start(h, (uint64)_secondary, 0) == 0)
      ncpu++;
  ncpu_ids = NCPU;                       // hart ids need not be dense; cpus[] has room for all
  __sync_synchronize();
  boot_done = 1;
  kprintf("%d hart%s, sbi:%s%s%s%s%s%s, misaligned accesses %s\n", ncpu, ncpu > 1 ? "s" : "",
          has_time ? " time" : "", has_ipi ? " ipi" : "", has_hsm ? " hsm" : "", has_srst ? " srst" : "",
          has_rfence ? " rfence" : "", has_dbcn ? " dbcn" : "", misaligned_fast ? "used" : "avoided (slow here)");
  bkl_release();
  scheduler();
}

void start_secondary(uint64 hartid) {
  set_cpu(hartid);
  kvm_enable();
  trap_init_hart();
  timer_init_hart();
  scheduler();
}
