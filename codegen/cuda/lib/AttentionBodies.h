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

/// sm_90a, head dim 64, BF16/F16 math on 16-bit or f32 activations, dense:
/// two warpgroups of 64 queries (BQ = 128 a block), tiles of 128 keys.
/// S = Q K^T is one wgmma m64n128k16 per 16 head dims with Q and K in shared
/// memory; P stays in registers as the A operand of O += P V (m64n64k16 per
/// 16 keys, V transposed by the descriptor). Q, K and V tiles are rows of
/// 128 bytes in the 128-byte swizzle wgmma reads (chunk c of row r at chunk
/// c ^ (r & 7)), copied by cp.async (converted by the threads for f32
/// activations), STAGES key tiles deep. Two blocks an SM, so one block's
/// softmax overlaps the other's products. Constants also: STAGES, VEC_OK,
/// WGMMA_AB (the operand types), TAILOR_S_REGS / TAILOR_S_OPERANDS and
/// TAILOR_O_REGS / TAILOR_O_OPERANDS (the accumulators' asm operands).
inline const char *const kAttentionWgmmaBody = R"cuda(
constexpr int BQ = 128, BK = 128, THREADS = 256;
constexpr int TILE_BYTES = BK * 128; // 128 rows of 64 16-bit values
constexpr int KEY_TILES = (SEQ + BK - 1) / BK;
// Q, STAGES K and V tiles, a key-ok bit per key and stage, the significance
// row; the base is aligned to 1024 bytes (the swizzle's period) by hand.
constexpr int FLAGS_OFFSET = TILE_BYTES * (1 + 2 * STAGES);
constexpr int SIG_OFFSET = FLAGS_OFFSET + STAGES * BK / 8;

__device__ __forceinline__ void tailor_copy16(unsigned to, const void *from) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" ::"r"(to), "l"(from));
}
__device__ __forceinline__ void tailor_store16(unsigned to, unsigned a, unsigned b,
                                               unsigned c, unsigned d) {
  asm volatile("st.shared.v4.b32 [%0], {%1, %2, %3, %4};" ::"r"(to), "r"(a),
               "r"(b), "r"(c), "r"(d));
}

// Rows [row0, row0 + 128) of x into the swizzled tile at shared address
// `tile`; rows past SEQ are zeros (their P is 0, and 0 * garbage could be
// NaN).
__device__ __forceinline__ void tailor_load_tile(const elem_t *__restrict__ x,
                                                 long long base, int row0,
                                                 unsigned tile, bool vec) {
  for (int i = threadIdx.x; i < 128 * 8; i += THREADS) {
    const int r = i >> 3, c = i & 7, row = row0 + r;
    const unsigned to = tile + r * 128 + ((c ^ (r & 7)) << 4);
    const elem_t *from = x + base + (long long)row * ROW_STRIDE + c * 8;
    if (row >= SEQ) {
      tailor_store16(to, 0u, 0u, 0u, 0u);
    } else if (sizeof(elem_t) == 2 && vec) {
      tailor_copy16(to, from);
    } else if (vec) {
      const float4 a = reinterpret_cast<const float4 *>(from)[0];
      const float4 b = reinterpret_cast<const float4 *>(from)[1];
      tailor_store16(to, TAILOR_PACK(a.x, a.y), TAILOR_PACK(a.z, a.w),
                     TAILOR_PACK(b.x, b.y), TAILOR_PACK(b.z, b.w));
    } else {
      tailor_store16(to, load_pair(from, 0), load_pair(from, 2),
                     load_pair(from, 4), load_pair(from, 6));
    }
  }
}

