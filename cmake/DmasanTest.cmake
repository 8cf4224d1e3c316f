# DmasanTest.cmake: run CTest tests under the dmasan sanitizer, one JSON Lines file per test.
#
#   find_package(dmasan)            # or: include(DmasanTest) with this directory on CMAKE_MODULE_PATH
#   dmasan_add_test(NAME t COMMAND prog args... [OPTIONS "k=v:k=v"] [JSON_DIR dir]
#                   [WORKING_DIRECTORY dir])
#   dmasan_mark_tests(t1 t2 ... [OPTIONS "k=v:..."] [JSON_DIR dir])   # tests added with add_test()
#   dmasan_add_report_test(NAME gate [JSON_DIR dir] [ARGS dmasan-report options...])
#
# A marked test runs with LD_PRELOAD=libdmasan.so prepended and DMASAN_OPTIONS extended (after
# whatever the environment already has) by ${DMASAN_DEFAULT_OPTIONS}, OPTIONS and
# json_path=<JSON_DIR>/<test>, so each process writes <JSON_DIR>/<test>.<pid>.jsonl. A setup
# fixture empties JSON_DIR at the start of each ctest run, so files from older runs never reach the
# report. dmasan_add_report_test() adds a test that runs after the marked ones (a fixture cleanup)
# and gates on dmasan-report's exit status.
#
# Variables (set before the calls to override):
#   DMASAN_LIBRARY            libdmasan.so; default: the `dmasan` target of this build, else the
#                             library installed beside this module (lib/cmake/dmasan -> lib)
#   DMASAN_JSON_DIR           default JSON_DIR: ${CMAKE_BINARY_DIR}/dmasan-json
#   DMASAN_DEFAULT_OPTIONS    options for every marked test, e.g. "halt_on_error=0:detect_leaks=1"
#   DMASAN_REPORT_EXECUTABLE  dmasan-report; default: the target of this build, else the one installed
#
# Script mode (used by the setup fixture): cmake -DDMASAN_CLEAN_DIR=dir -P DmasanTest.cmake
if(CMAKE_SCRIPT_MODE_FILE)
  if(DMASAN_CLEAN_DIR)
    file(REMOVE_RECURSE "${DMASAN_CLEAN_DIR}")
    file(MAKE_DIRECTORY "${DMASAN_CLEAN_DIR}")
  endif()
  return()
