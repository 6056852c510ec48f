// The virtio-mmio transport (virtio 1.x, section 4.2.2): register offsets as 32-bit
// word indexes, shared by the disk driver's core and the network driver.
#pragma once

#define R_MAGIC       (0x000 / 4)
#define R_VERSION     (0x004 / 4)
#define R_DEVICE_ID   (0x008 / 4)
#define R_DEV_FEAT    (0x010 / 4)
#define R_DEV_FSEL    (0x014 / 4)
#define R_DRV_FEAT    (0x020 / 4)
#define R_DRV_FSEL    (0x024 / 4)
#define R_QUEUE_SEL   (0x030 / 4)
#define R_QUEUE_MAX   (0x034 / 4)
#define R_QUEUE_NUM   (0x038 / 4)
#define R_QUEUE_READY (0x044 / 4)
#define R_NOTIFY      (0x050 / 4)
#define R_INT_STATUS  (0x060 / 4)
#define R_INT_ACK     (0x064 / 4)
#define R_STATUS      (0x070 / 4)
#define R_DESC_LO     (0x080 / 4)
#define R_DESC_HI     (0x084 / 4)
#define R_AVAIL_LO    (0x090 / 4)
#define R_AVAIL_HI    (0x094 / 4)
#define R_USED_LO     (0x0a0 / 4)
#define R_USED_HI     (0x0a4 / 4)
#define R_CONFIG      (0x100 / 4)    // the device's own configuration
