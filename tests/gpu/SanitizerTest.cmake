# Runs PROGRAM under compute-sanitizer's TOOL; prints "no GPU: ..." (which
# the test's SKIP_REGULAR_EXPRESSION turns into a skip) when there is none.
execute_process(COMMAND ${PROGRAM} --probe
  OUTPUT_VARIABLE probe ERROR_VARIABLE probe RESULT_VARIABLE status)
if(probe MATCHES "no GPU")
  message("${probe}")
  return()
endif()
execute_process(
  COMMAND ${SANITIZER} --tool ${TOOL} --error-exitcode 99 ${PROGRAM}
  OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "compute-sanitizer --tool ${TOOL} failed (exit ${status})")
endif()
