//===- KernelLoader.cpp - Generated kernels as loaded functions -----------===//

#include "KernelLoader.h"

#include "tailor/codegen/cuda/Nvrtc.h"
#include "tailor/safetensors/safetensors.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace tailor::detail::cuda {
namespace {

namespace fs = std::filesystem;

std::uint64_t fnv1a(const std::string &text) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : text)
    hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::vector<std::uint8_t> readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return {};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Written under a temporary name and renamed, so a reader never sees half
/// a cubin; a cache that cannot be written is skipped.
void writeFile(const fs::path &path, const std::vector<std::uint8_t> &bytes) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  fs::path temporary = path;
  temporary += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary);
    if (!out)
      return;
    out.write(reinterpret_cast<const char *>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out)
      return;
  }
  fs::rename(temporary, path, error);
  if (error)
    fs::remove(temporary, error);
}

} // namespace

std::string kernelCacheDirectory() {
  if (const char *dir = std::getenv("TAILOR_KERNEL_CACHE"); dir && *dir)
    return dir;
  if (const char *dir = std::getenv("XDG_CACHE_HOME"); dir && *dir)
    return std::string(dir) + "/tailor/kernels";
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/tailor/kernels";
  return {};
}

KernelLoader::KernelLoader(const safetensors::File &artifact, std::string arch)
    : KernelSource(std::move(arch)), artifact(artifact) {}

KernelLoader::~KernelLoader() {
  for (auto &[name, kernel] : loaded)
    cuModuleUnload(kernel.module);
}

std::vector<std::uint8_t>
KernelLoader::jitCompile(const codegen::cuda::Kernel &kernel) {
  std::string directory = kernelCacheDirectory();
  char key[32];
  std::snprintf(key, sizeof key, "%016llx",
                static_cast<unsigned long long>(fnv1a(kernel.source)));
  fs::path cached;
  if (!directory.empty()) {
    cached =
        fs::path(directory) / (kernel.name + "-" + key + "-" + arch + "-nvrtc" +
                               codegen::cuda::nvrtcVersion() + ".cubin");
    std::vector<std::uint8_t> bytes = readFile(cached);
    if (!bytes.empty())
      return bytes;
  }
  std::vector<std::uint8_t> cubin = codegen::cuda::compile(kernel, arch);
  if (!cached.empty())
    writeFile(cached, cubin);
  return cubin;
}

CUfunction KernelLoader::load(const codegen::cuda::Kernel &kernel) {
  if (auto found = loaded.find(kernel.name); found != loaded.end())
    return found->second.function;
  Loaded entry;
  std::vector<std::uint8_t> image;
  const std::string prefix = "kernel." + kernel.name;
  std::string what = "kernel '" + kernel.name + "'";
  // A stored cubin the driver refuses makes the artifact bad: an error
  // naming the tensor, never a quiet recompile that hides it.
  if (const auto *cubin = artifact.find(prefix + ".cubin." + arch)) {
    what = "the artifact's tensor '" + cubin->name + "'";
    const std::uint8_t *data = artifact.data(*cubin);
    image.assign(data, data + cubin->numBytes());
    entry.origin = KernelOrigin::ArtifactCubin;
  } else if (const auto *source = artifact.find(prefix + ".cu")) {
    codegen::cuda::Kernel stored = kernel;
    const std::uint8_t *data = artifact.data(*source);
    stored.source.assign(data, data + source->numBytes());
    image = jitCompile(stored);
    entry.origin = KernelOrigin::ArtifactSource;
  } else {
    image = jitCompile(kernel);
    entry.origin = KernelOrigin::Generated;
  }
  check(cuModuleLoadData(&entry.module, image.data()),
        ("cuModuleLoadData of " + what).c_str());
  CUresult found =
      cuModuleGetFunction(&entry.function, entry.module, kernel.name.c_str());
  if (found != CUDA_SUCCESS) {
    cuModuleUnload(entry.module);
    check(found, ("cuModuleGetFunction of " + what).c_str());
  }
  if (kernel.sharedBytes > 48 * 1024)
    check(cuFuncSetAttribute(entry.function,
                             CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                             static_cast<int>(kernel.sharedBytes)),
          ("raising the shared memory of " + what).c_str());
  loaded.emplace(kernel.name, entry);
  return entry.function;
}

std::map<std::string, KernelOrigin> KernelLoader::origins() const {
  std::map<std::string, KernelOrigin> origins;
  for (const auto &[name, kernel] : loaded)
    origins[name] = kernel.origin;
  return origins;
}

} // namespace tailor::detail::cuda
