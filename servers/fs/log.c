// The write-ahead log: every request that changes the disk is one transaction.
// Changed blocks stay in the cache (pinned) until log_end commits them: write them
// to the log, write the header (the commit point), install them where they belong,
// clear the header. After a crash, log_init installs a committed log again, so a
// request that returned is on disk, and one that did not is not there at all.
#include "servers/fs/fs.h"

static struct buf *logged[LOGBLOCKS];
static int nlogged;
uint64 log_commits, log_blocks;

static void write_head(int n, const uint *blocks) {
  struct buf *h = bread(sb.logstart);
  struct logheader *lh = (struct logheader *)h->data;
  lh->n = n;
  for (int i = 0; i < n; i++)
    lh->block[i] = blocks[i];
  bwrite_one(h);
  brelse(h);
}

// Copy the committed log to the blocks' homes (after a crash: read from the log).
static void install(struct buf **bs, const uint *home, int n) {
  bwrite_many(bs, home, n);
}

void log_init(void) {
  struct buf *h = bread(sb.logstart);
  struct logheader lh = *(struct logheader *)h->data;
  brelse(h);
  if (lh.n <= 0 || lh.n > LOGBLOCKS)
    return;
  struct buf *bs[LOGBLOCKS];
  uint home[LOGBLOCKS];
  for (int i = 0; i < lh.n; i++) {
    bs[i] = bread(sb.logstart + 1 + i);
    home[i] = lh.block[i];
  }
  install(bs, home, lh.n);         // nothing else is cached yet: no stale copies
  for (int i = 0; i < lh.n; i++)
    brelse(bs[i]);
  write_head(0, 0);
}

void log_begin(void) { nlogged = 0; }

// b changed and must reach the disk with this transaction. The caller still brelse()s.
void log_write(struct buf *b) {
  for (int i = 0; i < nlogged; i++)
    if (logged[i] == b)
      return;
  if (nlogged == LOGBLOCKS) {
    fs_ioerror = 1;                 // callers keep transactions smaller than the log
    return;
  }
  b->refcnt++;                      // pinned until installed
  logged[nlogged++] = b;
}

void log_end(void) {
  if (nlogged == 0)
    return;
  uint to_log[LOGBLOCKS], home[LOGBLOCKS];
  for (int i = 0; i < nlogged; i++) {
    to_log[i] = sb.logstart + 1 + i;
    home[i] = logged[i]->blockno;
  }
  if (bwrite_many(logged, to_log, nlogged) == 0) {
    write_head(nlogged, home);      // the commit point
    install(logged, home, nlogged);
    write_head(0, 0);
    log_commits++;
    log_blocks += nlogged;
  }
  for (int i = 0; i < nlogged; i++)
    brelse(logged[i]);
  nlogged = 0;
}