endif()
include_guard(GLOBAL)
cmake_minimum_required(VERSION 3.22) # ENVIRONMENT_MODIFICATION
set(_DMASAN_TEST_MODULE "${CMAKE_CURRENT_LIST_FILE}")
set(_DMASAN_TEST_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(_dmasan_library out)
  if(DMASAN_LIBRARY)
    set(${out} "${DMASAN_LIBRARY}" PARENT_SCOPE)
  elseif(TARGET dmasan)
    set(${out} "$<TARGET_FILE:dmasan>" PARENT_SCOPE)
  else()
    find_library(DMASAN_LIBRARY NAMES dmasan
      HINTS "${_DMASAN_TEST_MODULE_DIR}/../.." "${_DMASAN_TEST_MODULE_DIR}/../../..")
    if(NOT DMASAN_LIBRARY)
      message(FATAL_ERROR "DmasanTest: libdmasan.so not found; set DMASAN_LIBRARY")
    endif()
    set(${out} "${DMASAN_LIBRARY}" PARENT_SCOPE)
  endif()
endfunction()

function(_dmasan_report_executable out)
  if(DMASAN_REPORT_EXECUTABLE)
    set(${out} "${DMASAN_REPORT_EXECUTABLE}" PARENT_SCOPE)
  elseif(TARGET dmasan-report)
    set(${out} "$<TARGET_FILE:dmasan-report>" PARENT_SCOPE)
  else()
    find_program(DMASAN_REPORT_EXECUTABLE dmasan-report
      HINTS "${_DMASAN_TEST_MODULE_DIR}/../../../bin" "${_DMASAN_TEST_MODULE_DIR}/../../bin")
    if(NOT DMASAN_REPORT_EXECUTABLE)
      message(FATAL_ERROR "DmasanTest: dmasan-report not found; set DMASAN_REPORT_EXECUTABLE")
    endif()
    set(${out} "${DMASAN_REPORT_EXECUTABLE}" PARENT_SCOPE)
  endif()
endfunction()

# The fixture that empties one JSON directory before the tests that write into it.
function(_dmasan_json_fixture dir out)
  string(MD5 hash "${dir}")
  string(SUBSTRING "${hash}" 0 8 hash)
  set(fixture "dmasan_json_${hash}")
  if(NOT TEST ${fixture}_clean)
    add_test(NAME ${fixture}_clean
      COMMAND ${CMAKE_COMMAND} "-DDMASAN_CLEAN_DIR=${dir}" -P "${_DMASAN_TEST_MODULE}")
    set_tests_properties(${fixture}_clean PROPERTIES FIXTURES_SETUP ${fixture} LABELS dmasan)
  endif()
  set(${out} ${fixture} PARENT_SCOPE)
endfunction()

function(_dmasan_json_dir out given)
  if(given)
    set(dir "${given}")
  elseif(DMASAN_JSON_DIR)
    set(dir "${DMASAN_JSON_DIR}")
  else()
    set(dir "${CMAKE_BINARY_DIR}/dmasan-json")
  endif()
  get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

function(dmasan_mark_tests)
  cmake_parse_arguments(ARG "" "OPTIONS;JSON_DIR" "" ${ARGN})
  _dmasan_library(lib)
  _dmasan_json_dir(dir "${ARG_JSON_DIR}")
  _dmasan_json_fixture("${dir}" fixture)
  foreach(t IN LISTS ARG_UNPARSED_ARGUMENTS)
    if(NOT TEST ${t})
      message(FATAL_ERROR "dmasan_mark_tests: no test named '${t}'")
    endif()
    string(MAKE_C_IDENTIFIER "${t}" file) # test names may hold '/', spaces, ...
    set(opts "")
    foreach(o IN ITEMS "${DMASAN_DEFAULT_OPTIONS}" "${ARG_OPTIONS}" "json_path=${dir}/${file}")
      if(NOT o STREQUAL "")
        list(APPEND opts "DMASAN_OPTIONS=path_list_append:${o}") # ':' joins, as the parser wants
      endif()
    endforeach()
    set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT_MODIFICATION
      "LD_PRELOAD=path_list_prepend:${lib}" ${opts})
    set_property(TEST ${t} APPEND PROPERTY FIXTURES_REQUIRED ${fixture})
    set_property(TEST ${t} APPEND PROPERTY LABELS dmasan)
  endforeach()
endfunction()

function(dmasan_add_test)
  cmake_parse_arguments(ARG "" "NAME;OPTIONS;JSON_DIR;WORKING_DIRECTORY" "COMMAND" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_COMMAND)
    message(FATAL_ERROR "dmasan_add_test: NAME and COMMAND are required")
  endif()
  if(ARG_WORKING_DIRECTORY)
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_COMMAND} WORKING_DIRECTORY "${ARG_WORKING_DIRECTORY}")
  else()
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_COMMAND})
  endif()
  dmasan_mark_tests(${ARG_NAME} OPTIONS "${ARG_OPTIONS}" JSON_DIR "${ARG_JSON_DIR}")
endfunction()

function(dmasan_add_report_test)
  cmake_parse_arguments(ARG "" "NAME;JSON_DIR" "ARGS" ${ARGN})
  if(NOT ARG_NAME)
    set(ARG_NAME dmasan_report)
  endif()
  _dmasan_report_executable(tool)
  _dmasan_json_dir(dir "${ARG_JSON_DIR}")
  _dmasan_json_fixture("${dir}" fixture)
  if(NOT ARG_ARGS)
    set(ARG_ARGS --format summary)
  endif()
  add_test(NAME ${ARG_NAME} COMMAND "${tool}" ${ARG_ARGS} "${dir}")
  set_tests_properties(${ARG_NAME} PROPERTIES FIXTURES_CLEANUP ${fixture} LABELS dmasan)
endfunction()
