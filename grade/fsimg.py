"""Read an mv6 (xv6-format) file system image from the host: where a file's bytes lie
on the disk, and what a file holds (with a committed transaction still in the log
installed, as recovery would). For the grader's own checks and for writing the per-run
key into trusted programs on the disk (keys.py); the format is kernel/fs.h.

Only reads what it needs and checks every number it follows: the image may have been
written by the code under test.
"""

import struct

BSIZE = 1024
ROOTINO = 1
NDIRECT = 11                             # then the indirect block, then the doubly-indirect
NINDIRECT = BSIZE // 4
MAXFILE = NDIRECT + NINDIRECT + NINDIRECT * NINDIRECT
DINODE = struct.Struct("<hhhhI13I")      # type, major, minor, nlink, size, addrs[13]
DIRENT = struct.Struct("<H14s")
T_DIR = 1


class FsError(Exception):
    pass


class Image:
    def __init__(self, data):
        if len(data) < 2 * BSIZE:
            raise FsError("image too small")
        (magic, self.size, _, self.ninodes, nlog, logstart, self.inodestart, _) = \
            struct.unpack_from("<8I", data, BSIZE)
        if magic != 0x10203040:
            raise FsError("bad superblock magic")
        if self.size * BSIZE > len(data):
            raise FsError("superblock size beyond the image")
        self.data = self._replayed(bytearray(data), nlog, logstart)

    def _replayed(self, data, nlog, logstart):
        """The image as the file system sees it after recovery: a committed transaction
        still in the log (a crash came before it was installed) is installed here."""
        if not 0 < logstart < self.size or not 0 < nlog <= self.size - logstart:
            raise FsError("log outside the image")
        n, = struct.unpack_from("<i", data, logstart * BSIZE)
        if not 0 <= n < nlog or n > (BSIZE - 4) // 4:
            raise FsError(f"log header: {n} blocks")
        homes = struct.unpack_from(f"<{n}i", data, logstart * BSIZE + 4)
        for i, home in enumerate(homes):
            src = (logstart + 1 + i) * BSIZE
            if not 0 < home < self.size:
                raise FsError(f"log block {i} belongs to block {home}, outside the image")
            data[home * BSIZE:(home + 1) * BSIZE] = data[src:src + BSIZE]
        return bytes(data)

    def _block(self, b):
        if not 0 < b < self.size:
            raise FsError(f"block {b} out of range")
        return b * BSIZE

    def inode(self, inum):
        if not 0 < inum < self.ninodes:
            raise FsError(f"inode {inum} out of range")
        off = self._block(self.inodestart + inum // (BSIZE // DINODE.size)) \
            + (inum % (BSIZE // DINODE.size)) * DINODE.size
        f = DINODE.unpack_from(self.data, off)
        return {"type": f[0], "nlink": f[3], "size": f[4], "addrs": f[5:]}

    def _word(self, b, i):
        return struct.unpack_from("<I", self.data, self._block(b) + 4 * i)[0]

    def block_of(self, ino, n):
        """Disk block holding block n of the file, or 0 (a hole)."""
        if n < NDIRECT:
            return ino["addrs"][n]
        n -= NDIRECT
        if n < NINDIRECT:
            return self._word(ino["addrs"][NDIRECT], n) if ino["addrs"][NDIRECT] else 0
        n -= NINDIRECT
        if n >= NINDIRECT * NINDIRECT or not ino["addrs"][NDIRECT + 1]:
            return 0
        ind = self._word(ino["addrs"][NDIRECT + 1], n // NINDIRECT)
        return self._word(ind, n % NINDIRECT) if ind else 0

    def read(self, inum):
        ino = self.inode(inum)
        if ino["size"] > MAXFILE * BSIZE:
            raise FsError(f"inode {inum}: size {ino['size']} too large")
        out = bytearray()
        for n in range((ino["size"] + BSIZE - 1) // BSIZE):
            b = self.block_of(ino, n)
            out += self.data[self._block(b):self._block(b) + BSIZE] if b else bytes(BSIZE)
        return bytes(out[:ino["size"]])

    def lookup(self, path):
        """The i-number of an absolute path, or None."""
        inum = ROOTINO
        for name in [p for p in path.split("/") if p]:
            if self.inode(inum)["type"] != T_DIR:
                return None
            entries = self.read(inum)
            found = None
            for off in range(0, len(entries) - DIRENT.size + 1, DIRENT.size):
                n, raw = DIRENT.unpack_from(entries, off)
                if n and raw.split(b"\0")[0].decode("latin-1") == name:
                    found = n
                    break
            if found is None:
                return None
            inum = found
        return inum

    def file(self, path):
        """The contents of the file at path, or None."""
        try:
            inum = self.lookup(path)
            return None if inum is None else self.read(inum)
        except (struct.error, IndexError, ValueError) as e:
            raise FsError(f"{path}: {e}") from e

    def disk_offset(self, path, off):
        """Where byte off of the file at path lies in the image."""
        inum = self.lookup(path)
        if inum is None:
            raise FsError(f"{path}: no such file")
        b = self.block_of(self.inode(inum), off // BSIZE)
        if not b:
            raise FsError(f"{path}: offset {off} in a hole")
        return self._block(b) + off % BSIZE
