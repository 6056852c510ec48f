// A CPU-bound task: spins forever.
#include "user/tests/testlib.h"

volatile uint64 spins;

int main(int argc, char *argv[]) {
  for (;;)
    spins++;
}
