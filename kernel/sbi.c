// Calls into the SBI firmware (OpenSBI): console output, timer, IPIs, hart start,
// remote fences and power-off. Newer extensions are used only after probing.
#include "kernel.h"

#define EXT_BASE   0x10
#define EXT_TIME   0x54494D45
#define EXT_IPI    0x735049
#define EXT_RFENCE 0x52464E43
#define EXT_HSM    0x48534D
#define EXT_SRST   0x53525354
#define EXT_DBCN   0x4442434E      // debug console (SBI 2.0)
#define DBCN_WRITE_BYTE 2
#define LEGACY_PUTCHAR  0x01
#define LEGACY_SHUTDOWN 0x08

int has_srst, has_hsm, has_ipi, has_time, has_rfence, has_dbcn;

struct sbiret { int64 error; uint64 value; };

static struct sbiret sbi_call(uint64 ext, uint64 fid, uint64 a0, uint64 a1, uint64 a2) {
  register uint64 r0 asm("a0") = a0;
  register uint64 r1 asm("a1") = a1;
  register uint64 r2 asm("a2") = a2;
  register uint64 r6 asm("a6") = fid;
  register uint64 r7 asm("a7") = ext;
  asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
  return (struct sbiret){(int64)r0, r1};
}

static int probe(uint64 ext) {
  struct sbiret r = sbi_call(EXT_BASE, 3, ext, 0, 0);
  return r.error == 0 && r.value != 0;
}

void sbi_probe(void) {
  has_time = probe(EXT_TIME);
  has_ipi = probe(EXT_IPI);
  has_rfence = probe(EXT_RFENCE);
  has_hsm = probe(EXT_HSM);
  has_srst = probe(EXT_SRST);
  has_dbcn = probe(EXT_DBCN);
}

// The debug console where the firmware has one (OpenSBI 1.3 and newer; one built
// without the legacy extensions has nothing else), else the legacy putchar (OpenSBI
// 1.1 and 1.2). start() probes before its first line.
void sbi_putchar(int c) {
  if (has_dbcn)
    sbi_call(EXT_DBCN, DBCN_WRITE_BYTE, c & 0xff, 0, 0);
  else
    sbi_call(LEGACY_PUTCHAR, 0, c, 0, 0);
}

void sbi_set_timer(uint64 t) {
  if (has_time)
    sbi_call(EXT_TIME, 0, t, 0, 0);
  else
    sbi_call(0x00, 0, t, 0, 0);   // legacy set_timer
}

void sbi_send_ipi_mask(uint64 mask) {
  mycpu()->nipi++;
  if (has_ipi)
    sbi_call(EXT_IPI, 0, mask, 0, 0);
  else
    sbi_call(0x04, 0, (uint64)&mask, 0, 0);
}

void sbi_send_ipi(int hart) { sbi_send_ipi_mask(1UL << hart); }

int sbi_hart_start(int hart, uint64 addr, uint64 arg) {
  return has_hsm ? (int)sbi_call(EXT_HSM, 0, hart, addr, arg).error : -1;
}

// Flush every hart's TLB (after unmapping, or reusing an ASID).
void sbi_remote_sfence(void) {
  if (has_rfence)
    sbi_call(EXT_RFENCE, 1, 0, 0, 0);   // all harts, whole address space
  sfence_vma_all();
}

void sbi_poweroff(int fail) {
  if (has_srst)
    sbi_call(EXT_SRST, 0, 0, fail ? 1 : 0, 0);   // shutdown, reason: none / system failure
  sbi_call(LEGACY_SHUTDOWN, 0, 0, 0, 0);
  for (;;)
    wfi();
}
