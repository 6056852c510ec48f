# Stage 4, where lab 04 ends: the finished system. Paging runs in servers/mem and the
# kernel hosts no subsystem at all.
HOSTED_4 :=
