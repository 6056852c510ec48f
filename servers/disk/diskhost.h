// The disk core (virtio.c), shared by both hosts, and what it needs from its host:
// the device's registers, memory the device can reach (DMA), waiting for its interrupt.
#pragma once
#include "kernel/types.h"

int disk_init(void);                       // 0, or -1: no usable device
char *disk_data(int i);                    // DMA block i < DISK_MAXV (BSIZE bytes)
int disk_io(const uint32 *blocks, int n, int write);
void disk_stat(uint64 *most_inflight, uint64 *done, uint64 *blocks);

// The host's
volatile uint32 *dh_regs(void);                    // the virtio-mmio slot, mapped
void *dh_dma_page(uint64 *pa);                     // a zeroed page the device can reach; never moves
void dh_wait_irq(void);                            // until the device interrupts (then acknowledged)
