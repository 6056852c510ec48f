// ps: the process list, from the process server.
#include "kernel/types.h"
#include "user/user.h"
#include "user/lib/mv6.h"
#include "servers/proc/proc.h"

static struct procinfo list[64];

int main(int argc, char *argv[]) {
  struct msg m = {.tag = TAG(PROC_PS, BUF_W, sizeof list)};
  if (ipc_call_buf(EP_PROC, &m, list) < 0 || TAG_LABEL(m.tag) != 0) {
    fprintf(2, "ps: no process server\n");
    exit(1);
  }
  printf("pid ppid state  waits  name\n");
  for (uint64 i = 0; i < m.w[0]; i++)
    printf("%3d %4d %-6s %-6s %s\n", list[i].pid, list[i].ppid, list[i].state, list[i].wait, list[i].name);
  exit(0);
}
