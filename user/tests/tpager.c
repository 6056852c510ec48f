// A test pager: the fault endpoint of the lazy task. It maps a zeroed frame for
// faults in 0x40000000..0x40010000, the first with page_map and a resume, the others
// by the reply itself (FAULT_MAP: the second by SYS_reply, the rest by reply_recv);
// any other fault it answers with a FAULT_MAP of a kernel frame, which the kernel must
// refuse (and kill the task), then powers off. The refusal goes by reply_recv while
// the faulting thread waits, so the IPC fast path meets it first (and must pass it on).
#include "user/tests/testlib.h"

#define SCRATCH 0x60000000UL

int main(int argc, char *argv[]) {
  struct bootinfo bi;
  EXPECT(get_bootinfo(&bi), sizeof bi);
  uint64 next = bi.mem_start;
  int served = 0, refused = 0;
  struct msg m;
  int64 tok = ipc_recv(EP_TEST1, &m);
  while (refused == 0) {
    if (tok <= 0 || msg_label(&m) != L_FAULT) {
      tok = ipc_recv(EP_TEST1, &m);
      continue;
    }
    uint64 va = m.w[0] & ~4095UL;
    if (va < 0x40000000 || va >= 0x40010000) {
      int64 wake = ep_create();         // received on after the reply; an alarm ends the wait
      EXPECT(wake > 0 && alarm_ns(wake, 1, 10000000) == 0, 1);
      m.tag = TAG(FAULT_MAP, 0, 0);
      m.w[0] = va, m.w[1] = 0x80200000, m.w[2] = MAP_R;   // the kernel's text: refused
      EXPECT(ipc_reply_recv(wake, tok, &m), 0);           // 0: the alarm's notification
      refused++;
      break;
    }
    // zero the frame through a scratch mapping of our own, then give it away
    EXPECT(page_map(0, SCRATCH, next, MAP_R | MAP_W), 0);
    memset((void *)SCRATCH, 0, 4096);
    EXPECT(page_unmap(0, SCRATCH), 0);
    if (served == 0) {
      EXPECT(page_map(m.badge, va, next, MAP_R | MAP_W), 0);
      m.tag = TAG(0, 0, 0);
    } else {
      m.tag = TAG(FAULT_MAP, 0, 0);
      m.w[0] = va, m.w[1] = next, m.w[2] = MAP_R | MAP_W;
    }
    next += 4096;
    if (served++ == 1) {
      EXPECT(ipc_reply(tok, &m), 0);
      tok = ipc_recv(EP_TEST1, &m);
    } else {
      tok = ipc_reply_recv(EP_TEST1, tok, &m);
    }
  }
  sleep_ns(10000000);
  EXPECT(page_map(0, 0x40000000, 0x80200000, MAP_R), E_BADADDR);   // a kernel frame
  EXPECT(page_map(0, 0x40000000, 0x80000000, MAP_R), E_BADADDR);   // firmware
  EXPECT(page_map(0, 0x80000000, next, MAP_R), E_BADADDR);         // a kernel address
  printf("tpager: served %d faults, refused %d\n", served, refused);
  test_done("pager", 1);
  return 0;
}