// A shared-memory matrix descriptor: 128-byte swizzle, 1024 bytes between
// groups of 8 rows (the stride byte offset); `leading` is the leading byte
// offset, unused by the K-major Q and K tiles. For V (MN-major) the 8-key
// groups are 1024 bytes apart, and the leading offset would step to a next
// 64 columns, which head dim 64 does not have: 1024 in both fields keeps
// either reading of them right.
__device__ __forceinline__ unsigned long long tailor_desc(unsigned address,
                                                          unsigned leading) {
  return (unsigned long long)((address & 0x3FFFF) >> 4) |
         (unsigned long long)(leading >> 4) << 16 |
         (unsigned long long)(1024 >> 4) << 32 | 1ull << 62;
}

__device__ __forceinline__ void tailor_wgmma_fence() {
  asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
}
__device__ __forceinline__ void tailor_wgmma_commit_wait() {
  asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
  asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
}
// Accumulators are read only after the wait: an empty asm that "writes"
// each keeps the compiler from moving their uses above it.
template <int N> __device__ __forceinline__ void tailor_fence_regs(float (&r)[N]) {
#pragma unroll
  for (int i = 0; i < N; ++i)
    asm volatile("" : "+f"(r[i])::"memory");
}

// s (+)= Q K^T for 16 head dims: 64 queries x 128 keys.
__device__ __forceinline__ void tailor_wgmma_s(float (&s)[64], unsigned long long a,
                                               unsigned long long b, int accumulate) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %66, 0;\n"
               "wgmma.mma_async.sync.aligned.m64n128k16.f32." WGMMA_AB " "
               TAILOR_S_REGS ", %64, %65, p, 1, 1, 0, 0;\n}\n"
               : TAILOR_S_OPERANDS
               : "l"(a), "l"(b), "r"(accumulate));
}
// o += P V for 16 keys: P (64 x 16) from registers, V (16 keys x 64) from
// its descriptor, transposed.
__device__ __forceinline__ void tailor_wgmma_o(float (&o)[32], unsigned a0, unsigned a1,
                                               unsigned a2, unsigned a3,
                                               unsigned long long b) {
  asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, %37, 0;\n"
               "wgmma.mma_async.sync.aligned.m64n64k16.f32." WGMMA_AB " "
               TAILOR_O_REGS ", {%32, %33, %34, %35}, %36, p, 1, 1, 1;\n}\n"
               : TAILOR_O_OPERANDS
               : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "l"(b), "r"(1));
}

__device__ __forceinline__ float tailor_exp2(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
  return y;
}

// c[0, STEP) += the partner's (lane ^ STEP) c[STEP, 2 STEP), or, in the
// upper lane, the other way round: each keeps half of the sums.
template <int STEP>
__device__ __forceinline__ void tailor_fold(float (&c)[32], int lane) {
  const bool upper = lane & STEP;
#pragma unroll
  for (int i = 0; i < STEP; ++i) {
    const float keep = upper ? c[i + STEP] : c[i];
    const float send = upper ? c[i] : c[i + STEP];
    c[i] = keep + __shfl_xor_sync(0xffffffffu, send, STEP);
  }
}

// Starts the copies of key tile `tile` (and its values when `values`) into
// its stage, and writes its key-ok bits.
__device__ __forceinline__ void tailor_load_keys(
    const elem_t *__restrict__ k, const elem_t *__restrict__ v,
    const unsigned char *mask, long long base, int tile, unsigned smem,
    unsigned *flags, bool values, bool vec) {
  const int stage = tile % STAGES;
  const unsigned sK = smem + TILE_BYTES * (1 + 2 * stage);
  tailor_load_tile(k, base, tile * BK, sK, vec);
  if (values)
    tailor_load_tile(v, base, tile * BK, sK + TILE_BYTES, vec);
  // One bit a key, a word for each 32 (warps 0-3).
  if (threadIdx.x < BK) {
    const int key = tile * BK + threadIdx.x;
    const unsigned word =
        __ballot_sync(0xffffffffu, key < SEQ && (!HAS_MASK || mask[key]));
    if ((threadIdx.x & 31) == 0)
      flags[stage * (BK / 32) + (threadIdx.x >> 5)] = word;
  }
}

