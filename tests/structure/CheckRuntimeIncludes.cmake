# The arrows between the libraries go one way: train -> (checkpoint files) ->
# compiler -> ir, passes, codegen -> (artifact file) -> runtime. This check
# fails, naming file and line, where a file under runtime/ includes a header
# of compiler/, ir/ or passes/ (tailor/checkpoint/, tailor/importer/,
# tailor/ir/, tailor/passes/), of MLIR, LLVM or LibTorch, or a header of
# codegen/ (tailor/codegen/) outside the allowlist below, or where a relative
# include ("../...") leaves runtime/.
# Usage: cmake -DROOT=<source tree> -P CheckRuntimeIncludes.cmake
cmake_minimum_required(VERSION 3.20)

# The runtime files that still include the CUDA kernel generators of codegen/
# (tailor/codegen/cuda/...), paths relative to ROOT. They are to stop doing
# so; the list can only shrink: a file here that no longer includes a codegen
# header fails the check too, until it is taken off the list.
set(codegen_allowlist
  runtime/lib/cuda/Backend.cpp
  runtime/lib/cuda/Backend.h
  runtime/lib/cuda/KernelLoader.cpp
  runtime/lib/cuda/KernelLoader.h
  runtime/lib/cuda/Lowering.cpp
  runtime/lib/cuda/Lowering.h
  runtime/lib/cuda/VariantKernels.h
)

if(NOT ROOT OR NOT IS_DIRECTORY "${ROOT}/runtime")
  message(FATAL_ERROR "ROOT='${ROOT}' has no runtime/ folder")
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)

set(upstream "tailor/(checkpoint|importer|ir|passes)/")
set(foreign "(mlir|mlir-c|llvm|llvm-c|torch|ATen|c10)/")
set(codegen "tailor/codegen/")

file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE "${ROOT}"
  "${ROOT}/runtime/*.h" "${ROOT}/runtime/*.hh" "${ROOT}/runtime/*.hpp"
  "${ROOT}/runtime/*.c" "${ROOT}/runtime/*.cc" "${ROOT}/runtime/*.cpp"
  "${ROOT}/runtime/*.cxx" "${ROOT}/runtime/*.cu" "${ROOT}/runtime/*.cuh"
  "${ROOT}/runtime/*.inc" "${ROOT}/runtime/*.def")
list(SORT files)

set(errors "")
# fail(part...): one error, its parts joined.
macro(fail)
  string(CONCAT message_ ${ARGN})
  list(APPEND errors "${message_}")
endmacro()
set(includes_seen 0)
set(codegen_users "")
foreach(file IN LISTS files)
  file(READ "${ROOT}/${file}" text)
  if(NOT text MATCHES "#[ \t]*include")
    continue()
  endif()
  # One list element a line: characters that CMake lists treat specially
  # become harmless first (no include of interest contains them).
  string(REPLACE "\\" "/" text "${text}")
  string(REPLACE ";" "_" text "${text}")
  string(REPLACE "[" "_" text "${text}")
  string(REPLACE "]" "_" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  get_filename_component(dir "${ROOT}/${file}" DIRECTORY)
  set(number 0)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
      continue()
    endif()
    set(quote "${CMAKE_MATCH_1}")
    set(header "${CMAKE_MATCH_2}")
    math(EXPR includes_seen "${includes_seen} + 1")
    set(where "${file}:${number}")
    if(header MATCHES "^${upstream}")
      fail(
        "${where}: includes <${header}> from compiler/, ir/ or passes/")
    elseif(header MATCHES "^${foreign}")
      fail("${where}: includes <${header}> (MLIR, LLVM or LibTorch)")
    elseif(header MATCHES "^${codegen}")
      list(APPEND codegen_users "${file}")
      if(NOT file IN_LIST codegen_allowlist)
        fail("${where}: includes <${header}> from codegen/ "
          "(not on the allowlist in tests/structure/CheckRuntimeIncludes.cmake)")
      endif()
    elseif(quote STREQUAL "\"" AND header MATCHES "(^|/)\\.\\.(/|$)")
      get_filename_component(target "${dir}/${header}" ABSOLUTE)
      file(RELATIVE_PATH target "${ROOT}" "${target}")
      if(target MATCHES "^codegen/")
        list(APPEND codegen_users "${file}")
        if(NOT file IN_LIST codegen_allowlist)
          fail("${where}: includes \"${header}\" from codegen/ "
            "(not on the allowlist in tests/structure/CheckRuntimeIncludes.cmake)")
        endif()
      elseif(NOT target MATCHES "^runtime/")
        fail(
          "${where}: includes \"${header}\", which leaves runtime/ for ${target}")
      endif()
    endif()
  endforeach()
endforeach()

foreach(file IN LISTS codegen_allowlist)
  if(NOT EXISTS "${ROOT}/${file}")
    fail("${file}: on the codegen allowlist in "
      "tests/structure/CheckRuntimeIncludes.cmake but no longer exists: take it off the list")
  elseif(NOT file IN_LIST codegen_users)
    fail("${file}: on the codegen allowlist in "
      "tests/structure/CheckRuntimeIncludes.cmake but no longer includes a codegen header: "
      "take it off the list")
  endif()
endforeach()

# A positive check that the tree was read at all.
list(LENGTH files file_count)
if(file_count EQUAL 0 OR includes_seen EQUAL 0)
  fail("no source files or no includes found under ${ROOT}/runtime")
endif()

# Each error on one line as written (a fatal error's text is wrapped).
if(errors)
  list(LENGTH errors count)
  list(JOIN errors "\n" errors)
  message(NOTICE "${errors}")
  message(FATAL_ERROR "runtime/ reaches up the arrows (errors above: ${count})")
endif()
message(STATUS "runtime/: ${file_count} files, ${includes_seen} includes, "
  "none from compiler/, ir/, passes/; codegen only from the allowlist")
