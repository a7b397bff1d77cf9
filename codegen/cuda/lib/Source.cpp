//===- Source.cpp - Assembling a kernel's CUDA source ---------------------===//

#include "Source.h"

#include <climits>
#include <cstdio>

namespace tailor::codegen::cuda {
namespace {

// Self-contained: NVRTC at load time may find no CUDA headers, so the 16-bit
// conversions are PTX (sm_80 and later).
const char *const kPrelude = R"cuda(
#define TAILOR_INF __int_as_float(0x7f800000)
__device__ __forceinline__ float tailor_bf16_to_f32(unsigned short x) {
  return __uint_as_float(static_cast<unsigned>(x) << 16);
}
__device__ __forceinline__ float tailor_f16_to_f32(unsigned short x) {
  float f;
  asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(x));
  return f;
}
__device__ __forceinline__ unsigned short tailor_f32_to_bf16(float f) {
  unsigned short r;
  asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(r) : "f"(f));
  return r;
}
__device__ __forceinline__ unsigned short tailor_f32_to_f16(float f) {
  unsigned short r;
  asm("cvt.rn.f16.f32 %0, %1;" : "=h"(r) : "f"(f));
  return r;
}
// Two values packed as the mma operands want them: `lo` in the low half.
__device__ __forceinline__ unsigned tailor_pack_bf16(float lo, float hi) {
  unsigned r;
  asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
  return r;
}
__device__ __forceinline__ unsigned tailor_pack_f16(float lo, float hi) {
  unsigned r;
  asm("cvt.rn.f16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
  return r;
}
__device__ __forceinline__ float tailor_warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1)
    v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}
__device__ __forceinline__ float tailor_warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1)
    v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
// Over the four lanes of a quad (an mma fragment's row).
__device__ __forceinline__ float tailor_quad_max(float v) {
  v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 1));
  return fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 2));
}
__device__ __forceinline__ float tailor_quad_sum(float v) {
  v += __shfl_xor_sync(0xffffffffu, v, 1);
  return v + __shfl_xor_sync(0xffffffffu, v, 2);
}
)cuda";

const char *const kF32Storage = R"cuda(
typedef float elem_t;
__device__ __forceinline__ float load_elem(const elem_t *p, long long i) { return p[i]; }
__device__ __forceinline__ void store_elem(elem_t *p, long long i, float v) { p[i] = v; }
__device__ __forceinline__ void store_pair(elem_t *p, long long i, float lo, float hi) {
  p[i] = lo;
  p[i + 1] = hi;
}
__device__ __forceinline__ void atomic_add_elem(elem_t *p, long long i, float v) { atomicAdd(p + i, v); }
__device__ __forceinline__ float round_elem(float v) { return v; }
)cuda";

const char *const kHalfStorage = R"cuda(
typedef unsigned short elem_t;
__device__ __forceinline__ float load_elem(const elem_t *p, long long i) { return TAILOR_TO_F32(p[i]); }
__device__ __forceinline__ void store_elem(elem_t *p, long long i, float v) { p[i] = TAILOR_FROM_F32(v); }
// 16-bit activations are 4-byte aligned and pairs start at even elements.
__device__ __forceinline__ void store_pair(elem_t *p, long long i, float lo, float hi) {
  *reinterpret_cast<unsigned *>(p + i) =
      static_cast<unsigned>(TAILOR_FROM_F32(lo)) | (static_cast<unsigned>(TAILOR_FROM_F32(hi)) << 16);
}
// v as a stored element would hold it.
__device__ __forceinline__ float round_elem(float v) { return TAILOR_TO_F32(TAILOR_FROM_F32(v)); }
// No 16-bit atomic add on sm_80: a compare-and-swap loop on the aligned
// 32-bit word that holds the element, rounding the sum once.
__device__ __forceinline__ void atomic_add_elem(elem_t *p, long long i, float v) {
  unsigned *word = reinterpret_cast<unsigned *>(reinterpret_cast<unsigned long long>(p + i) & ~3ull);
  const int shift = (reinterpret_cast<unsigned long long>(p + i) & 2) ? 16 : 0;
  unsigned old = *word, assumed;
  do {
    assumed = old;
    const float sum = TAILOR_TO_F32(static_cast<unsigned short>(assumed >> shift)) + v;
    const unsigned updated = (assumed & ~(0xffffu << shift)) |
                             (static_cast<unsigned>(TAILOR_FROM_F32(sum)) << shift);
    old = atomicCAS(word, assumed, updated);
  } while (old != assumed);
}
)cuda";

} // namespace

