// What the console core needs from its host besides svc.h.
#pragma once
#include "kernel/types.h"

volatile uint8 *ch_uart(void);     // the UART's registers, mapped
void ch_irq_done(void);            // the interrupt was handled: let the next one come