// Waits for this thread's copies of all but the newest STAGES - 1 groups,
// and makes every thread's visible to the tensor cores (the async proxy).
__device__ __forceinline__ void tailor_tile_ready() {
  asm volatile("cp.async.wait_group %0;" ::"n"(STAGES - 1));
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
  __syncthreads();
}

// S = Q K^T of this warpgroup's 64 queries and key tile `tile` (in its
// stage); keys past SEQ or masked are -inf. Raw scores: the softmax scales.
__device__ __forceinline__ void tailor_scores(float (&s)[64], unsigned long long qDesc,
                                              unsigned smem, const unsigned *flags,
                                              int tile, int t4) {
  const int stage = tile % STAGES;
  const unsigned long long kDesc =
      tailor_desc(smem + TILE_BYTES * (1 + 2 * stage), 16);
  tailor_wgmma_fence();
  // 16 head dims are 32 bytes along the swizzled rows: 2 in the
  // descriptor's address field.
#pragma unroll
  for (int ks = 0; ks < 4; ++ks)
    tailor_wgmma_s(s, qDesc + 2 * ks, kDesc + 2 * ks, ks);
  tailor_wgmma_commit_wait();
  tailor_fence_regs(s);
  if (HAS_MASK || (SEQ % BK != 0 && tile == KEY_TILES - 1)) {
#pragma unroll
    for (int j = 0; j < 16; ++j) {
      // Columns 8 j + 2 t4 and the next: bits of word j / 4.
      const unsigned ok = flags[stage * (BK / 32) + (j >> 2)] >> (8 * (j & 3) + 2 * t4);
#pragma unroll
      for (int e = 0; e < 2; ++e)
        if (!((ok >> e) & 1u))
          s[4 * j + e] = s[4 * j + 2 + e] = -TAILOR_INF;
    }
  }
}

