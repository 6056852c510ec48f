# Stage 3, where lab 03 ends: the file system and the console and disk drivers run in
# servers/fs, servers/console and servers/disk; the kernel still hosts paging.
# @lab 03 solution
HOSTED_3 := mem
# @lab 03 stub
#: # TODO (lab 03, last step): leave only mem on this list once servers/fs,
#: # servers/console and servers/disk serve.
#: HOSTED_3 := mem fs console disk
# @lab 03 end
