// The buffer cache: recently used disk blocks in memory, read from the disk driver
// on a miss (through the host: fsh_disk_*). One request at a time (both hosts make
// sure), so no locks.
#include "servers/fs/fs.h"
#include "servers/disk/disk.h"

#define NBUF 96

static struct buf bufs[NBUF];
static struct buf head;      // head.next: most recently used
int fs_ioerror;

void binit(void) {
  head.prev = head.next = &head;
  for (struct buf *b = bufs; b < bufs + NBUF; b++) {
    b->next = head.next;
    b->prev = &head;
    head.next->prev = b;
    head.next = b;
  }
}

static void to_front(struct buf *b) {
  b->next->prev = b->prev;
  b->prev->next = b->next;
  b->next = head.next;
  b->prev = &head;
  head.next->prev = b;
  head.next = b;
}

struct buf *bread(uint blockno) {
  struct buf *b;
  for (b = head.next; b != &head; b = b->next)
    if (b->valid && b->blockno == blockno)
      goto found;
  for (b = head.prev; b != &head; b = b->prev)      // least recently used, unused
    if (b->refcnt == 0)
      break;
  if (b == &head) {
    fs_ioerror = 1;                                  // every buffer is held: too big an operation
    b = head.prev;
  }
  b->blockno = blockno;
  b->valid = fsh_disk_read(blockno, b->data) == 0;
  if (!b->valid)
    fs_ioerror = 1;
found:
  b->refcnt++;
  to_front(b);
  return b;
}

void brelse(struct buf *b) { b->refcnt--; }

int bwrite_one(struct buf *b) { return bwrite_many(&b, &b->blockno, 1); }

// Writes n buffers to the blocks where[], DISK_MAXV at a time, all of a batch in
// flight at once.
int bwrite_many(struct buf **bs, const uint *where, int n) {
  for (int i = 0; i < n; i += DISK_MAXV) {
    int k = n - i < DISK_MAXV ? n - i : DISK_MAXV;
    void *src[DISK_MAXV];
    for (int j = 0; j < k; j++)
      src[j] = bs[i + j]->data;
    if (fsh_disk_write(where + i, src, k) < 0) {
      fs_ioerror = 1;
      return -1;
    }
  }
  return 0;
}
