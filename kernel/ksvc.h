// Transitional (ksvc.c): run a core written against servers/include/svc.h inside its
// kernel-hosted subsystem's handler.
#pragma once
#include "khost.h"
#include "servers/include/svc.h"

void ksvc_handle(struct kreq *k, svc_handler handle);
