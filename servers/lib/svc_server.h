// Transitional: the server side of servers/include/svc.h, for the subsystem cores not
// yet split into a shared core and two boundary layers; it runs them on the server
// loop (server.h). With one worker the core runs single-threaded and must not block
// on clients (it parks requests); with several, a worker blocked inside the core (on
// another server, or waiting) leaves the others serving.
#pragma once
#include "servers/include/svc.h"

// Serve ep with nworkers threads (the caller's thread is one of them); never returns.
// notify, if not 0, gets the bits of notifications sent to ep.
void svc_serve(uint64 ep, int nworkers, svc_handler handle, void (*notify)(uint64 bits));
