// The server host of a subsystem core: worker threads receive requests on one
// endpoint, run the core's handler and reply (or not, if the core parked the
// request). With one worker the core runs single-threaded and must not block on
// clients (it parks requests); with several, a worker blocked inside the core (on
// another server, or waiting) leaves the others serving.
#pragma once
#include "servers/include/svc.h"

#define SVC_MAXWORKERS 16

// Serve ep with nworkers threads (the caller's thread is one of them); never returns.
// notify, if not 0, gets the bits of notifications sent to ep (with one worker only).
void svc_serve(uint64 ep, int nworkers, svc_handler handle, void (*notify)(uint64 bits));
