// Bad requests to the memory and process servers from an ordinary process: each
// gets an error reply, and both servers go on working for everyone.
#include "user/tests/testlib.h"
#include "servers/mem/mem.h"
#include "servers/proc/proc.h"

static int64 rq(uint64 ep, uint64 label, uint64 w0, uint64 w1, void *buf, uint64 len) {
  struct msg m = {.tag = TAG(label, BUF_R, len), .w = {w0, w1, 0, 0}};
  int64 r = ipc_call(ep, &m, buf);
  return r < 0 ? r : (short)TAG_LABEL(m.tag);
}

int main(int argc, char *argv[]) {
  char junk[64];
  memset(junk, 'x', sizeof junk);
  uint64 me = self_badge(), other = task_find("init");
  // privileged memory requests from a process that is not the process server
  EXPECT(rq(EP_MEM, MEM_NEWAS, 0, 0, 0, 0), E_PERM);
  EXPECT(rq(EP_MEM, MEM_REGION, me, 0x1000, 0, 0), E_PERM);
  EXPECT(rq(EP_MEM, MEM_WRITE, other, 0x1000, junk, sizeof junk), E_PERM);
  EXPECT(rq(EP_MEM, MEM_FORK, other, 0, 0, 0), E_PERM);
  EXPECT(rq(EP_MEM, MEM_FREE, other, 0, 0, 0), E_PERM);
  EXPECT(rq(EP_MEM, 999, 1, 2, 0, 0), E_INVAL);
  EXPECT(rq(EP_MEM, MEM_SBRK, 1UL << 40, 0, 0, 0), E_NOMEM);
  EXPECT(rq(EP_MEM, MEM_SBRK, -(1UL << 40), 0, 0, 0), E_INVAL);
  // the process server: garbage and truncated requests, other processes' pids
  EXPECT(rq(EP_PROC, 999, 1, 2, 0, 0), E_INVAL);
  EXPECT(rq(EP_PROC, PROC_EXEC, 1, 0, junk, sizeof junk), E_INVAL);   // no NUL anywhere
  EXPECT(rq(EP_PROC, PROC_EXEC, 1, 0, 0, 0), E_INVAL);                // no buffer
  EXPECT(rq(EP_PROC, PROC_EXEC, 1000, 0, "x\0", 2), E_INVAL);         // argc beyond the buffer
  // a buffer not present: the library would fault it in and ask again
  EXPECT(rq(EP_PROC, PROC_EXEC, 1, 0, (void *)0x40000000, 100), E_NOTPRESENT);
  EXPECT(rq(EP_PROC, PROC_KILL, 9999, 0, 0, 0), E_INVAL);
  EXPECT(rq(EP_PROC, PROC_WAIT, 0, 0, 0, 0), E_INVAL);                // no children
  uint64 seed = time_ns();
  for (int i = 0; i < 300; i++) {       // random labels the servers do not know
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    uint64 label = 32 + (seed >> 40) % 60000;   // above every label either server knows
    int64 a = rq(EP_PROC, label, seed, ~seed, junk, seed % 64);
    int64 b = rq(EP_MEM, label, ~seed, seed, junk, seed % 64);
    if (a != E_INVAL || b != E_INVAL) {
      CHECK(0, "label %d: proc %s, mem %s", (int)label, errstr(a), errstr(b));
      break;
    }
  }
  // both still serve: a child with a fresh heap page
  int pid = fork();
  if (pid == 0) {
    char *p = sbrk(4096);
    p[100] = 42;
    exit(p[100] == 42 ? 0 : 1);
  }
  int status = -2;
  CHECK(pid > 0 && wait(&status) == pid && status == 0, "fork after the bad requests: status %d", status);
  test_done("srvbad", 0);
  exit(test_failures != 0);
}
