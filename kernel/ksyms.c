// Symbol lookup for backtraces. The table (ksyms_table.S) is generated from the
// kernel's own symbols at link time; it sits at the end of the image so that the
// second link does not move any code.
#include "kernel.h"

struct ksym { uint64 addr; uint64 name; };   // name: offset into ksym_names
extern const struct ksym ksym_table[];
extern const uint64 ksym_count;
extern const char ksym_names[];

const char *ksym_lookup(uint64 pc, uint64 *off) {
  int lo = 0, hi = (int)ksym_count - 1, best = -1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (ksym_table[mid].addr <= pc) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (best < 0) {
    *off = pc;
    return "?";
  }
  *off = pc - ksym_table[best].addr;
  return ksym_names + ksym_table[best].name;
}
