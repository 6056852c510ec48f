// The file server: the file core (bio.c, log.c, inode.c, file.c) hosted in a task on
// EP_FS, single-threaded (reads that must wait are parked).
#include "servers/include/svc.h"
#include "servers/lib/svc_server.h"
#include "user/lib/mv6.h"
#include "user/user.h"

void fs_init(void);
void fs_handle(struct svc_req *r);
void fs_notify(uint64 bits);

// @lab 03 solution: the file server's start
uint64 fsh_proc_badge(void) { return ep_owner(EP_PROC); }

int main(int argc, char *argv[]) {
  fs_init();
  svc_serve(EP_FS, 1, fs_handle, fs_notify);
  return 0;
}
// @lab 03 stub
//: // TODO (lab 03): the file core asks its host who the process server is (only it
//: // may send FS_FORK/FS_EXEC/FS_EXIT): the owner of EP_PROC. Then main: fs_init(),
//: // and serve EP_FS with one worker (console reads and pipes park) and fs_notify
//: // (a console line is ready).
//: uint64 fsh_proc_badge(void) { return 0; }
//:
//: int main(int argc, char *argv[]) {
//:   printf("fs: the file server is not written yet (lab 03)\n");
//:   return 1;
//: }
// @lab 03 end
