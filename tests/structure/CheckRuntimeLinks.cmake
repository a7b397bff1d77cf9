# Checks what tailor_runtime links, as recorded at configure time by
# tailor_write_link_closure (tests/structure/CMakeLists.txt): every target and
# library it links, recursively, one a line, "name<TAB>origin", origin being
# the folder that defines a target (relative to the source tree), "imported"
# or "name". It fails where one is MLIR, LLVM or LibTorch, or a target of
# compiler/, ir/, passes/ or train/, or a target of codegen/ other than those
# allowed below.
# Usage: cmake -DCLOSURE=<file> -P CheckRuntimeLinks.cmake
cmake_minimum_required(VERSION 3.20)

# The codegen/ targets the runtime still links: the CUDA kernel generators
# (with TAILOR_WITH_CUDA), which the runtime is to stop using (see the
# include allowlist in CheckRuntimeIncludes.cmake).
set(codegen_allowlist tailor_codegen_cuda)

set(forbidden_names "(MLIR|mlir|LLVM|llvm|clang|torch|c10|caffe2)")

if(NOT EXISTS "${CLOSURE}")
  message(FATAL_ERROR "CLOSURE='${CLOSURE}' does not exist")
endif()
file(STRINGS "${CLOSURE}" lines)
set(errors "")
# fail(part...): one error, its parts joined.
macro(fail)
  string(CONCAT message_ ${ARGN})
  list(APPEND errors "${message_}")
endmacro()
set(formats_seen FALSE)
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^([^\t]+)\t(.*)$")
    continue()
  endif()
  set(name "${CMAKE_MATCH_1}")
  set(origin "${CMAKE_MATCH_2}")
  if(name MATCHES "${forbidden_names}")
    fail("tailor_runtime links ${name} (${origin}): MLIR, LLVM or LibTorch")
  elseif(origin MATCHES "^(compiler|ir|passes|train)(/|$)")
    fail("tailor_runtime links ${name}, a target of ${origin}")
  elseif(origin MATCHES "^codegen(/|$)" AND NOT name IN_LIST codegen_allowlist)
    fail("tailor_runtime links ${name}, a target of ${origin} "
      "not on the allowlist in tests/structure/CheckRuntimeLinks.cmake")
  endif()
  if(name STREQUAL "tailor_safetensors" AND origin STREQUAL "runtime/formats/safetensors")
    set(formats_seen TRUE)
  endif()
endforeach()
# A positive check that the closure was recorded: the runtime maps artifacts
# with tailor_safetensors of runtime/formats.
if(NOT formats_seen)
  fail("${CLOSURE} does not record tailor_safetensors from "
    "runtime/formats/safetensors: the closure was not read")
endif()

# Each error on one line as written (a fatal error's text is wrapped).
if(errors)
  list(LENGTH errors count)
  list(JOIN errors "\n" errors)
  message(NOTICE "${errors}")
  message(FATAL_ERROR "tailor_runtime reaches up the arrows (errors above: ${count})")
endif()
list(LENGTH lines count)
list(JOIN lines "\n" lines)
message(STATUS "tailor_runtime links ${count} targets and libraries, recursively, "
  "none of MLIR, LLVM, LibTorch, compiler/, ir/, passes/:\n${lines}")
