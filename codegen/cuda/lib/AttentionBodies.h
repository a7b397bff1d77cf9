//===- AttentionBodies.h - The attention kernels' CUDA bodies ---*- C++ -*-===//
//
// Constants they read: SEQ, HEAD_DIM, ROW_STRIDE (q, k, v), CONTEXT_STRIDE,
// SCALE (F32 math) or
// SCALE_LOG2 (mma math, scale * log2 e), HAS_MASK, HAS_SIG, and the key
// tiles each query tile visits: tailor_tile_begin[query tile .. + 1] index
// tailor_key_tiles (dense attention visits every tile), read through
// kTileHelpers.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CODEGEN_CUDA_ATTENTIONBODIES_H
#define TAILOR_CODEGEN_CUDA_ATTENTIONBODIES_H

namespace tailor::codegen::cuda {

/// Reading the tile tables: each entry is 2 * key tile + cut; in a cut tile
/// (a block-sparse table whose block boundaries fall inside it) each (query,
/// key) pair is looked up in tailor_block_bits, one bit per (query block,
/// key block), rows of BLOCK_WORDS words. Without cut tiles
/// (HAS_CUT_TILES false) the lookups compile away.
inline const char *const kTileHelpers = R"cuda(
__device__ __forceinline__ int tailor_key_tile(int entry) {
  return tailor_key_tiles[entry] >> 1;
}
__device__ __forceinline__ bool tailor_tile_cut(int entry) {
  return HAS_CUT_TILES && (tailor_key_tiles[entry] & 1);
}
__device__ __forceinline__ bool tailor_block_kept(int row, int key) {
  const int r = row / SPARSE_BLOCK, c = key / SPARSE_BLOCK;
  return row < SEQ && key < SEQ &&
         ((tailor_block_bits[r * BLOCK_WORDS + (c >> 5)] >> (c & 31)) & 1u);
}
)cuda";

/// F32 math: 4 warps, 8 queries each (32 a block), tiles of 32 keys, one
/// key per lane for the scores, head dims spread over lanes for P V.
inline const char *const kAttentionF32Body = R"cuda(
constexpr int BQ = 32, BK = 32, QPW = 8, DPL = (HEAD_DIM + 31) / 32;
constexpr int KS = HEAD_DIM + 1; // padded: lanes read different keys' rows

__device__ __forceinline__ void tailor_load_keys(
    const elem_t *__restrict__ k, const elem_t *__restrict__ v,
    const unsigned char *mask, long long base, int k0, float *sK, float *sV,
    unsigned char *sKeyOk, bool values) {
  for (int i = threadIdx.x; i < BK * HEAD_DIM; i += 128) {
    int r = i / HEAD_DIM, c = i % HEAD_DIM, key = k0 + r;
    long long at = base + (long long)key * ROW_STRIDE + c;
    sK[r * KS + c] = key < SEQ ? load_elem(k, at) : 0.0f;
    if (values)
      sV[r * HEAD_DIM + c] = key < SEQ ? load_elem(v, at) : 0.0f;
  }
  for (int i = threadIdx.x; i < BK; i += 128) {
    int key = k0 + i;
    sKeyOk[i] = key < SEQ && (!HAS_MASK || mask[key]);
  }
}

extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const elem_t *__restrict__ q, const elem_t *__restrict__ k,
    const elem_t *__restrict__ v, const unsigned char *__restrict__ key_mask,
    elem_t *__restrict__ context, float *__restrict__ significance) {
  extern __shared__ __align__(16) float tailor_smem[];
  float *sQ = tailor_smem;
  float *sK = sQ + BQ * HEAD_DIM;
  float *sV = sK + BK * KS;
  float *sSig = sV + BK * HEAD_DIM;
  unsigned char *sKeyOk = reinterpret_cast<unsigned char *>(sSig + BK);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int b = blockIdx.z, h = blockIdx.y, q0 = blockIdx.x * BQ;
  const long long base = (long long)b * SEQ * ROW_STRIDE + (long long)h * HEAD_DIM;
  const long long out = (long long)b * SEQ * CONTEXT_STRIDE + (long long)h * HEAD_DIM;
  const unsigned char *mask = HAS_MASK ? key_mask + (long long)b * SEQ : nullptr;

  for (int i = threadIdx.x; i < BQ * HEAD_DIM; i += 128) {
    int r = i / HEAD_DIM, c = i % HEAD_DIM, row = q0 + r;
    sQ[i] = row < SEQ ? load_elem(q, base + (long long)row * ROW_STRIDE + c) : 0.0f;
  }
  float m[QPW], l[QPW], o[QPW][DPL];
  for (int qi = 0; qi < QPW; ++qi) {
    m[qi] = -TAILOR_INF;
    l[qi] = 0.0f;
    for (int dd = 0; dd < DPL; ++dd)
      o[qi][dd] = 0.0f;
  }
  const int tileBegin = tailor_tile_begin[blockIdx.x];
  const int tileEnd = tailor_tile_begin[blockIdx.x + 1];
  for (int ti = tileBegin; ti < tileEnd; ++ti) {
    const int k0 = tailor_key_tile(ti) * BK;
    const bool cut = tailor_tile_cut(ti);
    __syncthreads();
    tailor_load_keys(k, v, mask, base, k0, sK, sV, sKeyOk, true);
    __syncthreads();
    const bool ok = sKeyOk[lane];
    for (int qi = 0; qi < QPW; ++qi) {
      const float *qrow = sQ + (warp * QPW + qi) * HEAD_DIM;
      float dot = 0.0f;
      for (int c = 0; c < HEAD_DIM; ++c)
        dot += qrow[c] * sK[lane * KS + c];
      const bool kept =
          ok && (!cut || tailor_block_kept(q0 + warp * QPW + qi, k0 + lane));
      float score = kept ? dot * SCALE : -TAILOR_INF;
      float mNew = fmaxf(m[qi], tailor_warp_max(score));
      float shift = mNew == -TAILOR_INF ? 0.0f : mNew;
      float alpha = expf(m[qi] - shift);
      float p = expf(score - shift);
      l[qi] = l[qi] * alpha + tailor_warp_sum(p);
      m[qi] = mNew;
      for (int dd = 0; dd < DPL; ++dd)
        o[qi][dd] *= alpha;
      for (int j = 0; j < BK; ++j) {
        float pj = __shfl_sync(0xffffffffu, p, j);
        for (int dd = 0; dd < DPL; ++dd) {
          int d = lane + 32 * dd;
          if (d < HEAD_DIM)
            o[qi][dd] += pj * sV[j * HEAD_DIM + d];
        }
      }
    }
  }
  for (int qi = 0; qi < QPW; ++qi) {
    int row = q0 + warp * QPW + qi;
    if (row >= SEQ)
      continue;
    float inv = l[qi] > 0.0f ? 1.0f / l[qi] : 0.0f;
    for (int dd = 0; dd < DPL; ++dd) {
      int d = lane + 32 * dd;
      if (d < HEAD_DIM)
        store_elem(context, out + (long long)row * CONTEXT_STRIDE + d, o[qi][dd] * inv);
    }
  }
  if (!HAS_SIG)
    return;
  // Second pass: P is final only now that every row's max and sum are.
  float weight[QPW];
  for (int qi = 0; qi < QPW; ++qi) {
    int row = q0 + warp * QPW + qi;
    bool counted = row < SEQ && (!HAS_MASK || mask[row]) && l[qi] > 0.0f;
    weight[qi] = counted ? 1.0f / l[qi] : 0.0f;
    m[qi] = m[qi] == -TAILOR_INF ? 0.0f : m[qi];
  }
  for (int ti = tileBegin; ti < tileEnd; ++ti) {
    const int k0 = tailor_key_tile(ti) * BK;
    const bool cut = tailor_tile_cut(ti);
    __syncthreads();
    tailor_load_keys(k, v, mask, base, k0, sK, sV, sKeyOk, false);
    if (threadIdx.x < BK)
      sSig[threadIdx.x] = 0.0f;
    __syncthreads();
    float received = 0.0f;
    if (sKeyOk[lane]) {
      for (int qi = 0; qi < QPW; ++qi) {
        if (cut && !tailor_block_kept(q0 + warp * QPW + qi, k0 + lane))
          continue;
        const float *qrow = sQ + (warp * QPW + qi) * HEAD_DIM;
        float dot = 0.0f;
        for (int c = 0; c < HEAD_DIM; ++c)
          dot += qrow[c] * sK[lane * KS + c];
        received += expf(dot * SCALE - m[qi]) * weight[qi];
      }
    }
    atomicAdd(&sSig[lane], received);
    __syncthreads();
    if (threadIdx.x < BK && k0 + threadIdx.x < SEQ)
      atomicAdd(&significance[(long long)b * SEQ + k0 + threadIdx.x], sSig[threadIdx.x]);
  }
}
)cuda";

