# A negative test of the structure checks: copies runtime/ of ROOT into
# WORK_DIR, breaks the copy one way (CASE), runs the check on it and asserts
# that the check fails, with a message naming the file and line at fault.
# Usage: cmake -DCASE=... -DROOT=... -DWORK_DIR=... -DCHECKS=<tests/structure>
#        -P NegativeTest.cmake
cmake_minimum_required(VERSION 3.20)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(check CheckRuntimeIncludes.cmake)
set(arguments -DROOT=${WORK_DIR})

if(CASE STREQUAL "bad-links")
  # A closure as tailor_write_link_closure writes it, with a passes/ target
  # and MLIR in it.
  set(check CheckRuntimeLinks.cmake)
  set(arguments -DCLOSURE=${WORK_DIR}/links.txt)
  file(WRITE "${WORK_DIR}/links.txt"
    "tailor_runtime\truntime\n"
    "tailor_safetensors\truntime/formats/safetensors\n"
    "TailorPasses\tpasses/lib\n"
    "MLIRIR\timported\n")
  set(expected "tailor_runtime links TailorPasses, a target of passes/lib\n"
    "tailor_runtime links MLIRIR \\(imported\\): MLIR, LLVM or LibTorch")
else()
  file(COPY "${ROOT}/runtime" DESTINATION "${WORK_DIR}")
  set(bad "${WORK_DIR}/runtime/lib/Bad.cpp")
  if(CASE STREQUAL "upstream-include")
    file(WRITE "${bad}" "// A bad include.\n\n#include \"tailor/checkpoint/checkpoint.h\"\n")
    set(expected "runtime/lib/Bad.cpp:3: includes <tailor/checkpoint/checkpoint.h> "
      "from compiler/, ir/ or passes/")
  elseif(CASE STREQUAL "relative-include")
    file(WRITE "${bad}" "#include <vector>\n#include \"../../passes/include/tailor/passes/Passes.h\"\n")
    set(expected "runtime/lib/Bad.cpp:2: includes \"../../passes/include/tailor/passes/Passes.h\", "
      "which leaves runtime/ for passes/include/tailor/passes/Passes.h")
  elseif(CASE STREQUAL "foreign-include")
    file(WRITE "${bad}" "  #  include <mlir/IR/Operation.h>\n")
    set(expected "runtime/lib/Bad.cpp:1: includes <mlir/IR/Operation.h> \\(MLIR, LLVM or LibTorch\\)")
  elseif(CASE STREQUAL "codegen-include")
    file(WRITE "${bad}" "#include \"tailor/codegen/cuda/Kernel.h\"\n")
    set(expected "runtime/lib/Bad.cpp:1: includes <tailor/codegen/cuda/Kernel.h> from codegen/ "
      "\\(not on the allowlist")
  elseif(CASE STREQUAL "stale-allowlist")
    # An allowlisted file that stops including codegen.
    set(file "${WORK_DIR}/runtime/lib/cuda/KernelLoader.cpp")
    file(READ "${file}" text)
    string(REGEX REPLACE "#include \"tailor/codegen/[^\n]*\n" "" text "${text}")
    file(WRITE "${file}" "${text}")
    set(expected "runtime/lib/cuda/KernelLoader.cpp: on the codegen allowlist in "
      "tests/structure/CheckRuntimeIncludes.cmake but no longer includes a codegen header")
  else()
    message(FATAL_ERROR "unknown CASE '${CASE}'")
  endif()
endif()
string(CONCAT expected ${expected})

execute_process(COMMAND ${CMAKE_COMMAND} ${arguments} -P ${CHECKS}/${check}
  RESULT_VARIABLE failed OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT failed)
  message(FATAL_ERROR "${check} passed on a broken copy (${CASE}):\n${output}")
endif()
if(NOT output MATCHES "${expected}")
  message(FATAL_ERROR "${check} failed on ${CASE} without the message "
    "'${expected}':\n${output}")
endif()
message(STATUS "${check} fails on ${CASE} as it should:\n${output}")
file(REMOVE_RECURSE "${WORK_DIR}")
