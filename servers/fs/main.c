// The file server: the file core (bio.c, log.c, inode.c, file.c) hosted in a task on
// EP_FS, single-threaded (reads that must wait are parked).
#include "servers/include/svc.h"
#include "servers/lib/svc_server.h"
#include "user/lib/mv6.h"

void fs_init(void);
void fs_handle(struct svc_req *r);
void fs_notify(uint64 bits);

uint64 fsh_proc_badge(void) { return ep_owner(EP_PROC); }

int main(int argc, char *argv[]) {
  fs_init();
  svc_serve(EP_FS, 1, fs_handle, fs_notify);
  return 0;
}
