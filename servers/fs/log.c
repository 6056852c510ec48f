// The write-ahead log: every request that changes the disk is one operation, and
// operations are committed in transactions. Changed blocks stay in the cache (pinned)
// until their transaction is installed. A commit takes a copy of its blocks, writes
// the copy to the log, writes the header (the commit point), installs the copy where
// the blocks belong and clears the header. After a crash, log_init installs a
// committed log again, so a request that returned is on disk, and one that did not is
// not there at all.
//
// A host that serves one request at a time (the kernel's, or a file server with one
// worker) commits each operation as it ends. A host with several workers may have
// operations of several requests open at once (group commit, as in xv6): the last to
// end commits them all, so one commit serves several writers. The host may let others
// into the core while a commit's copy is on its way to the disk: operations of the
// next transaction change the cache meanwhile, never the copy.
#include "servers/fs/fs.h"

static struct buf *logged[LOGBLOCKS];   // the transaction being built
static int nlogged;
static int outstanding;      // its operations begun and not ended
static int ended;            // its operations ended
static uint64 building = 1;  // its number
static int committing;       // a commit is on the disk
uint64 log_committed;        // the last transaction done (committed, or failed: log_failed)
uint64 log_failed;
int log_coming;              // the host's: operations about to begin (atomic)
uint64 log_commits, log_blocks;

static uint64 copy[LOGBLOCKS][BSIZE / 8];   // the committing transaction's blocks
static uint64 head[BSIZE / 8];              // the header written

// (Both hosts have a memmove, with different types: the core needs only this.)
static void copy_block(uint64 *dst, const void *src) {
  const uint64 *s = src;
  for (int i = 0; i < BSIZE / 8; i++)
    dst[i] = s[i];
}

static int write_head(int n, const uint *blocks) {
  struct logheader *lh = (struct logheader *)head;
  lh->n = n;
  for (int i = 0; i < n; i++)
    lh->block[i] = blocks[i];
  void *src = head;
  return bwrite_many(&src, &sb.logstart, 1);
}

void log_init(void) {
  struct buf *h = bread(sb.logstart);
  struct logheader lh = *(struct logheader *)h->data;
  brelse(h);
  if (lh.n <= 0 || lh.n > LOGBLOCKS)
    return;
  void *src[LOGBLOCKS];
  for (int i = 0; i < lh.n; i++) {
    struct buf *b = bread(sb.logstart + 1 + i);
    copy_block(copy[i], b->data);
    src[i] = copy[i];
    brelse(b);
  }
  bwrite_many(src, (uint *)lh.block, lh.n);    // install; nothing else is cached yet
  write_head(0, 0);
}

// Commits the transaction being built; the next one starts at once.
static void commit(void) {
  struct buf *bs[LOGBLOCKS];
  void *src[LOGBLOCKS];
  uint to_log[LOGBLOCKS], home[LOGBLOCKS];
  int n = nlogged;
  uint64 t = building++;
  for (int i = 0; i < n; i++) {
    bs[i] = logged[i];
    copy_block(copy[i], bs[i]->data);
    src[i] = copy[i];
    to_log[i] = sb.logstart + 1 + i;
    home[i] = bs[i]->blockno;
  }
  nlogged = ended = 0;
  committing = 1;
  if (n > 0) {
    if (bwrite_many(src, to_log, n) < 0 || write_head(n, home) < 0 ||   // the commit point
        bwrite_many(src, home, n) < 0 || write_head(0, 0) < 0)           // installed
      log_failed = t;         // (the disk driver is gone: fs_ioerror says so to this request)
    log_commits++;
    log_blocks += n;
  }
  for (int i = 0; i < n; i++)
    brelse(bs[i]);            // installed: the cache may let them go
  committing = 0;
  log_committed = t;
}

// 0: an operation has begun; FS_BLOCK: wait until a commit ends (the log has no room
// for one more operation until then), then try again.
int log_begin(void) {
  while (nlogged + (outstanding + 1) * MAXOPBLOCKS > LOGBLOCKS) {
    if (outstanding || committing)
      return FS_BLOCK;
    commit();                 // ended operations fill the log: commit them first
  }
  outstanding++;
  return 0;
}

// b changed and must reach the disk with this transaction. The caller still brelse()s.
void log_write(struct buf *b) {
  for (int i = 0; i < nlogged; i++)
    if (logged[i] == b)
      return;
  if (nlogged == LOGBLOCKS || outstanding == 0) {
    fs_ioerror = 1;           // callers keep transactions smaller than the log, and inside
    return;                   // an operation (xv6 panics: "log_write outside of trans")
  }
  b->refcnt++;                // pinned until installed
  logged[nlogged++] = b;
}

// Ends an operation: its transaction's number. The last operation open commits them
// all, unless the host expects more (log_coming; log_flush commits then, later).
uint64 log_end(void) {
  uint64 t = building;
  outstanding--;
  ended++;
  log_flush();
  return t;
}

// Commits the ended operations if none is open or coming and no commit is on the disk.
void log_flush(void) {
  if (!committing && outstanding == 0 && ended > 0 && __atomic_load_n(&log_coming, __ATOMIC_ACQUIRE) == 0)
    commit();
}