void require(bool condition, const std::string &kind, const std::string &what) {
  if (!condition)
    throw CodegenError(kind + ": " + what);
}

Source::Source(Kernel &kernel) {
  kernel.name += "_g" + std::to_string(kGeneratorVersion);
  name = kernel.name;
}

Source &Source::constant(const char *constName, std::int64_t value) {
  const char *type = value >= INT_MIN && value <= INT_MAX ? "int" : "long long";
  declarations += std::string("constexpr ") + type + " " + constName + " = " +
                  std::to_string(value) + ";\n";
  return *this;
}

Source &Source::constant(const char *constName, float value) {
  char literal[64];
  std::snprintf(literal, sizeof literal, "%af", static_cast<double>(value));
  declarations +=
      std::string("constexpr float ") + constName + " = " + literal + ";\n";
  return *this;
}

Source &Source::flag(const char *flagName, bool value) {
  declarations += std::string("constexpr bool ") + flagName + " = " +
                  (value ? "true" : "false") + ";\n";
  return *this;
}

Source &Source::storage(Storage storage, Math math) {
  if (storage == Storage::F32) {
    declarations += kF32Storage;
  } else {
    bool bf16 = storage == Storage::BF16;
    declarations += std::string("#define TAILOR_TO_F32 ") +
                    (bf16 ? "tailor_bf16_to_f32" : "tailor_f16_to_f32") +
                    "\n#define TAILOR_FROM_F32 " +
                    (bf16 ? "tailor_f32_to_bf16" : "tailor_f32_to_f16") + "\n" +
                    kHalfStorage;
  }
  if (math == Math::F32)
    return *this;
  // load_pair: two consecutive elements packed for the mma.
  const char *pack =
      math == Math::BF16 ? "tailor_pack_bf16" : "tailor_pack_f16";
  if (storage == Storage::F32)
    declarations += std::string("__device__ __forceinline__ unsigned "
                                "load_pair(const elem_t *p, long long i) "
                                "{ return ") +
                    pack + "(p[i], p[i + 1]); }\n";
  else
    declarations += "__device__ __forceinline__ unsigned load_pair(const "
                    "elem_t *p, long long i) { return *reinterpret_cast<const "
                    "unsigned *>(p + i); }\n";
  declarations += std::string("#define TAILOR_PACK ") + pack + "\n";
  return *this;
}

Source &Source::text(const std::string &more) {
  declarations += more;
  return *this;
}

std::string Source::finish(const char *body) const {
  return "// Generated by tailor_codegen_cuda: " + name + "\n" + kPrelude +
         "#define TAILOR_KERNEL " + name + "\n" + declarations + body;
}

const char *storageName(Storage storage) {
  switch (storage) {
  case Storage::F32:
    return "f32";
  case Storage::BF16:
    return "bf16";
  case Storage::F16:
    return "f16";
  }
  return "?";
}

std::size_t storageSize(Storage storage) {
  return storage == Storage::F32 ? 4 : 2;
}

const char *mathName(Math math) {
  switch (math) {
  case Math::F32:
    return "f32";
  case Math::BF16:
    return "bf16";
  case Math::F16:
    return "f16";
  }
  return "?";
}

const char *activationName(Activation activation) {
  switch (activation) {
  case Activation::None:
    return "none";
  case Activation::Relu:
    return "relu";
  case Activation::Gelu:
    return "gelu";
  case Activation::GeluTanh:
    return "gelu_tanh";
  case Activation::Tanh:
    return "tanh";
  }
  return "?";
}

} // namespace tailor::codegen::cuda
