//===- Gemm.cpp - Dense layers through cuBLASLt ---------------------------===//

#include "Gemm.h"

namespace tailor::detail::cuda {
namespace {

constexpr std::uint64_t kWorkspaceBytes = 32ull << 20;

void checkBlas(cublasStatus_t status, const char *what) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw CudaError(std::string(what) + ": cuBLASLt status " +
                    std::to_string(static_cast<int>(status)) + " (" +
                    cublasLtGetStatusString(status) + ")");
}

cublasComputeType_t computeType(GemmMath math) {
  switch (math) {
  case GemmMath::F32:
    return CUBLAS_COMPUTE_32F;
  case GemmMath::TF32:
    return CUBLAS_COMPUTE_32F_FAST_TF32;
  case GemmMath::BF16:
    return CUBLAS_COMPUTE_32F_FAST_16BF;
  case GemmMath::F16:
    return CUBLAS_COMPUTE_32F_FAST_16F;
  }
  return CUBLAS_COMPUTE_32F;
}

cublasLtEpilogue_t epilogueOf(GemmEpilogue epilogue) {
  switch (epilogue) {
  case GemmEpilogue::None:
    return CUBLASLT_EPILOGUE_DEFAULT;
  case GemmEpilogue::Bias:
    return CUBLASLT_EPILOGUE_BIAS;
  case GemmEpilogue::ReluBias:
    return CUBLASLT_EPILOGUE_RELU_BIAS;
  case GemmEpilogue::GeluTanhBias:
    return CUBLASLT_EPILOGUE_GELU_BIAS;
  }
  return CUBLASLT_EPILOGUE_DEFAULT;
}

cudaDataType_t dataType(GemmType type) {
  switch (type) {
  case GemmType::F32:
    return CUDA_R_32F;
  case GemmType::BF16:
    return CUDA_R_16BF;
  case GemmType::F16:
    return CUDA_R_16F;
  }
  return CUDA_R_32F;
}

/// The largest power of two up to 256 that divides `pointer`.
std::uint32_t alignmentOf(CUdeviceptr pointer) {
  std::uint32_t alignment = 256;
  while (alignment > 1 && pointer % alignment)
    alignment /= 2;
  return alignment;
}

} // namespace

Gemm::Gemm(GemmMath math) : math(math), workspace(kWorkspaceBytes) {
  checkBlas(cublasLtCreate(&handle), "cublasLtCreate");
}

Gemm::~Gemm() {
  for (auto &[key, plan] : plans) {
    cublasLtMatrixLayoutDestroy(plan.a);
    cublasLtMatrixLayoutDestroy(plan.b);
    cublasLtMatrixLayoutDestroy(plan.c);
    cublasLtMatmulDescDestroy(plan.desc);
  }
  if (handle)
    cublasLtDestroy(handle);
}