/// BF16/F16 math: WARPS warps of 16 queries (BQ = 16 * WARPS a block),
/// tiles of 64 keys, mma.m16n8k16 with fp32 accumulation; P stays in
/// registers between the two products (the accumulator layout of S is the
/// A layout of P V), V's fragments come transposed by ldmatrix. K and V
/// tiles are double-buffered: the next tile loads while this one is used,
/// by cp.async when 16-bit activations allow it. Q, K and V are read 16
/// bytes at a time when VEC_OK and the pointers allow it. Constants also:
/// DP (head dim rounded up to 16), WARPS, MIN_BLOCKS, VEC_OK, MMA.
inline const char *const kAttentionMmaBody = R"cuda(
constexpr int BQ = 16 * WARPS, BK = 64, THREADS = 32 * WARPS;
constexpr int QW = DP / 2 + 4;  // 32-bit words per row of sQ, sK, sV (padded)
constexpr int KSTEPS = DP / 16, DTILES = DP / 8;
// Elements of one vector load: 16 bytes.
constexpr int VEC = sizeof(elem_t) == 4 ? 4 : 8;
constexpr int KV_WORDS = BK * QW; // one K or V tile

__device__ __forceinline__ void tailor_copy16(unsigned *to, const void *from) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" ::"r"(
                   static_cast<unsigned>(__cvta_generic_to_shared(to))),
               "l"(from));
}

__device__ __forceinline__ void tailor_mma(float (&d)[4], const unsigned (&a)[4],
                                           unsigned b0, unsigned b1) {
  asm volatile(MMA " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// Rows [row0, row0 + rows) of a [SEQ, ROW_STRIDE] matrix into `tile` (QW
// words a row, packed pairs), zeros past SEQ and HEAD_DIM.
__device__ __forceinline__ void tailor_load_rows(const elem_t *__restrict__ x,
                                                 long long base, int row0,
                                                 int rows, unsigned *tile,
                                                 bool vec) {
  if (vec) {
    for (int i = threadIdx.x; i < rows * (DP / VEC); i += THREADS) {
      int r = i / (DP / VEC), c = (i % (DP / VEC)) * VEC, row = row0 + r;
      bool in = row < SEQ && c < HEAD_DIM;
      const elem_t *from = x + base + (long long)row * ROW_STRIDE + c;
      if (VEC == 8) {
        // 16-bit activations are copied as they are, asynchronously.
        if (in)
          tailor_copy16(tile + r * QW + c / 2, from);
        else
          *reinterpret_cast<uint4 *>(tile + r * QW + c / 2) = make_uint4(0, 0, 0, 0);
      } else {
        float4 f = in ? *reinterpret_cast<const float4 *>(from) : make_float4(0, 0, 0, 0);
        *reinterpret_cast<uint2 *>(tile + r * QW + c / 2) =
            make_uint2(TAILOR_PACK(f.x, f.y), TAILOR_PACK(f.z, f.w));
      }
    }
    return;
  }
  for (int i = threadIdx.x; i < rows * (DP / 2); i += THREADS) {
    int r = i / (DP / 2), c = (i % (DP / 2)) * 2, row = row0 + r;
    bool in = row < SEQ && c < HEAD_DIM;
    tile[r * QW + c / 2] = in ? load_pair(x, base + (long long)row * ROW_STRIDE + c) : 0u;
  }
}

__device__ __forceinline__ void tailor_load_keys(
    const elem_t *__restrict__ k, const elem_t *__restrict__ v,
    const unsigned char *mask, long long base, int k0, unsigned *sK,
    unsigned *sV, unsigned char *sKeyOk, bool values, bool vec) {
  tailor_load_rows(k, base, k0, BK, sK, vec);
  if (values)
    tailor_load_rows(v, base, k0, BK, sV, vec);
  for (int i = threadIdx.x; i < BK; i += THREADS) {
    int key = k0 + i;
    sKeyOk[i] = key < SEQ && (!HAS_MASK || mask[key]);
  }
}

// S = Q K^T for this warp's 16 queries (rows rowA and rowA + 8 for this
// thread) and the tile's 64 keys from k0, scaled to log2 units; keys not
// kept (masked, or in a cut tile outside the query's blocks) are -inf.
__device__ __forceinline__ void tailor_scores(const unsigned (&qa)[KSTEPS][4],
                                              const unsigned *sK,
                                              const unsigned char *sKeyOk,
                                              float (&s)[8][4], int g, int t4,
                                              bool cut, int k0, int rowA) {
  for (int nt = 0; nt < 8; ++nt) {
    s[nt][0] = s[nt][1] = s[nt][2] = s[nt][3] = 0.0f;
    const unsigned *row = sK + (nt * 8 + g) * QW;
    for (int ks = 0; ks < KSTEPS; ++ks)
      tailor_mma(s[nt], qa[ks], row[ks * 8 + t4], row[ks * 8 + 4 + t4]);
    for (int e = 0; e < 2; ++e) {
      const int key = nt * 8 + t4 * 2 + e;
      const bool ok = sKeyOk[key];
      const bool okA = ok && (!cut || tailor_block_kept(rowA, k0 + key));
      const bool okB = ok && (!cut || tailor_block_kept(rowA + 8, k0 + key));
      s[nt][e] = okA ? s[nt][e] * SCALE_LOG2 : -TAILOR_INF;
      s[nt][e + 2] = okB ? s[nt][e + 2] * SCALE_LOG2 : -TAILOR_INF;
    }
  }
}

__device__ __forceinline__ float tailor_quad_max(float v) {
  v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 1));
  return fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 2));
}
__device__ __forceinline__ float tailor_quad_sum(float v) {
  v += __shfl_xor_sync(0xffffffffu, v, 1);
  return v + __shfl_xor_sync(0xffffffffu, v, 2);
}

