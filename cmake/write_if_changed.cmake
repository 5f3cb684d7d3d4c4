# write_if_changed(PATH CONTENT): rewrites PATH only when CONTENT differs, so generated
# sources keep their timestamps and unchanged builds stay incremental.
function(write_if_changed path content)
  set(old "")
  if(EXISTS ${path})
    file(READ ${path} old)
  endif()
  if(NOT old STREQUAL content)
    file(WRITE ${path} "${content}")
  endif()
endfunction()
