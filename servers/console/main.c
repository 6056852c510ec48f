// The console driver: the console core hosted in a task on EP_CONSOLE; the UART's
// interrupt arrives as a notification on the same endpoint.
#include "servers/include/svc.h"
#include "servers/lib/svc_server.h"
#include "servers/console/cons.h"
#include "servers/console/conshost.h"
#include "user/lib/mv6.h"
#include "user/user.h"

#define UART_VA 0x50000000UL
#define UART_PA 0x10000000UL
#define UART_IRQ 10

void cons_init(void);
void cons_handle(struct svc_req *r);
void cons_notify(uint64 bits);

// @lab 03 solution: the console driver's device and start
volatile uint8 *ch_uart(void) { return (volatile uint8 *)UART_VA; }
void ch_irq_done(void) { irq_ack(UART_IRQ); }

int main(int argc, char *argv[]) {
  if (mmio_map(UART_VA, UART_PA, 4096) < 0 || irq_route(UART_IRQ, EP_CONSOLE, CONS_IRQ_BIT) < 0)
    printf("console: cannot reach the UART\n");
  cons_init();
  svc_serve(EP_CONSOLE, 1, cons_handle, cons_notify);
  return 0;
}
// @lab 03 stub
//: // TODO (lab 03): map the UART's registers (mmio_map, at UART_VA) and route its
//: // interrupt to EP_CONSOLE as the notification bit CONS_IRQ_BIT (irq_route); the
//: // core acknowledges each interrupt through ch_irq_done (irq_ack). Then cons_init()
//: // and serve EP_CONSOLE with one worker and cons_notify.
//: volatile uint8 *ch_uart(void) { return 0; }
//: void ch_irq_done(void) {}
//:
//: int main(int argc, char *argv[]) {
//:   printf("console: the console driver is not written yet (lab 03)\n");
//:   return 1;
//: }
// @lab 03 end
