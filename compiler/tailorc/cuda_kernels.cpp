//===- cuda_kernels.cpp - tailorc compile --target: kernels ahead of time -===//

#include "cuda_kernels.h"

#include "tailor/runtime.h"
#ifdef TAILOR_WITH_CUDA
#include "tailor/codegen/cuda/Nvrtc.h"
#endif

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

namespace tailor::tailorc {

std::vector<std::string>
parseCudaTargets(const std::vector<std::string> &targets) {
  std::vector<std::string> archs;
  for (const std::string &target : targets) {
    const std::string what = "--target '" + target + "'";
    if (target.rfind("cuda:", 0) != 0)
      throw std::invalid_argument(
          what + ": expected cuda:<arch>, e.g. cuda:sm_80 or cuda:sm_90a");
    std::string arch = target.substr(5);
#ifndef TAILOR_WITH_CUDA
    throw std::invalid_argument(what + ": this tailorc was built without "
                                       "CUDA support (TAILOR_WITH_CUDA=OFF)");
#else
    try {
      codegen::cuda::checkArch(arch);
    } catch (const codegen::cuda::CodegenError &error) {
      throw std::invalid_argument(what + ": " + error.what());
    }
#endif
    if (std::find(archs.begin(), archs.end(), arch) != archs.end())
      throw std::invalid_argument(what + " is given twice");
    archs.push_back(arch);
  }
  return archs;
}

std::vector<artifact::KernelTensor>
compileCudaKernels(const std::string &path, const std::string &precision,
                   const std::vector<std::string> &archs) {
  Result<Model> model = Model::load(path);
  if (!model.ok())
    throw std::runtime_error(model.status().message());
  // By name: variants share most kernels, and archs most of theirs (an
  // sm_90a session launches kernels of its own, which only it runs).
  std::map<std::string, std::string> sources;
  std::map<std::string, std::set<std::string>> archsOf;
  for (const std::string &arch : archs)
    for (const VariantInfo &variant : model->variants()) {
      Result<std::vector<CudaKernel>> kernels =
          model->cudaKernels(variant.name, precision, arch);
      if (!kernels.ok())
        throw std::runtime_error(kernels.status().message());
      for (CudaKernel &kernel : *kernels) {
        archsOf[kernel.name].insert(arch);
        sources.emplace(std::move(kernel.name), std::move(kernel.source));
      }
    }
  struct Job {
    std::size_t tensor;
    const std::string *name;
    const std::string *arch;
  };
  std::vector<artifact::KernelTensor> tensors;
  std::vector<Job> jobs;
  for (const auto &[name, source] : sources) {
    tensors.push_back(
        {"kernel." + name + ".cu", {source.begin(), source.end()}});
    for (const std::string &arch : archs) {
      if (!archsOf.at(name).count(arch))
        continue;
      jobs.push_back({tensors.size(), &name, &arch});
      tensors.push_back({"kernel." + name + ".cubin." + arch, {}});
    }
  }
#ifdef TAILOR_WITH_CUDA
  // Each cubin is a second or so of NVRTC: every core takes the next one.
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  auto work = [&] {
    for (std::size_t index; !failed && (index = next++) < jobs.size();) {
      const Job &job = jobs[index];
      try {
        tensors[job.tensor].bytes = codegen::cuda::compile(
            {*job.name, sources.at(*job.name)}, *job.arch);
      } catch (...) {
        if (!failed.exchange(true))
          failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> workers;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 1; i < std::min<std::size_t>(cores, jobs.size()); ++i)
    workers.emplace_back(work);
  work();
  for (std::thread &worker : workers)
    worker.join();
  if (failure)
    std::rethrow_exception(failure);
#endif
  return tensors;
}

} // namespace tailor::tailorc
