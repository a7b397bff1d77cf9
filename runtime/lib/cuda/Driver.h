//===- Driver.h - CUDA driver API calls that throw on failure ---*- C++ -*-===//
//
// The driver (libcuda.so.1) is opened at run time, not linked: the runtime
// loads on machines without an NVIDIA driver and refuses "cuda:N" there
// with an error. The driver functions the backend calls are pointers of
// this namespace with the driver's names (cuda.h's versioned names), so
// code here calls them as usual; loadDriver() sets them.
//
// Inside the CUDA backend a failed driver, cuBLASLt or NVRTC call throws
// CudaError naming the call; the backend's entry points turn it into a
// Status, so nothing crosses the public API.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_CUDA_DRIVER_H
#define TAILOR_RUNTIME_CUDA_DRIVER_H

#include <cuda.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tailor::detail::cuda {

class CudaError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Each entry ends in a semicolon, so that clang-format keeps one per line.
#define TAILOR_DRIVER_FUNCTIONS(X)                                             \
  X(cuInit);                                                                   \
  X(cuDeviceGetCount);                                                         \
  X(cuDeviceGet);                                                              \
  X(cuDeviceGetAttribute);                                                     \
  X(cuDevicePrimaryCtxRetain);                                                 \
  X(cuDevicePrimaryCtxRelease);                                                \
  X(cuCtxSetCurrent);                                                          \
  X(cuStreamCreate);                                                           \
  X(cuStreamDestroy);                                                          \
  X(cuStreamSynchronize);                                                      \
  X(cuStreamBeginCapture);                                                     \
  X(cuStreamEndCapture);                                                       \
  X(cuGraphInstantiate);                                                       \
  X(cuGraphDestroy);                                                           \
  X(cuGraphExecDestroy);                                                       \
  X(cuGraphLaunch);                                                            \
  X(cuMemAlloc);                                                               \
  X(cuMemFree);                                                                \
  X(cuMemAllocHost);                                                           \
  X(cuMemFreeHost);                                                            \
  X(cuMemcpyHtoD);                                                             \
  X(cuMemcpyDtoH);                                                             \
  X(cuMemcpyHtoDAsync);                                                        \
  X(cuMemcpyDtoHAsync);                                                        \
  X(cuMemcpyDtoDAsync);                                                        \
  X(cuMemsetD8Async);                                                          \
  X(cuMemsetD32Async);                                                         \
  X(cuModuleLoadData);                                                         \
  X(cuModuleUnload);                                                           \
  X(cuModuleGetFunction);                                                      \
  X(cuFuncSetAttribute);                                                       \
  X(cuLaunchKernel);                                                           \
  X(cuGetErrorName);                                                           \
  X(cuGetErrorString);

#define TAILOR_DECLARE_DRIVER_FUNCTION(name) extern decltype(&::name) name
TAILOR_DRIVER_FUNCTIONS(TAILOR_DECLARE_DRIVER_FUNCTION)
#undef TAILOR_DECLARE_DRIVER_FUNCTION

/// Opens libcuda.so.1 and sets the functions above, once; throws CudaError
/// when there is no driver (or it lacks a function).
void loadDriver();

/// Throws CudaError "<what>: <the driver's name and description>" unless
/// `result` is CUDA_SUCCESS.
void check(CUresult result, const char *what);

/// One device allocation, freed with the object.
class DeviceMemory {
public:
  DeviceMemory() = default;
  explicit DeviceMemory(std::uint64_t bytes);
  DeviceMemory(DeviceMemory &&other) noexcept;
  DeviceMemory &operator=(DeviceMemory &&other) noexcept;
  ~DeviceMemory();

  CUdeviceptr get() const { return pointer; }
  std::uint64_t size() const { return bytes; }

private:
  CUdeviceptr pointer = 0;
  std::uint64_t bytes = 0;
};

/// Page-locked host memory, which the device copies into asynchronously.
class PinnedMemory {
public:
  explicit PinnedMemory(std::uint64_t bytes);
  PinnedMemory(const PinnedMemory &) = delete;
  PinnedMemory &operator=(const PinnedMemory &) = delete;
  ~PinnedMemory();

  void *get() const { return pointer; }

private:
  void *pointer = nullptr;
};

/// The device's arch as NVRTC names it: "sm_90a" for compute capability
/// 9.0 (its cubins use the Hopper-only instructions), "sm_XY" otherwise.
std::string archOf(CUdevice device);

} // namespace tailor::detail::cuda

#endif // TAILOR_RUNTIME_CUDA_DRIVER_H
