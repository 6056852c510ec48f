# Stage 3, where lab 03 ends: the file system and the console and disk drivers run in
# servers/fs, servers/console and servers/disk; the kernel still hosts paging.
HOSTED_3 := mem