// Row-major y = x W^T is, column-major, y^T [out, rows] = W [out, in] x^T:
// A is W stored as a column-major [in, out] matrix, transposed; B is x as a
// column-major [in, rows] matrix; C is y as [out, rows]. The bias is per
// row of C, i.e. per output feature, as cuBLASLt's epilogue adds it.
Gemm::Plan &Gemm::planFor(const Key &key) {
  const auto [rows, in, out, epilogueIndex, alignW, alignX, alignY, alignC,
              operandIndex, outputIndex] = key;
  const auto epilogue = static_cast<GemmEpilogue>(epilogueIndex);
  const auto operands = static_cast<GemmType>(operandIndex);
  const cudaDataType_t operandType = dataType(operands);
  const cudaDataType_t outputType =
      dataType(static_cast<GemmType>(outputIndex));
  if (auto found = plans.find(key); found != plans.end())
    return found->second;
  Plan plan;
  checkBlas(cublasLtMatmulDescCreate(&plan.desc,
                                     operands == GemmType::F32
                                         ? computeType(math)
                                         : CUBLAS_COMPUTE_32F,
                                     CUDA_R_32F),
            "cublasLtMatmulDescCreate");
  cublasOperation_t transposed = CUBLAS_OP_T, plain = CUBLAS_OP_N;
  checkBlas(cublasLtMatmulDescSetAttribute(plan.desc,
                                           CUBLASLT_MATMUL_DESC_TRANSA,
                                           &transposed, sizeof transposed),
            "cublasLtMatmulDescSetAttribute(TRANSA)");
  checkBlas(cublasLtMatmulDescSetAttribute(
                plan.desc, CUBLASLT_MATMUL_DESC_TRANSB, &plain, sizeof plain),
            "cublasLtMatmulDescSetAttribute(TRANSB)");
  cublasLtEpilogue_t fused = epilogueOf(epilogue);
  checkBlas(cublasLtMatmulDescSetAttribute(
                plan.desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &fused, sizeof fused),
            "cublasLtMatmulDescSetAttribute(EPILOGUE)");
  checkBlas(cublasLtMatrixLayoutCreate(&plan.a, operandType, in, out, in),
            "cublasLtMatrixLayoutCreate(A)");
  checkBlas(cublasLtMatrixLayoutCreate(&plan.b, operandType, in, rows, in),
            "cublasLtMatrixLayoutCreate(B)");
  checkBlas(cublasLtMatrixLayoutCreate(&plan.c, outputType, out, rows, out),
            "cublasLtMatrixLayoutCreate(C)");
  cublasLtMatmulPreference_t preference = nullptr;
  checkBlas(cublasLtMatmulPreferenceCreate(&preference),
            "cublasLtMatmulPreferenceCreate");
  std::uint64_t bytes = kWorkspaceBytes;
  cublasLtMatmulPreferenceSetAttribute(preference,
                                       CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                       &bytes, sizeof bytes);
  for (auto [attribute, alignment] :
       {std::pair{CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, alignW},
        {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, alignX},
        {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, alignC},
        {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, alignY}})
    cublasLtMatmulPreferenceSetAttribute(preference, attribute, &alignment,
                                         sizeof alignment);
  cublasLtMatmulHeuristicResult_t result{};
  int found = 0;
  cublasStatus_t status =
      cublasLtMatmulAlgoGetHeuristic(handle, plan.desc, plan.a, plan.b, plan.c,
                                     plan.c, preference, 1, &result, &found);
  cublasLtMatmulPreferenceDestroy(preference);
  if (status != CUBLAS_STATUS_SUCCESS || found == 0) {
    cublasLtMatrixLayoutDestroy(plan.a);
    cublasLtMatrixLayoutDestroy(plan.b);
    cublasLtMatrixLayoutDestroy(plan.c);
    cublasLtMatmulDescDestroy(plan.desc);
    throw CudaError("cuBLASLt has no algorithm for a [" + std::to_string(rows) +
                    ", " + std::to_string(in) + "] x [" + std::to_string(out) +
                    ", " + std::to_string(in) + "]^T product (status " +
                    cublasLtGetStatusString(status) + ")");
  }
  plan.algo = result.algo;
  return plans.emplace(key, plan).first->second;
}

void Gemm::linear(CUdeviceptr x, CUdeviceptr y, std::int64_t rows,
                  std::int64_t in, std::int64_t out, CUdeviceptr weight,
                  CUdeviceptr bias, GemmEpilogue epilogue, GemmTypes types,
                  CUstream stream, CUdeviceptr residual) {
  // C, scaled by beta, is the residual; without one C is y and beta 0.
  const CUdeviceptr c = residual ? residual : y;
  Plan &plan = planFor({rows, in, out, static_cast<int>(epilogue),
                        alignmentOf(weight), alignmentOf(x), alignmentOf(y),
                        alignmentOf(c), static_cast<int>(types.operands),
                        static_cast<int>(types.output)});
  if (epilogue != GemmEpilogue::None) {
    const void *pointer = reinterpret_cast<const void *>(bias);
    checkBlas(cublasLtMatmulDescSetAttribute(plan.desc,
                                             CUBLASLT_MATMUL_DESC_BIAS_POINTER,
                                             &pointer, sizeof pointer),
              "cublasLtMatmulDescSetAttribute(BIAS_POINTER)");
  }
  const float alpha = 1.0f, beta = residual ? 1.0f : 0.0f;
  checkBlas(cublasLtMatmul(handle, plan.desc, &alpha,
                           reinterpret_cast<const void *>(weight), plan.a,
                           reinterpret_cast<const void *>(x), plan.b, &beta,
                           reinterpret_cast<const void *>(c), plan.c,
                           reinterpret_cast<void *>(y), plan.c, &plan.algo,
                           reinterpret_cast<void *>(workspace.get()),
                           workspace.size(), stream),
            "cublasLtMatmul");
}

} // namespace tailor::detail::cuda
