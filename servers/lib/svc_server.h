// The server host of a subsystem core: worker threads that receive requests on one
// endpoint, run the core's handler and reply. A worker blocked inside the core (on
// another server, or waiting) leaves the others serving.
#pragma once
#include "servers/include/svc.h"

#define SVC_MAXWORKERS 16

// Serve ep with nworkers threads (the caller's thread is one of them); never returns.
void svc_serve(uint64 ep, int nworkers, svc_handler handle);
