cmake_minimum_required(VERSION 3.25)
# Writes OUT: a run record, a violation whose stack has 10^4 frames, a line nested 10^5 deep,
# then one good violation (which must still be reported).
set(frame "{\"pc\":\"0x5600aa002200\",\"function\":\"recurse\",\"file\":\"/src/r.c\",\"line\":7}")
set(frames "${frame}")
foreach(i RANGE 13) # doubling: 2^14 > 10^4, then cut to exactly 10^4 below
  string(APPEND frames ",${frames}")
endforeach()
string(LENGTH "${frame}," flen)
math(EXPR keep "${flen} * 10000 - 1")
string(SUBSTRING "${frames}" 0 ${keep} frames)
string(REPEAT "[" 100000 deep)
file(WRITE ${OUT} "{\"type\":\"run\",\"dmasan\":1,\"pid\":5,\"exe\":\"/build/deep_test\"}\n"
  "{\"type\":\"violation\",\"check\":\"mapping-leak\",\"stack\":[${frames}]}\n"
  "${deep}\n"
  "{\"type\":\"violation\",\"check\":\"mapping-leak\",\"stack\":[${frame}]}\n")
