# dmasan_criterion_tests(DIR <dir> LIBS <libs...>): one Criterion executable + CTest test per
# <dir>/test_*.c, named after the file. Used by tests/unit/*.
pkg_check_modules(CRITERION REQUIRED IMPORTED_TARGET criterion)
function(dmasan_criterion_tests)
  cmake_parse_arguments(ARG "" "DIR;PREFIX" "LIBS" ${ARGN})
  file(GLOB _tests CONFIGURE_DEPENDS ${ARG_DIR}/test_*.c)
  foreach(_src IN LISTS _tests)
    get_filename_component(_name ${_src} NAME_WE)
    set(_target ${ARG_PREFIX}${_name})
    add_executable(${_target} ${_src})
    target_link_libraries(${_target} PRIVATE ${ARG_LIBS} PkgConfig::CRITERION Threads::Threads)
    target_include_directories(${_target} PRIVATE ${PROJECT_SOURCE_DIR}/src)
    target_compile_options(${_target} PRIVATE -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare)
    # --jobs 1 keeps a 2-core CI machine predictable; tests never depend on timing.
    add_test(NAME ${_target} COMMAND ${_target} --jobs 1)
    set_tests_properties(${_target} PROPERTIES LABELS unit TIMEOUT 300)
  endforeach()
endfunction()