extern "C" __global__ void __launch_bounds__(THREADS, 2) TAILOR_KERNEL(
    const elem_t *__restrict__ q, const elem_t *__restrict__ k,
    const elem_t *__restrict__ v, const unsigned char *__restrict__ key_mask,
    elem_t *__restrict__ context, float *__restrict__ significance) {
  extern __shared__ __align__(1024) unsigned char tailor_raw_smem[];
  const unsigned rawBase =
      static_cast<unsigned>(__cvta_generic_to_shared(tailor_raw_smem));
  const unsigned pad = (1024 - (rawBase & 1023)) & 1023;
  const unsigned smem = rawBase + pad; // Q, then the stages
  unsigned *flags = reinterpret_cast<unsigned *>(tailor_raw_smem + pad + FLAGS_OFFSET);
  float *sSig = reinterpret_cast<float *>(tailor_raw_smem + pad + SIG_OFFSET);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int g = lane >> 2, t4 = lane & 3, wg = warp >> 2;
  const int b = blockIdx.z, h = blockIdx.y, q0 = blockIdx.x * BQ;
  const long long base = (long long)b * SEQ * ROW_STRIDE + (long long)h * HEAD_DIM;
  const unsigned char *mask = HAS_MASK ? key_mask + (long long)b * SEQ : nullptr;
  const bool vec =
      VEC_OK && ((reinterpret_cast<unsigned long long>(q) |
                  reinterpret_cast<unsigned long long>(k) |
                  reinterpret_cast<unsigned long long>(v)) & 15) == 0;

  tailor_load_tile(q, base, q0, smem, vec);
  for (int tile = 0; tile < STAGES - 1; ++tile) {
    if (tile < KEY_TILES)
      tailor_load_keys(k, v, mask, base, tile, smem, flags, true, vec);
    asm volatile("cp.async.commit_group;");
  }
  // This warpgroup's 64 rows of Q: 8 groups of 8 rows, 1024 bytes each.
  const unsigned long long qDesc = tailor_desc(smem + wg * 64 * 128, 16);
  float o[32];
#pragma unroll
  for (int i = 0; i < 32; ++i)
    o[i] = 0.0f;
  // Rows g (A) and g + 8 (B) of the warp's 16; m in raw score units, l this
  // thread's share of the row sums.
  float mA = -TAILOR_INF, mB = -TAILOR_INF, lA = 0.0f, lB = 0.0f;
  for (int tile = 0; tile < KEY_TILES; ++tile) {
    // Everyone is done with the stage the tile STAGES - 1 ahead loads into.
    __syncthreads();
    if (tile + STAGES - 1 < KEY_TILES)
      tailor_load_keys(k, v, mask, base, tile + STAGES - 1, smem, flags, true, vec);
    asm volatile("cp.async.commit_group;");
    tailor_tile_ready();
    float s[64];
    tailor_scores(s, qDesc, smem, flags, tile, t4);
    float maxA = -TAILOR_INF, maxB = -TAILOR_INF;
#pragma unroll
    for (int j = 0; j < 16; ++j) {
      maxA = fmaxf(maxA, fmaxf(s[4 * j], s[4 * j + 1]));
      maxB = fmaxf(maxB, fmaxf(s[4 * j + 2], s[4 * j + 3]));
    }
    const float mNewA = fmaxf(mA, tailor_quad_max(maxA));
    const float mNewB = fmaxf(mB, tailor_quad_max(maxB));
    // exp2(s * SCALE_LOG2 - shift): one FFMA and one MUFU a score.
    const float shiftA = mNewA == -TAILOR_INF ? 0.0f : mNewA * SCALE_LOG2;
    const float shiftB = mNewB == -TAILOR_INF ? 0.0f : mNewB * SCALE_LOG2;
    const float alphaA = tailor_exp2(mA * SCALE_LOG2 - shiftA);
    const float alphaB = tailor_exp2(mB * SCALE_LOG2 - shiftB);
    mA = mNewA;
    mB = mNewB;
    float sumA = 0.0f, sumB = 0.0f;
#pragma unroll
    for (int j = 0; j < 16; ++j) {
      s[4 * j] = tailor_exp2(fmaf(s[4 * j], SCALE_LOG2, -shiftA));
      s[4 * j + 1] = tailor_exp2(fmaf(s[4 * j + 1], SCALE_LOG2, -shiftA));
      s[4 * j + 2] = tailor_exp2(fmaf(s[4 * j + 2], SCALE_LOG2, -shiftB));
      s[4 * j + 3] = tailor_exp2(fmaf(s[4 * j + 3], SCALE_LOG2, -shiftB));
      sumA += s[4 * j] + s[4 * j + 1];
      sumB += s[4 * j + 2] + s[4 * j + 3];
    }
    lA = fmaf(lA, alphaA, sumA);
    lB = fmaf(lB, alphaB, sumB);
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      o[4 * j] *= alphaA;
      o[4 * j + 1] *= alphaA;
      o[4 * j + 2] *= alphaB;
      o[4 * j + 3] *= alphaB;
    }
    // P as the A fragments: 16 keys (two 8-key column blocks of S) a step;
    // each step's V rows are 16 of 128 bytes, 2048 bytes further.
    unsigned p[32];
#pragma unroll
    for (int i = 0; i < 32; ++i)
      p[i] = TAILOR_PACK(s[2 * i], s[2 * i + 1]);
    const unsigned long long vDesc = tailor_desc(
        smem + TILE_BYTES * (2 + 2 * (tile % STAGES)), 1024);
    tailor_wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < 8; ++kk)
      tailor_wgmma_o(o, p[4 * kk], p[4 * kk + 1], p[4 * kk + 2], p[4 * kk + 3],
                     vDesc + (2048 >> 4) * kk);
    tailor_wgmma_commit_wait();
    tailor_fence_regs(o);
  }
  lA = tailor_quad_sum(lA);
  lB = tailor_quad_sum(lB);
  const float invA = lA > 0.0f ? 1.0f / lA : 0.0f;
  const float invB = lB > 0.0f ? 1.0f / lB : 0.0f;
  const int rowA = q0 + wg * 64 + (warp & 3) * 16 + g, rowB = rowA + 8;
  const long long out = (long long)b * SEQ * CONTEXT_STRIDE + (long long)h * HEAD_DIM;
