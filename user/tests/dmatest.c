// A driver's DMA buffer from the memory server: contiguous frames at a known
// physical address, mapped at once (no fault), and the address is true: mapping the
// same frames a second time shows the same bytes. This task is privileged (a driver).
#include "user/tests/testlib.h"
#include "servers/mem/mem.h"

#define VA  0x60000000UL
#define VA2 0x61000000UL

int main(int argc, char *argv[]) {
  struct msg m = {.tag = TAG(MEM_DMA, 0, 0), .w = {VA, 4}};
  EXPECT(ipc_call(EP_MEM, &m, 0), 0);
  EXPECT((short)TAG_LABEL(m.tag), 0);
  uint64 pa = m.w[0];
  volatile uint64 *p = (uint64 *)VA;
  int nonzero = 0;
  for (int i = 0; i < 4 * 512; i++)
    nonzero += p[i] != 0;
  CHECK(nonzero == 0, "%d words of the DMA pages not zeroed", nonzero);
  for (int i = 0; i < 4 * 512; i++)
    p[i] = i * 3 + 1;
  for (int k = 0; k < 4; k++)
    EXPECT(page_map(0, VA2 + k * 4096, pa + k * 4096, MAP_R), 0);
  int bad = 0;
  for (int i = 0; i < 4 * 512; i++)
    bad += ((volatile uint64 *)VA2)[i] != (uint64)i * 3 + 1;
  CHECK(bad == 0, "%d words differ through the physical address", bad);
  m = (struct msg){.tag = TAG(MEM_DMA, 0, 0), .w = {VA + 0x10000, 1000}};
  ipc_call(EP_MEM, &m, 0);
  EXPECT((short)TAG_LABEL(m.tag), E_INVAL);
  printf("dma: 4 pages at physical %p\n", pa);
  test_done("dma", 1);
  return 0;
}
