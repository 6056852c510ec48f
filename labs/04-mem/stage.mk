# Stage 4, where lab 04 ends: the finished system. Paging runs in servers/mem and the
# kernel hosts no subsystem at all.
# @lab 04 solution
HOSTED_4 :=
# @lab 04 stub
#: # TODO (lab 04, last step): empty this list once servers/mem serves.
#: HOSTED_4 := mem
# @lab 04 end
