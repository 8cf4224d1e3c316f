# Self-checking builds (docs/reliability.md). Each needs its own build directory:
#   DMASAN_SANITIZE=address,undefined   the whole tree under ASan+UBSan
#   DMASAN_SANITIZE=thread              the whole tree under ThreadSanitizer
#   DMASAN_FUZZ=ON (clang only)         libFuzzer coverage in every object, ASan+UBSan, and the
#                                       libFuzzer targets of tests/fuzz/
set(DMASAN_SANITIZE "" CACHE STRING "Build everything with -fsanitize=<list> (address,undefined | thread)")
option(DMASAN_FUZZ "Build the libFuzzer targets in tests/fuzz (clang; implies address,undefined)" OFF)

if(DMASAN_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DMASAN_FUZZ needs clang: cmake -DCMAKE_C_COMPILER=clang -DDMASAN_FUZZ=ON")
  endif()
  if(NOT DMASAN_SANITIZE)
    set(DMASAN_SANITIZE address,undefined)
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(DMASAN_SANITIZE)
  # Stop at the first UBSan finding: a finding must fail the test that hit it.
  add_compile_options(-fsanitize=${DMASAN_SANITIZE} -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${DMASAN_SANITIZE})
  if(DMASAN_SANITIZE MATCHES "thread" AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
    # The shim's mb()/rmb()/wmb() are atomic_thread_fence(), which TSan does not model (GCC
    # warns); no synchronisation in libkdma or the sanitizer relies on a fence alone.
    add_compile_options(-Wno-tsan)
  endif()
  if(DMASAN_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()
