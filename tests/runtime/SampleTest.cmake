# Installs the runtime into a fresh prefix, builds samples/image-classifier
# against it with find_package(Tailor), and runs it on data from
# write-test-data. Usage:
#   cmake -DBUILD_DIR=... -DSAMPLE_DIR=... -DWORK_DIR=... -DWRITER=...
#         -DGENERATOR=... -DCXX_COMPILER=... -DSANITIZE_FLAGS=... -P SampleTest.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE failed
    OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(failed)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "${command} failed (${failed}):\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/data)
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
    --component runtime)
foreach(installed include/tailor/runtime.h include/tailor/images.h)
  if(NOT EXISTS ${prefix}/${installed})
    message(FATAL_ERROR "cmake --install did not install ${installed}")
  endif()
endforeach()

run(${CMAKE_COMMAND} -S ${SAMPLE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    "-DCMAKE_CXX_FLAGS=${SANITIZE_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${SANITIZE_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
set(sample ${WORK_DIR}/build/image-classifier)

# The sample must use the installed library, not the build tree's.
run(ldd ${sample})
if(NOT output MATCHES "libtailor_runtime[^\n]*=> ${prefix}/")
  message(FATAL_ERROR "image-classifier does not load the installed "
                      "runtime:\n${output}")
endif()

run(${WRITER} ${WORK_DIR}/data)
run(${sample} ${WORK_DIR}/data/vit.tailor ${WORK_DIR}/data/images.idx.gz
    ${WORK_DIR}/data/labels.idx)
message(STATUS "${output}")
if(NOT output MATCHES "variant b1.00" OR
   NOT output MATCHES "accuracy 1.0000 \\(24 of 24\\)")
  message(FATAL_ERROR "unexpected output of image-classifier:\n${output}")
endif()
run(${sample} ${WORK_DIR}/data/vit.tailor ${WORK_DIR}/data/images.idx.gz
    --budget 0.5)
if(NOT output MATCHES "variant b0.50")
  message(FATAL_ERROR "--budget 0.5 did not pick b0.50:\n${output}")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
