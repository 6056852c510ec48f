// Reads the few facts the kernel needs from the flattened device tree that OpenSBI
// passes at boot: the command line (/chosen/bootargs), the timer frequency
// (/cpus/timebase-frequency) and the end of RAM (/memory reg).
#include "kernel.h"

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

char bootargs[128];
uint64 timebase = 10000000;   // QEMU virt's value, if the tree lacks it
uint64 fdt_mem_end;

static uint32 be32(const void *p) {
  const uint8 *b = p;
  return (uint32)b[0] << 24 | (uint32)b[1] << 16 | (uint32)b[2] << 8 | b[3];
}

static uint64 be64(const void *p) { return (uint64)be32(p) << 32 | be32((const uint8 *)p + 4); }

static int streq(const char *a, const char *b) {
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

static int prefix(const char *s, const char *p) {
  while (*p && *s == *p)
    s++, p++;
  return *p == 0 && (*s == 0 || *s == '@');
}

void fdt_parse(uint64 dtb) {
  const uint8 *h = (const uint8 *)dtb;
  if (!h || be32(h) != FDT_MAGIC)
    return;
  const uint8 *p = h + be32(h + 8);
  const char *strings = (const char *)h + be32(h + 12);
  const char *path[4] = {0};
  int depth = 0;
  for (;;) {
    uint32 tok = be32(p);
    p += 4;
    if (tok == FDT_BEGIN_NODE) {
      const char *name = (const char *)p;
      if (depth < 4)
        path[depth] = name;
      depth++;
      p += (strlen(name) + 4) & ~3UL;
    } else if (tok == FDT_END_NODE) {
      depth--;
    } else if (tok == FDT_PROP) {
      uint32 len = be32(p), nameoff = be32(p + 4);
      const uint8 *val = p + 8;
      const char *prop = strings + nameoff;
      if (depth == 2 && prefix(path[1], "chosen") && streq(prop, "bootargs"))
        safestrcpy(bootargs, (const char *)val, len < sizeof bootargs ? len + 1 : sizeof bootargs);
      if (depth == 2 && prefix(path[1], "cpus") && streq(prop, "timebase-frequency"))
        timebase = len == 8 ? be64(val) : be32(val);
      if (depth == 2 && prefix(path[1], "memory") && streq(prop, "reg") && len >= 16 && !fdt_mem_end)
        fdt_mem_end = be64(val) + be64(val + 8);   // assumes #address-cells = #size-cells = 2
      p += 8 + ((len + 3) & ~3U);
    } else if (tok == FDT_NOP) {
      continue;
    } else {
      return;
    }
  }
}