extern "C" __global__ void __launch_bounds__(THREADS, MIN_BLOCKS) TAILOR_KERNEL(
    const elem_t *__restrict__ q, const elem_t *__restrict__ k,
    const elem_t *__restrict__ v, const unsigned char *__restrict__ key_mask,
    elem_t *__restrict__ context, float *__restrict__ significance) {
  // Two buffers of a K and a V tile; Q passes through the second on its
  // way to registers, while the first tile loads into the first.
  extern __shared__ __align__(16) unsigned tailor_smem[];
  unsigned *sQ = tailor_smem + 2 * KV_WORDS;
  float *sSig = reinterpret_cast<float *>(tailor_smem + 4 * KV_WORDS);
  unsigned char *sKeyOkBuffers = reinterpret_cast<unsigned char *>(sSig + BK);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int g = lane >> 2, t4 = lane & 3;
  const int b = blockIdx.z, h = blockIdx.y, q0 = blockIdx.x * BQ;
  const long long base = (long long)b * SEQ * ROW_STRIDE + (long long)h * HEAD_DIM;
  const long long out = (long long)b * SEQ * CONTEXT_STRIDE + (long long)h * HEAD_DIM;
  const unsigned char *mask = HAS_MASK ? key_mask + (long long)b * SEQ : nullptr;
  const bool vec =
      VEC_OK && ((reinterpret_cast<unsigned long long>(q) |
                  reinterpret_cast<unsigned long long>(k) |
                  reinterpret_cast<unsigned long long>(v)) & 15) == 0;

  const int tileBegin = tailor_tile_begin[blockIdx.x];
  const int tileEnd = tailor_tile_begin[blockIdx.x + 1];
  if (tileBegin < tileEnd)
    tailor_load_keys(k, v, mask, base, tailor_key_tile(tileBegin) * BK,
                     tailor_smem, tailor_smem + KV_WORDS, sKeyOkBuffers, true, vec);
  tailor_load_rows(q, base, q0, BQ, sQ, vec);
  asm volatile("cp.async.commit_group;");
  asm volatile("cp.async.wait_group 0;");
  __syncthreads();
  unsigned qa[KSTEPS][4];
  const int r0 = warp * 16 + g;
  for (int ks = 0; ks < KSTEPS; ++ks) {
    qa[ks][0] = sQ[r0 * QW + ks * 8 + t4];
    qa[ks][1] = sQ[(r0 + 8) * QW + ks * 8 + t4];
    qa[ks][2] = sQ[r0 * QW + ks * 8 + 4 + t4];
    qa[ks][3] = sQ[(r0 + 8) * QW + ks * 8 + 4 + t4];
  }
  // ldmatrix: lane l addresses row (l & 7) of matrix l / 8; matrices 0, 1
  // are keys 0-7 and 8-15 of a 16-key step for one 8-wide head-dim tile,
  // 2, 3 the same for the next tile.
  const unsigned vLane =
      static_cast<unsigned>(__cvta_generic_to_shared(tailor_smem + KV_WORDS)) +
      (((lane >> 3) & 1) * 8 + (lane & 7)) * QW * 4 + (lane >> 4) * 16;
  float o[DTILES][4];
  for (int dt = 0; dt < DTILES; ++dt)
    o[dt][0] = o[dt][1] = o[dt][2] = o[dt][3] = 0.0f;
  // Rows g (A) and g + 8 (B) of the warp's 16; l is this thread's share.
  float mA = -TAILOR_INF, mB = -TAILOR_INF, lA = 0.0f, lB = 0.0f;
  float s[8][4];
  for (int ti = tileBegin; ti < tileEnd; ++ti) {
    const int buffer = (ti - tileBegin) & 1;
    unsigned *sK = tailor_smem + buffer * 2 * KV_WORDS;
    const unsigned char *sKeyOk = sKeyOkBuffers + buffer * BK;
    // Everyone is done with the other buffer (and with sQ): load the next
    // tile there while this one is used.
    __syncthreads();
    if (ti + 1 < tileEnd)
      tailor_load_keys(k, v, mask, base, tailor_key_tile(ti + 1) * BK,
                       tailor_smem + (buffer ^ 1) * 2 * KV_WORDS,
                       tailor_smem + (buffer ^ 1) * 2 * KV_WORDS + KV_WORDS,
                       sKeyOkBuffers + (buffer ^ 1) * BK, true, vec);
    asm volatile("cp.async.commit_group;");
    asm volatile("cp.async.wait_group 1;");
    __syncthreads();
    tailor_scores(qa, sK, sKeyOk, s, g, t4, tailor_tile_cut(ti),
                  tailor_key_tile(ti) * BK, q0 + r0);
    float maxA = -TAILOR_INF, maxB = -TAILOR_INF;
    for (int nt = 0; nt < 8; ++nt) {
      maxA = fmaxf(maxA, fmaxf(s[nt][0], s[nt][1]));
      maxB = fmaxf(maxB, fmaxf(s[nt][2], s[nt][3]));
    }
    float mNewA = fmaxf(mA, tailor_quad_max(maxA));
    float mNewB = fmaxf(mB, tailor_quad_max(maxB));
    float shiftA = mNewA == -TAILOR_INF ? 0.0f : mNewA;
    float shiftB = mNewB == -TAILOR_INF ? 0.0f : mNewB;
    float alphaA = exp2f(mA - shiftA), alphaB = exp2f(mB - shiftB);
    mA = mNewA;
    mB = mNewB;
    lA *= alphaA;
    lB *= alphaB;
    for (int nt = 0; nt < 8; ++nt) {
      s[nt][0] = exp2f(s[nt][0] - shiftA);
      s[nt][1] = exp2f(s[nt][1] - shiftA);
      s[nt][2] = exp2f(s[nt][2] - shiftB);
      s[nt][3] = exp2f(s[nt][3] - shiftB);
      lA += s[nt][0] + s[nt][1];
      lB += s[nt][2] + s[nt][3];
    }
    for (int dt = 0; dt < DTILES; ++dt) {
      o[dt][0] *= alphaA;
      o[dt][1] *= alphaA;
      o[dt][2] *= alphaB;
      o[dt][3] *= alphaB;
    }
    for (int kk = 0; kk < BK / 16; ++kk) {
      unsigned pa[4] = {TAILOR_PACK(s[2 * kk][0], s[2 * kk][1]),
                        TAILOR_PACK(s[2 * kk][2], s[2 * kk][3]),
                        TAILOR_PACK(s[2 * kk + 1][0], s[2 * kk + 1][1]),
                        TAILOR_PACK(s[2 * kk + 1][2], s[2 * kk + 1][3])};
      for (int dt = 0; dt < DTILES; dt += 2) {
        unsigned b0, b1, b2, b3;
        asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 "
                     "{%0,%1,%2,%3}, [%4];"
                     : "=r"(b0), "=r"(b1), "=r"(b2), "=r"(b3)
                     : "r"(vLane + buffer * 2 * KV_WORDS * 4 +
                           kk * 16 * QW * 4 + dt * 16));
        tailor_mma(o[dt], pa, b0, b1);
        tailor_mma(o[dt + 1], pa, b2, b3);
      }
    }
  }
  lA = tailor_quad_sum(lA);
  lB = tailor_quad_sum(lB);
  const float invA = lA > 0.0f ? 1.0f / lA : 0.0f;
  const float invB = lB > 0.0f ? 1.0f / lB : 0.0f;
  const int rowA = q0 + r0, rowB = rowA + 8;
  for (int dt = 0; dt < DTILES; ++dt) {
    int c = dt * 8 + t4 * 2;
    if (c >= HEAD_DIM)
      continue;
    if (rowA < SEQ)
      store_pair(context, out + (long long)rowA * CONTEXT_STRIDE + c, o[dt][0] * invA, o[dt][1] * invA);
    if (rowB < SEQ)
      store_pair(context, out + (long long)rowB * CONTEXT_STRIDE + c, o[dt][2] * invB, o[dt][3] * invB);
  }
  if (!HAS_SIG)
    return;
  // Second pass: P is final only now that every row's max and sum are.
  const float weightA = rowA < SEQ && (!HAS_MASK || mask[rowA]) ? invA : 0.0f;
  const float weightB = rowB < SEQ && (!HAS_MASK || mask[rowB]) ? invB : 0.0f;
  const float shiftA = mA == -TAILOR_INF ? 0.0f : mA;
  const float shiftB = mB == -TAILOR_INF ? 0.0f : mB;
  // The keys again, double-buffered as before (without the values).
  __syncthreads();
  if (tileBegin < tileEnd)
    tailor_load_keys(k, v, mask, base, tailor_key_tile(tileBegin) * BK,
                     tailor_smem, nullptr, sKeyOkBuffers, false, vec);
  asm volatile("cp.async.commit_group;");
  for (int ti = tileBegin; ti < tileEnd; ++ti) {
    const int k0 = tailor_key_tile(ti) * BK;
    const int buffer = (ti - tileBegin) & 1;
    __syncthreads();
    if (ti + 1 < tileEnd)
      tailor_load_keys(k, v, mask, base, tailor_key_tile(ti + 1) * BK,
                       tailor_smem + (buffer ^ 1) * 2 * KV_WORDS, nullptr,
                       sKeyOkBuffers + (buffer ^ 1) * BK, false, vec);
    if (threadIdx.x < BK)
      sSig[threadIdx.x] = 0.0f;
    asm volatile("cp.async.commit_group;");
    asm volatile("cp.async.wait_group 1;");
    __syncthreads();
    tailor_scores(qa, tailor_smem + buffer * 2 * KV_WORDS,
                  sKeyOkBuffers + buffer * BK, s, g, t4, tailor_tile_cut(ti), k0,
                  rowA);
    for (int nt = 0; nt < 8; ++nt)
      for (int e = 0; e < 2; ++e) {
        float column = exp2f(s[nt][e] - shiftA) * weightA +
                       exp2f(s[nt][e + 2] - shiftB) * weightB;
        column += __shfl_xor_sync(0xffffffffu, column, 4);
        column += __shfl_xor_sync(0xffffffffu, column, 8);
        column += __shfl_xor_sync(0xffffffffu, column, 16);
        if (g == 0)
          atomicAdd(&sSig[nt * 8 + t4 * 2 + e], column);
      }
    __syncthreads();
    if (threadIdx.x < BK && k0 + threadIdx.x < SEQ)
      atomicAdd(&significance[(long long)b * SEQ + k0 + threadIdx.x], sSig[threadIdx.x]);
  }
}
)cuda";

} // namespace tailor::codegen::cuda

#endif // TAILOR_CODEGEN_CUDA_ATTENTIONBODIES_H
