// The console core (console.c), shared by both hosts, and what it needs from its host.
#pragma once
#include "kernel/types.h"
#include "servers/console/cons.h"

void cons_init(volatile uint8 *uart);   // the UART's registers, mapped
void cons_intr(void);                   // the UART interrupted (the host acknowledges it after)
int64 cons_read(char *dst, uint64 n, uint64 *take);
void cons_take(uint64 take);
int cons_has_line(void);
void cons_write(const char *src, uint64 n);

// The host's
void ch_line_ready(void);          // a line is complete: wake or notify its reader
void ch_dump(void);                // ^P: ask the process subsystem to print its table
