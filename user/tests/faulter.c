// Faults on purpose, by boot argument: 0 load from an unmapped page, 1 store into
// its own code, 2 an illegal instruction, 3 a load from the kernel. Each kills only
// this task; the kernel reports task, pc, scause and stval.
#include "user/tests/testlib.h"

int main(int argc, char *argv[]) {
  switch (task_arg) {
  case 0: printf("faulter: %d\n", *(volatile int *)0x40000000); break;
  case 1: *(volatile int *)main = 0; break;
  case 2: asm volatile(".word 0"); break;
  case 3: printf("faulter: %d\n", *(volatile int *)0x80200000); break;
  }
  printf("faulter %d: FAIL: still running\n", (int)task_arg);
  return 0;
}
