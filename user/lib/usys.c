// xv6's process and memory calls as requests to the process server (EP_PROC) and
// the memory server (EP_MEM). An error reply, or no such server, gives -1 at once.
#include "kernel/types.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "servers/proc/proc.h"
#include "servers/mem/mem.h"

// One request; returns reply word 0, or -1 on any error. A buffer the server found
// not present yet is faulted in and the request repeated (ipc_call_buf).
static int64 req(uint64 ep, uint64 label, uint64 w0, uint64 w1, uint64 *w, void *buf, uint64 len) {
  struct msg m = {.tag = TAG(label, len ? BUF_R : 0, len), .w = {w0, w1}};
  // without a buffer, the call itself (inlined: getpid is a benchmark of the shortest request)
  if ((len ? ipc_call_buf(ep, &m, buf) : ipc_call(ep, &m, 0)) < 0 || TAG_LABEL(m.tag) != 0)
    return -1;
  if (w)
    for (int i = 0; i < 4; i++)
      w[i] = m.w[i];
  return m.w[0];
}

int fork_request(uint64 pc, uint64 sp) { return req(EP_PROC, PROC_FORK, pc, sp, 0, 0, 0); }

int exit(int status) {
  req(EP_PROC, PROC_EXIT, status, 0, 0, 0, 0);
  sys1(SYS_exit, status);            // not a process (a boot task): end the task itself
  for (;;)
    ;
}

int wait(int *status) {
  uint64 w[4];
  if (status && (fault_in(status, 1) < 0 || fault_in((char *)status + 3, 1) < 0))
    return -1;                     // not our memory: -1, as in xv6 (no child reaped)
  if (req(EP_PROC, PROC_WAIT, 0, 0, w, 0, 0) < 0)
    return -1;
  if (status)
    *status = (int)w[1];
  return w[0];
}

int kill(int pid) { return req(EP_PROC, PROC_KILL, pid, 0, 0, 0, 0) < 0 ? -1 : 0; }
int getpid(void) { return req(EP_PROC, PROC_GETPID, 0, 0, 0, 0, 0); }
int sleep(int ticks) { return ticks < 0 || req(EP_PROC, PROC_SLEEP, ticks, 0, 0, 0, 0) < 0 ? -1 : 0; }
int uptime(void) { return req(EP_PROC, PROC_UPTIME, 0, 0, 0, 0, 0); }

// Copy the string at s to blob at *n: 0, or -1 if it is not our memory (user_strlen
// asks our pager first) or blob is full.
static int add_string(char *blob, uint64 *n, const char *s) {
  int64 len = user_strlen(s, MAXARGBYTES);
  if (len < 0 || *n + len + 1 > MAXARGBYTES)
    return -1;
  memmove(blob + *n, s, len + 1);
  *n += len + 1;
  return 0;
}

// exec sends "path\0arg0\0arg1\0..." in one buffer. Bad pointers in path or argv
// give -1 (we read nothing our pager has not vouched for).
int exec(const char *path, char **argv) {
  static char blob[MAXARGBYTES];
  uint64 n = 0;
  int argc = 0;
  if (add_string(blob, &n, path) < 0)
    return -1;
  for (; argv; argc++) {
    char **a = argv + argc;
    if (fault_in(a, 0) < 0 || fault_in((char *)a + sizeof *a - 1, 0) < 0)
      return -1;                     // argv itself is not our memory
    if (!*a)
      break;
    if (argc >= MAXARG || add_string(blob, &n, *a) < 0)
      return -1;
  }
  return req(EP_PROC, PROC_EXEC, argc, 0, 0, blob, n) < 0 ? -1 : 0;
}

char *sbrk(int n) {
  int64 old = req(EP_MEM, MEM_SBRK, (uint64)(int64)n, 0, 0, 0, 0);
  return old < 0 ? (char *)-1 : (char *)old;
}
