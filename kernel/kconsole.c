// The console core (servers/console/console.c) hosted in the kernel, at stages 1
// and 2: the UART's interrupt runs the core's input handling in the kernel.
#include "kernel.h"
#include "host.h"
#include "ksvc.h"
#include "servers/console/conshost.h"

void cons_init(void);
void cons_intr(void);
void cons_handle(struct svc_req *r);

volatile uint8 *ch_uart(void) { return host_mmio(UART0_PA); }
void ch_irq_done(void) { host_irq_done(UART0_IRQ); }

static void uart_irq(int irq) {
  cons_intr();
  host_irq_done(irq);
}

static void cons_in_kernel(struct kreq *k) { ksvc_run(k, cons_handle); }

void kconsole_start(void) {
  cons_init();
  host_irq_handler(UART0_IRQ, uart_irq);
  host_serve(EP_CONSOLE, cons_in_kernel);
}
