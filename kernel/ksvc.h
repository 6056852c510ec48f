// The kernel host of subsystem cores (ksvc.c): run a core's handler for a request
// to its kernel-answered endpoint; with a lock, one request at a time.
#pragma once
#include "host.h"
#include "servers/include/svc.h"

void ksvc_run(struct kreq *k, svc_handler handle);
void ksvc_run_locked(struct kreq *k, svc_handler handle, struct host_lock *lock);
