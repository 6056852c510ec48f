// The echo server: the echo core (echo.c) hosted in a user task, answering the
// endpoint named by its boot argument with four worker threads.
#include "servers/include/svc.h"
#include "servers/lib/svc_server.h"

void echo_handle(struct svc_req *r);

extern uint64 task_arg;

int main(int argc, char *argv[]) {
  svc_serve(task_arg, 4, echo_handle, 0);
  return 0;
}
