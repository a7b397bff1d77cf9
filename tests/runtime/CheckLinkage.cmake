# Checks with the linker's own records that the runtime library and
# tailor-run load neither MLIR/LLVM nor LibTorch: the direct dependencies
# (readelf -d, DT_NEEDED) and everything the dynamic loader would load (ldd).
# Usage: cmake -DFILES="a;b" -P CheckLinkage.cmake
# Library names only: addresses in ldd's output may contain "c10" too.
set(forbidden "lib(MLIR|mlir|LLVM|llvm|clang|torch|c10|caffe2)[^ /]*\\.so")
foreach(file IN LISTS FILES)
  execute_process(COMMAND readelf -d ${file}
    OUTPUT_VARIABLE dynamic RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "readelf -d ${file} failed")
  endif()
  string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*" needed "${dynamic}")
  # A positive check that the records were read: every Tailor binary needs
  # the C library (not always libstdc++: a toolchain may link it statically,
  # as the GPU machine's GCC does).
  if(NOT needed MATCHES "libc\\.so")
    message(FATAL_ERROR "${file}: no DT_NEEDED libc in:\n${dynamic}")
  endif()
  if(needed MATCHES "${forbidden}")
    message(FATAL_ERROR "${file} links a forbidden library:\n${needed}")
  endif()
  execute_process(COMMAND ldd ${file}
    OUTPUT_VARIABLE loaded RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "ldd ${file} failed")
  endif()
  if(loaded MATCHES "${forbidden}")
    message(FATAL_ERROR "${file} loads a forbidden library:\n${loaded}")
  endif()
  if(loaded MATCHES "not found")
    message(FATAL_ERROR "${file} has unresolved libraries:\n${loaded}")
  endif()
  message(STATUS "${file}: ${needed}")
endforeach()