#pragma unroll
  for (int j = 0; j < 8; ++j) {
    const int c = 8 * j + 2 * t4;
    if (rowA < SEQ)
      store_pair(context, out + (long long)rowA * CONTEXT_STRIDE + c, o[4 * j] * invA,
                 o[4 * j + 1] * invA);
    if (rowB < SEQ)
      store_pair(context, out + (long long)rowB * CONTEXT_STRIDE + c, o[4 * j + 2] * invB,
                 o[4 * j + 3] * invB);
  }
  if (!HAS_SIG)
    return;
  // Second pass over the keys alone: P is final only now that every row's
  // max and sum are.
  const float weightA = rowA < SEQ && (!HAS_MASK || mask[rowA]) ? invA : 0.0f;
  const float weightB = rowB < SEQ && (!HAS_MASK || mask[rowB]) ? invB : 0.0f;
  const float shiftA = mA == -TAILOR_INF ? 0.0f : mA * SCALE_LOG2;
  const float shiftB = mB == -TAILOR_INF ? 0.0f : mB * SCALE_LOG2;
  __syncthreads();
  for (int tile = 0; tile < STAGES - 1; ++tile) {
    if (tile < KEY_TILES)
      tailor_load_keys(k, v, mask, base, tile, smem, flags, false, vec);
    asm volatile("cp.async.commit_group;");
  }
  for (int tile = 0; tile < KEY_TILES; ++tile) {
    __syncthreads();
    if (tile + STAGES - 1 < KEY_TILES)
      tailor_load_keys(k, v, mask, base, tile + STAGES - 1, smem, flags, false, vec);
    asm volatile("cp.async.commit_group;");
    if (threadIdx.x < BK)
      sSig[threadIdx.x] = 0.0f;
    tailor_tile_ready();
    float s[64];
    tailor_scores(s, qDesc, smem, flags, tile, t4);
    // c[2 j + e]: column 8 j + 2 t4 + e's P summed over rows A and B.
    float c[32];
#pragma unroll
    for (int j = 0; j < 16; ++j)
#pragma unroll
      for (int e = 0; e < 2; ++e)
        c[2 * j + e] =
            tailor_exp2(fmaf(s[4 * j + e], SCALE_LOG2, -shiftA)) * weightA +
            tailor_exp2(fmaf(s[4 * j + 2 + e], SCALE_LOG2, -shiftB)) * weightB;
    // Summed over the 8 lanes of a t4 (the warp's 16 rows) by halving: at
    // each step a lane keeps half its columns and adds its partner's, 28
    // shuffles rather than 96; each lane ends with 4 columns.
    tailor_fold<16>(c, lane);
    tailor_fold<8>(c, lane);
    tailor_fold<4>(c, lane);
    // Lane bits 4, 3, 2 chose the upper halves: column blocks from jBase.
    const int jBase = (lane >> 4 & 1) * 8 + (lane >> 3 & 1) * 4 + (lane >> 2 & 1) * 2;
#pragma unroll
    for (int i = 0; i < 4; ++i)
      atomicAdd(&sSig[8 * (jBase + (i >> 1)) + 2 * t4 + (i & 1)], c[i]);
    __syncthreads();
    const int key = tile * BK + threadIdx.x;
    if (threadIdx.x < BK && key < SEQ)
      atomicAdd(&significance[(long long)b * SEQ + key], sSig[threadIdx.x]);
  }
}
)cuda";

} // namespace tailor::codegen::cuda

#endif // TAILOR_CODEGEN_CUDA_ATTENTIONBODIES_H
