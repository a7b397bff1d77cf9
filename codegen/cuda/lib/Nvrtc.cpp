//===- Nvrtc.cpp - Compiling generated kernels with NVRTC -----------------===//

#include "tailor/codegen/cuda/Nvrtc.h"

#include <nvrtc.h>

#include <algorithm>
#include <memory>

namespace tailor::codegen::cuda {
namespace {

struct ProgramDeleter {
  void operator()(nvrtcProgram program) const { nvrtcDestroyProgram(&program); }
};
using Program =
    std::unique_ptr<std::remove_pointer_t<nvrtcProgram>, ProgramDeleter>;

std::string what(const Kernel &kernel, std::string_view target) {
  return "kernel '" + kernel.name + "' for " + std::string(target);
}

void check(nvrtcResult result, const Kernel &kernel, std::string_view target,
           const char *call) {
  if (result != NVRTC_SUCCESS)
    throw CodegenError("NVRTC " + std::string(call) + " failed on " +
                       what(kernel, target) + ": " +
                       nvrtcGetErrorString(result));
}

} // namespace

std::vector<std::uint8_t> compile(const Kernel &kernel,
                                  std::string_view target) {
  const bool ptx = target.rfind("compute_", 0) == 0;
  if (!ptx && target.rfind("sm_", 0) != 0)
    throw CodegenError("cannot compile " + what(kernel, target) +
                       ": targets are sm_XX (cubin) or compute_XX (PTX)");
  nvrtcProgram raw = nullptr;
  check(nvrtcCreateProgram(&raw, kernel.source.c_str(),
                           (kernel.name + ".cu").c_str(), 0, nullptr, nullptr),
        kernel, target, "nvrtcCreateProgram");
  Program program(raw);
  const std::string arch = "--gpu-architecture=" + std::string(target);
  const char *options[] = {arch.c_str(), "-std=c++17"};
  nvrtcResult result = nvrtcCompileProgram(raw, 2, options);
  if (result != NVRTC_SUCCESS) {
    std::size_t logSize = 0;
    nvrtcGetProgramLogSize(raw, &logSize);
    std::string log(logSize, '\0');
    if (logSize)
      nvrtcGetProgramLog(raw, log.data());
    while (!log.empty() && (log.back() == '\0' || log.back() == '\n'))
      log.pop_back();
    throw CodegenError("NVRTC could not compile " + what(kernel, target) +
                       " (" + nvrtcGetErrorString(result) + "):\n" + log);
  }
  std::size_t size = 0;
  std::vector<std::uint8_t> binary;
  if (ptx) {
    check(nvrtcGetPTXSize(raw, &size), kernel, target, "nvrtcGetPTXSize");
    binary.resize(size);
    check(nvrtcGetPTX(raw, reinterpret_cast<char *>(binary.data())), kernel,
          target, "nvrtcGetPTX");
  } else {
    check(nvrtcGetCUBINSize(raw, &size), kernel, target, "nvrtcGetCUBINSize");
    binary.resize(size);
    check(nvrtcGetCUBIN(raw, reinterpret_cast<char *>(binary.data())), kernel,
          target, "nvrtcGetCUBIN");
  }
  return binary;
}

std::string nvrtcVersion() {
  int major = 0, minor = 0;
  ::nvrtcVersion(&major, &minor);
  return std::to_string(major) + "." + std::to_string(minor);
}

void checkArch(std::string_view arch) {
  int count = 0;
  nvrtcGetNumSupportedArchs(&count);
  std::vector<int> numbers(count);
  nvrtcGetSupportedArchs(numbers.data());
  std::string known;
  for (int number : numbers)
    known += (known.empty() ? "sm_" : ", sm_") + std::to_string(number);
  // sm_<number><suffix>
  std::string_view rest = arch.rfind("sm_", 0) == 0 ? arch.substr(3) : "";
  const std::size_t digits =
      std::min(rest.find_first_not_of("0123456789"), rest.size());
  const std::string_view suffix = rest.substr(digits);
  const bool listed =
      digits > 0 && digits <= 4 &&
      std::find(numbers.begin(), numbers.end(),
                std::stoi(std::string(rest.substr(0, digits)))) !=
          numbers.end();
  bool knownArch = listed && suffix.empty();
  // An arch-specific ("a") or family ("f") variant of a listed arch is
  // known when NVRTC compiles for it.
  if (listed && (suffix == "a" || suffix == "f")) {
    Kernel probe{"tailor_arch_probe",
                 "extern \"C\" __global__ void tailor_arch_probe() {}"};
    try {
      compile(probe, arch);
      knownArch = true;
    } catch (const CodegenError &) {
    }
  }
  if (!knownArch)
    throw CodegenError("NVRTC " + nvrtcVersion() + " does not know arch '" +
                       std::string(arch) + "' (it compiles for " + known +
                       ", and their 'a' and 'f' variants where they exist)");
}

const std::vector<std::string> &defaultTargets() {
  static const std::vector<std::string> targets = {"sm_80", "sm_90a"};
  return targets;
}

} // namespace tailor::codegen::cuda
