//===- Driver.cpp - CUDA driver API calls that throw on failure -----------===//

#include "Driver.h"

#include <dlfcn.h>

#include <mutex>

namespace tailor::detail::cuda {

#define TAILOR_DEFINE_DRIVER_FUNCTION(name) decltype(&::name) name = nullptr
TAILOR_DRIVER_FUNCTIONS(TAILOR_DEFINE_DRIVER_FUNCTION)
#undef TAILOR_DEFINE_DRIVER_FUNCTION

#define TAILOR_STRING(x) TAILOR_STRING_(x)
#define TAILOR_STRING_(x) #x

void loadDriver() {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *reason = dlerror();
      failure = std::string("no NVIDIA driver: cannot open libcuda.so.1 (") +
                (reason ? reason : "unknown reason") + ")";
      return;
    }
    // The names as cuda.h maps them (cuMemAlloc is cuMemAlloc_v2).
#define TAILOR_RESOLVE(name)                                                   \
  do {                                                                         \
    name =                                                                     \
        reinterpret_cast<decltype(name)>(dlsym(library, TAILOR_STRING(name))); \
    if (!name && failure.empty())                                              \
      failure = "the NVIDIA driver lacks " TAILOR_STRING(name) " (too old?)";  \
  } while (false)
    TAILOR_DRIVER_FUNCTIONS(TAILOR_RESOLVE)
#undef TAILOR_RESOLVE
  });
  if (!failure.empty())
    throw CudaError(failure);
}

void check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = nullptr, *description = nullptr;
  cuGetErrorName(result, &name);
  cuGetErrorString(result, &description);
  throw CudaError(std::string(what) + ": " + (name ? name : "CUDA error") +
                  " (" + (description ? description : "no description") + ")");
}

DeviceMemory::DeviceMemory(std::uint64_t size) : bytes(size) {
  if (size)
    check(cuMemAlloc(&pointer, size),
          ("cuMemAlloc of " + std::to_string(size) + " bytes").c_str());
}

DeviceMemory::DeviceMemory(DeviceMemory &&other) noexcept
    : pointer(other.pointer), bytes(other.bytes) {
  other.pointer = 0;
  other.bytes = 0;
}

DeviceMemory &DeviceMemory::operator=(DeviceMemory &&other) noexcept {
  if (this != &other) {
    if (pointer)
      cuMemFree(pointer);
    pointer = other.pointer;
    bytes = other.bytes;
    other.pointer = 0;
    other.bytes = 0;
  }
  return *this;
}

DeviceMemory::~DeviceMemory() {
  if (pointer)
    cuMemFree(pointer);
}

PinnedMemory::PinnedMemory(std::uint64_t bytes) {
  if (bytes)
    check(cuMemAllocHost(&pointer, bytes),
          ("cuMemAllocHost of " + std::to_string(bytes) + " bytes").c_str());
}

PinnedMemory::~PinnedMemory() {
  if (pointer)
    cuMemFreeHost(pointer);
}

std::string archOf(CUdevice device) {
  int major = 0, minor = 0;
  check(cuDeviceGetAttribute(
            &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
        "cuDeviceGetAttribute");
  check(cuDeviceGetAttribute(
            &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
        "cuDeviceGetAttribute");
  std::string arch = "sm_" + std::to_string(major) + std::to_string(minor);
  return major == 9 && minor == 0 ? arch + "a" : arch;
}

} // namespace tailor::detail::cuda
