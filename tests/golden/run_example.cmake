cmake_minimum_required(VERSION 3.25)
# Runs example drivers with known bugs under libdmasan.so into a fresh JSON directory: real
# findings for the CI recipe tests. -DLIB= -DOUT= -DPROGS="prog --bug=x|prog --bug=y"
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
string(REPLACE "|" ";" PROGS "${PROGS}")
foreach(cmd IN LISTS PROGS)
  separate_arguments(argv UNIX_COMMAND "${cmd}")
  # the sanitizer's exit status is 1 after a report: expected here
  execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_PRELOAD=${LIB} DMASAN_OPTIONS=json_path=${OUT}/run
    ${argv} OUTPUT_QUIET ERROR_QUIET TIMEOUT 120)
endforeach()
file(GLOB files ${OUT}/*.jsonl)
if(NOT files)
  message(FATAL_ERROR "no JSON Lines files in ${OUT}")
endif()
