// Bulk copy through the echo protocol, against the endpoint given as boot argument:
// the user-level echo server (EP_TEST0) or the same core hosted in the kernel
// (EP_KTEST). Sizes 0..64 KiB at unaligned addresses, both ways, contents checked;
// copies the call did not allow, into unmapped or read-only pages: errors, nothing written.
#include "user/tests/testlib.h"
#include "servers/echosrv/echo.h"

#define MAX (64 * 1024)
static unsigned char buf[MAX + 256] __attribute__((aligned(4096)));
static unsigned char orig[MAX + 256];
static uint64 seed;

static unsigned char rnd(void) {
  seed = seed * 6364136223846793005UL + 1442695040888963407UL;
  return seed >> 56;
}

static int64 echo(uint64 ep, int label, uint64 w0, int rights, void *p, uint64 len, struct msg *m) {
  *m = (struct msg){.tag = TAG(label, rights, len), .w = {w0}};
  int64 r = ipc_call(ep, m, p);
  return r < 0 ? r : (int64)TAG_LABEL(m->tag) == 0 ? 0 : (int64)(short)TAG_LABEL(m->tag);
}

int main(int argc, char *argv[]) {
  uint64 ep = task_arg;
  struct msg m;
  seed = time_ns();
  uint64 sizes[] = {0, 1, 4095, 4096, 4097, MAX};
  for (int k = 0; k < 6; k++) {
    uint64 len = sizes[k], skew = (k * 37 + 1) % 200;
    unsigned char *p = buf + skew;
    for (uint64 i = 0; i < sizeof buf; i++)
      buf[i] = orig[i] = rnd();
    uint64 sum = 0;
    for (uint64 i = 0; i < len; i++)
      sum += p[i];
    int64 r = echo(ep, ECHO_XFORM, k == 5 ? 20000000 : 0, BUF_R | BUF_W, p, len, &m);
    CHECK(r == 0 && m.w[0] == len && m.w[1] == sum, "xform %d bytes: %s, got %d bytes sum %d want %d",
          (int)len, errstr(r), (int)m.w[0], (int)m.w[1], (int)sum);
    int bad = 0;
    for (uint64 i = 0; i < sizeof buf; i++) {
      unsigned char want = (i >= skew && i < skew + len) ? echo_xform(orig[i], i - skew) : orig[i];
      bad += buf[i] != want;
    }
    CHECK(bad == 0, "xform %d bytes at +%d: %d bytes wrong (inside or around the buffer)", (int)len, (int)skew, bad);
    r = echo(ep, ECHO_SUM, 0, BUF_R, p, len, &m);
    uint64 sum2 = 0;
    for (uint64 i = 0; i < len; i++)
      sum2 += p[i];
    CHECK(r == 0 && m.w[1] == sum2, "sum of %d bytes: %s", (int)len, errstr(r));
  }
  // Rights: the server may only copy the way the call allowed.
  memset(buf, 0x11, 64);
  EXPECT(echo(ep, ECHO_FILL, 0x22, BUF_R, buf, 64, &m), E_PERM);
  CHECK(buf[0] == 0x11 && buf[63] == 0x11, "a read-only offer was written");
  EXPECT(echo(ep, ECHO_SUM, 0, BUF_W, buf, 64, &m), E_PERM);
  // An unmapped page, a read-only page (our own code), a kernel address.
  EXPECT(echo(ep, ECHO_FILL, 0x22, BUF_W, (void *)0x40000000, 100, &m), E_NOTPRESENT);
  unsigned char text[64];
  memmove(text, (void *)main, sizeof text);
  EXPECT(echo(ep, ECHO_FILL, 0x22, BUF_W, (void *)main, sizeof text, &m), E_BADADDR);
  CHECK(memcmp(text, (void *)main, sizeof text) == 0, "code page was written");
  EXPECT(echo(ep, ECHO_FILL, 0x22, BUF_W, (void *)0x80200000, 16, &m), E_BADADDR);
  EXPECT(echo(ep, ECHO_FILL, 0x22, BUF_W, buf, 0xffffffffUL, &m), E_BADADDR);
  // The server sees who called.
  EXPECT(echo(ep, ECHO_WHO, 0, 0, 0, 0, &m), 0);
  CHECK(m.w[0] == self_badge(), "server saw badge %p, we are %p", m.w[0], self_badge());
  test_done(ep == EP_KTEST ? "kbulk" : "bulk", 1);
  return 0;
}
