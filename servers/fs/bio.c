// The buffer cache: recently used disk blocks in memory, read from the disk driver
// on a miss. Single-threaded (the file server runs one thread), so no locks.
#include "servers/fs/fs.h"
#include "servers/disk/disk.h"

#define NBUF 96

static struct buf bufs[NBUF];
static struct buf head;      // head.next: most recently used
int fs_ioerror;

static int64 disk(uint64 label, uint64 w0, void *p, uint64 len, int rights) {
  struct svc_msg m = {TAG(label, rights, len), {w0, 0, 0, 0}};
  int64 r = svc_call(EP_DISK, &m, p);
  if (r < 0 || TAG_LABEL(m.tag) != 0) {
    fs_ioerror = 1;
    return -1;
  }
  return 0;
}

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
  b->valid = disk(DISK_READ, blockno, b->data, BSIZE, BUF_W) == 0;
found:
  b->refcnt++;
  to_front(b);
  return b;
}

void brelse(struct buf *b) { b->refcnt--; }

int bwrite_one(struct buf *b) { return disk(DISK_WRITE, b->blockno, b->data, BSIZE, BUF_R); }

// Writes n buffers to the blocks where[], DISK_MAXV at a time, all of a batch in
// flight at once.
int bwrite_many(struct buf **bs, const uint *where, int n) {
  static char v[DISK_VHDR + DISK_MAXV * BSIZE];
  for (int i = 0; i < n; i += DISK_MAXV) {
    int k = n - i < DISK_MAXV ? n - i : DISK_MAXV;
    for (int j = 0; j < k; j++) {
      ((uint *)v)[j] = where[i + j];
      for (int x = 0; x < BSIZE; x++)
        v[DISK_VHDR + j * BSIZE + x] = bs[i + j]->data[x];
    }
    if (disk(DISK_WRITEV, k, v, DISK_VHDR + k * BSIZE, BUF_R) < 0)
      return -1;
  }
  return 0;
}
