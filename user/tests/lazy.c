// A task whose faults go to a pager (tpager, on EP_TEST1): two pages appear when
// first touched; then an access the pager refuses kills this task.
#include "user/tests/testlib.h"

int main(int argc, char *argv[]) {
  volatile uint64 *a = (uint64 *)0x40000000, *b = (uint64 *)0x40001008;
  CHECK(*a == 0, "fresh page not zero");
  *a = 0x1111;
  *b = 0x2222;
  CHECK(*a == 0x1111 && *b == 0x2222, "values did not stick");
  printf("lazy: pages made present by the pager: %s\n", test_failures ? "FAIL" : "ok");
  printf("lazy: now touching 0x50000000\n");
  printf("lazy: FAIL: read %d\n", *(volatile int *)0x50000000);
  return 0;
}
