# docs/options.md is generated from the option tables by tools/gen_options_doc.c.
#   cmake --build BUILD --target options_doc    regenerate it
#   ctest -R docs_options_md                     fails when it is stale
add_executable(gen_options_doc ${PROJECT_SOURCE_DIR}/tools/gen_options_doc.c)
target_compile_options(gen_options_doc PRIVATE ${DMASAN_WARNINGS})
add_custom_target(options_doc
  COMMAND gen_options_doc -o ${CMAKE_CURRENT_SOURCE_DIR}/options.md
  COMMENT "Generating docs/options.md")
if(DMASAN_BUILD_TESTS)
  add_test(NAME docs_options_md COMMAND gen_options_doc --check ${CMAKE_CURRENT_SOURCE_DIR}/options.md)
  set_tests_properties(docs_options_md PROPERTIES LABELS docs)
endif()
