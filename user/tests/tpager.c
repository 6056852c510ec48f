// A test pager: the fault endpoint of the lazy task. It maps a zeroed frame for
// faults in 0x40000000..0x40010000 and refuses any other, then powers off.
#include "user/tests/testlib.h"

#define SCRATCH 0x60000000UL

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  EXPECT(get_bootinfo(&bi), sizeof bi);
  uint64 next = bi.mem_start;
  int served = 0, refused = 0;
  while (refused == 0) {
    struct msg m;
    int64 tok = ipc_recv(EP_TEST1, &m);
    if (tok <= 0 || msg_label(&m) != L_FAULT)
      continue;
    uint64 va = m.w[0] & ~4095UL;
    int ok = va >= 0x40000000 && va < 0x40010000;
    if (ok) {
      // zero the frame through a scratch mapping of our own, then give it away
      EXPECT(page_map(0, SCRATCH, next, MAP_R | MAP_W), 0);
      memset((void *)SCRATCH, 0, 4096);
      EXPECT(page_unmap(0, SCRATCH), 0);
      EXPECT(page_map(m.badge, va, next, MAP_R | MAP_W), 0);
      next += 4096;
      served++;
    } else {
      refused++;
    }
    m.tag = TAG(ok ? 0 : 1, 0, 0);
    ipc_reply(tok, &m);
  }
  sleep_ns(10000000);
  EXPECT(page_map(0, 0x40000000, 0x80200000, MAP_R), E_BADADDR);   // a kernel frame
  EXPECT(page_map(0, 0x40000000, 0x80000000, MAP_R), E_BADADDR);   // firmware
  EXPECT(page_map(0, 0x80000000, next, MAP_R), E_BADADDR);         // a kernel address
  printf("tpager: served %d faults, refused %d\n", served, refused);
  test_done("pager", 1);
  return 0;
}
