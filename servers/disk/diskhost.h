// What the disk core needs from its host besides svc.h: the device's registers,
// memory the device can reach (DMA), and waiting for its interrupt.
#pragma once
#include "kernel/types.h"

volatile uint32 *dh_regs(void);                    // the virtio-mmio slot, mapped
void *dh_dma_page(uint64 *pa);                     // a zeroed page the device can reach; never moves
void dh_wait_irq(void);                            // until the device interrupts (then acknowledged)
