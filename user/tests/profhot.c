// profhot: a workload whose profile is known (grade/profcheck.py, make profile): about
// 100 M instructions in hot(), a tenth of that in cold(), little anywhere else.
#include "user/user.h"

volatile uint64 sink;

// Not the same code, so that the compiler cannot fold the two into one function.
__attribute__((noinline)) static void hot(uint64 n) {
  for (uint64 i = 0; i < n; i++)
    sink += i;
}

__attribute__((noinline)) static void cold(uint64 n) {
  for (uint64 i = 0; i < n; i++)
    sink ^= i;
}

int main(int argc, char *argv[]) {
  hot(20000000);
  cold(2000000);
  printf("profhot: done\n");
  exit(0);
}
