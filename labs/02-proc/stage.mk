# Stage 2, where lab 02 ends: process management runs in servers/proc; the kernel
# still hosts the rest.
# @lab 02 solution
HOSTED_2 := mem fs console disk
# @lab 02 stub
#: # TODO (lab 02, last step): take proc off this list once servers/proc serves, so
#: # the kernel no longer hosts process management at stage 2.
#: HOSTED_2 := mem proc fs console disk
# @lab 02 end
