//===- Attention.cpp - Dense and block-sparse flash attention -------------===//

#include "AttentionBodies.h"
#include "Source.h"
#include "tailor/codegen/cuda/Generators.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tailor::codegen::cuda {
namespace {

const char *const kKind = "attention";

void check(const AttentionConfig &config) {
  require(config.seq >= 1 && config.heads >= 1 && config.headDim >= 1, kKind,
          "seq, heads and head dim must be positive");
  require(config.rowStride == 0 ||
              config.rowStride >= config.heads * config.headDim,
          kKind,
          "row stride " + std::to_string(config.rowStride) +
              " is below heads * head dim");
  require(config.contextStride == 0 ||
              config.contextStride >= config.heads * config.headDim,
          kKind,
          "context stride " + std::to_string(config.contextStride) +
              " is below heads * head dim");
  require(config.blockTable.empty() || config.sparseBlock >= 1, kKind,
          "block-sparse blocks of " + std::to_string(config.sparseBlock) +
              " tokens: the block must be positive");
  require(config.headDim <= 256, kKind,
          "head dim " + std::to_string(config.headDim) +
              " is above 256, the most a block's registers hold");
  if (config.math == Math::F32)
    return;
  require(config.headDim % 2 == 0, kKind,
          std::string(mathName(config.math)) +
              " math needs an even head dim, not " +
              std::to_string(config.headDim));
  require(config.storage == Storage::F32 ||
              static_cast<int>(config.storage) == static_cast<int>(config.math),
          kKind,
          std::string(mathName(config.math)) + " math reads f32 or " +
              mathName(config.math) + " storage, not " +
              storageName(config.storage));
}

/// The most constant memory the bit table of cut tiles may take.
constexpr std::int64_t kMaxBitTableWords = 8192;

/// Checks a block table against the sequence; returns its rows as one
/// kept bit per (query block, key block), row major.
std::vector<bool> keptBlocks(const AttentionConfig &config) {
  const std::int64_t block = config.sparseBlock;
  const std::int64_t blocks = ceilDiv(config.seq, block);
  require(static_cast<std::int64_t>(config.blockTable.size()) == blocks, kKind,
          "the block table has " + std::to_string(config.blockTable.size()) +
              " rows, expected one per block of " + std::to_string(block) +
              " queries: " + std::to_string(blocks));
  std::vector<bool> kept(blocks * blocks, false);
  for (std::size_t row = 0; row < config.blockTable.size(); ++row) {
    require(!config.blockTable[row].empty(), kKind,
            "block table row " + std::to_string(row) + " is empty");
    int previous = -1;
    for (int key : config.blockTable[row]) {
      require(key > previous && key < blocks, kKind,
              "block table row " + std::to_string(row) + ": key block " +
                  std::to_string(key) + " is out of order or outside [0, " +
                  std::to_string(blocks) + ")");
      kept[row * blocks + key] = true;
      previous = key;
    }
  }
  return kept;
}

/// The key tiles (of `keyTile` keys) each query tile (of `queryTile`
/// queries) visits, as the constant tables the bodies read: entry
/// 2 * tile + cut, where a cut tile holds both kept and dropped (query,
/// key) blocks and is masked key by key from tailor_block_bits.
std::string tileTables(const AttentionConfig &config, int queryTile,
                       int keyTile) {
  const std::int64_t queryTiles = ceilDiv(config.seq, queryTile);
  const std::int64_t keyTiles = ceilDiv(config.seq, keyTile);
  const bool sparse = !config.blockTable.empty();
  const std::int64_t block = sparse ? config.sparseBlock : config.seq;
  const std::int64_t blocks = ceilDiv(config.seq, block);
  const std::vector<bool> kept =
      sparse ? keptBlocks(config) : std::vector<bool>{true};
  // The blocks [first, end) that tokens [begin, begin + tile) touch.
  auto blockRange = [&](std::int64_t tile, int size) {
    const std::int64_t begin = tile * size;
    const std::int64_t end = std::min(begin + size, config.seq);
    return std::pair{begin / block, ceilDiv(end, block)};
  };
  std::string begins, tiles;
  std::int64_t count = 0;
  bool anyCut = false;
  for (std::int64_t qt = 0; qt < queryTiles; ++qt) {
    begins += std::to_string(count) + ",";
    const auto [rowBegin, rowEnd] = blockRange(qt, queryTile);
    for (std::int64_t kt = 0; kt < keyTiles; ++kt) {
      const auto [colBegin, colEnd] = blockRange(kt, keyTile);
      std::int64_t keptPairs = 0;
      for (std::int64_t row = rowBegin; row < rowEnd; ++row)
        for (std::int64_t col = colBegin; col < colEnd; ++col)
          keptPairs += kept[row * blocks + col];
      if (keptPairs == 0)
        continue;
      const bool cut = keptPairs < (rowEnd - rowBegin) * (colEnd - colBegin);
      anyCut = anyCut || cut;
      tiles += std::to_string(2 * kt + cut) + ",";
      ++count;
    }
  }
  begins += std::to_string(count);
  if (count == 0)
    tiles = "0"; // a query tile that visits nothing still needs the array
  // One bit per (query block, key block), rows of whole 32-bit words.
  const std::int64_t words = ceilDiv(blocks, 32);
  std::string bits = "0";
  if (anyCut) {
    require(blocks * words <= kMaxBitTableWords, kKind,
            "a block table of " + std::to_string(blocks) + " x " +
                std::to_string(blocks) + " blocks of " + std::to_string(block) +
                " tokens cuts key tiles, and its bit table would exceed " +
                std::to_string(kMaxBitTableWords * 4 / 1024) +
                " KiB of constant memory: use larger blocks (a multiple of " +
                std::to_string(kSparseBlock) + " cuts none)");
    bits.clear();
    for (std::int64_t row = 0; row < blocks; ++row)
      for (std::int64_t word = 0; word < words; ++word) {
        std::uint32_t value = 0;
        for (std::int64_t bit = 0; bit < 32 && word * 32 + bit < blocks; ++bit)
          if (kept[row * blocks + word * 32 + bit])
            value |= 1u << bit;
        bits += std::to_string(value) + "u,";
      }
  }
  return "constexpr bool HAS_CUT_TILES = " +
         std::string(anyCut ? "true" : "false") +
         ";\nconstexpr int SPARSE_BLOCK = " + std::to_string(block) +
         ", BLOCK_WORDS = " + std::to_string(words) +
         ";\n__constant__ int tailor_tile_begin[] = {" + begins +
         "};\n__constant__ int tailor_key_tiles[] = {" + tiles +
         "};\n__constant__ unsigned tailor_block_bits[] = {" + bits + "};\n" +
         kTileHelpers;
}

/// Whether the sm_90a kernel serves `config` (see AttentionConfig::arch).
bool wgmmaServes(const AttentionConfig &config) {
  return config.arch == "sm_90a" && config.headDim == 64 &&
         config.math != Math::F32 && config.blockTable.empty();
}

/// The asm operands of a wgmma accumulator `array` of `count` floats, as
/// TAILOR_<macro>_REGS ("{%0, ...}") and TAILOR_<macro>_OPERANDS.
std::string accumulatorOperands(const char *macro, const char *array,
                                int count) {
  std::string regs = std::string("#define TAILOR_") + macro + "_REGS \"{";
  std::string operands = std::string("#define TAILOR_") + macro + "_OPERANDS ";
  for (int i = 0; i < count; ++i) {
    const std::string separator = i ? ", " : "";
    regs += separator + "%" + std::to_string(i);
    operands += separator + "\"+f\"(" + array + "[" + std::to_string(i) + "])";
  }
  return regs + "}\"\n" + operands + "\n";
}

std::string nameOf(const AttentionConfig &config, std::int64_t rowStride,
                   std::int64_t contextStride) {
  std::string name = std::string(!config.blockTable.empty() ? "attention_sparse"
                                 : wgmmaServes(config)      ? "attention_wgmma"
                                                            : "attention") +
                     "_s" + std::to_string(config.seq) + "_h" +
                     std::to_string(config.heads) + "_d" +
                     std::to_string(config.headDim);
  if (rowStride != config.heads * config.headDim)
    name += "_r" + std::to_string(rowStride);
  if (contextStride != rowStride)
    name += "_c" + std::to_string(contextStride);
  name += std::string("_") + storageName(config.storage) + "_" +
          mathName(config.math);
  if (config.keyMask)
    name += "_mask";
  if (config.significance)
    name += "_sig";
  if (!config.blockTable.empty()) {
    name += "_b" + std::to_string(config.sparseBlock);
    // Different tables must give different names: a hash of the table.
    std::uint64_t hash = 1469598103934665603ull;
    for (const auto &row : config.blockTable) {
      for (int block : row)
        hash =
            (hash ^ static_cast<std::uint64_t>(block + 1)) * 1099511628211ull;
      hash = (hash ^ 0xffu) * 1099511628211ull;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx",
                  static_cast<unsigned long long>(hash));
    name += std::string("_t") + text;
  }
  return name;
}

} // namespace

Kernel attentionKernel(const AttentionConfig &config) {
  check(config);
  const std::int64_t rowStride =
      config.rowStride ? config.rowStride : config.heads * config.headDim;
  const std::int64_t contextStride =
      config.contextStride ? config.contextStride : rowStride;
  Kernel kernel;
  kernel.name = nameOf(config, rowStride, contextStride);
  kernel.block = 128;
  const float scale = 1.0f / std::sqrt(static_cast<float>(config.headDim));
  Source source(kernel);
  source.constant("SEQ", config.seq)
      .constant("HEAD_DIM", config.headDim)
      .constant("ROW_STRIDE", rowStride)
      .constant("CONTEXT_STRIDE", contextStride)
      .flag("HAS_MASK", config.keyMask)
      .flag("HAS_SIG", config.significance)
      .storage(config.storage, config.math);
  const std::int64_t d = config.headDim;
  if (config.math == Math::F32) {
    const int tile = 32;
    source.constant("SCALE", scale).text(tileTables(config, tile, tile));
    kernel.grid = {static_cast<unsigned>(ceilDiv(config.seq, tile)),
                   static_cast<unsigned>(config.heads)};
    kernel.sharedBytes = static_cast<unsigned>(
        (tile * d + tile * (d + 1) + tile * d + tile) * 4 + tile);
    kernel.source = source.finish(kAttentionF32Body);
    return kernel;
  }
  if (wgmmaServes(config)) {
    // The body's tiles: 128 queries (two warpgroups of 64) and 128 keys of
    // 128 bytes a row (64 16-bit values).
    const int tile = 128, rowBytes = 128, stages = 2;
    source.constant("STAGES", std::int64_t{stages})
        .flag("VEC_OK",
              rowStride % (config.storage == Storage::F32 ? 4 : 8) == 0)
        .constant("SCALE_LOG2", static_cast<float>(scale * M_LOG2E))
        .text(std::string("#define WGMMA_AB \"") +
              (config.math == Math::BF16 ? "bf16.bf16" : "f16.f16") + "\"\n" +
              accumulatorOperands("S", "s", 64) +
              accumulatorOperands("O", "o", 32));
    kernel.block = 256;
    kernel.grid = {static_cast<unsigned>(ceilDiv(config.seq, tile)),
                   static_cast<unsigned>(config.heads)};
    // Q and the stages' K and V tiles, their key-ok bits, the significance
    // row, and room to align the tiles to 1024 bytes.
    kernel.sharedBytes =
        static_cast<unsigned>((1 + 2 * stages) * tile * rowBytes +
                              stages * tile / 8 + tile * 4 + 1024);
    kernel.source = source.finish(kAttentionWgmmaBody);
    return kernel;
  }
  // Blocks of 128 queries halve the K/V traffic per query; block-sparse
  // attention keeps 64, so that tables of 64-token blocks skip whole tiles.
  const int warps = config.blockTable.empty() && config.seq > 64 ? 8 : 4;
  const int queryTile = 16 * warps, keyTile = 64;
  const std::int64_t dp = roundUp(d, 16), qw = dp / 2 + 4;
  const std::int64_t vector = config.storage == Storage::F32 ? 4 : 8;
  source.constant("DP", dp)
      .constant("WARPS", std::int64_t{warps})
      // Two blocks of 8 warps (or four of 4) an SM: at most 128 registers a
      // thread; a head dim above 96 needs more and gets half.
      .constant("MIN_BLOCKS",
                std::int64_t{(dp <= 96 ? 512 : 256) / (32 * warps)})
      .flag("VEC_OK", d % vector == 0 && rowStride % vector == 0)
      .constant("SCALE_LOG2", static_cast<float>(scale * M_LOG2E))
      .text(
          std::string("#define MMA \"mma.sync.aligned.m16n8k16.row.col.f32.") +
          (config.math == Math::BF16 ? "bf16.bf16" : "f16.f16") + ".f32\"\n")
      .text(tileTables(config, queryTile, keyTile));
  kernel.block = 32 * warps;
  kernel.grid = {static_cast<unsigned>(ceilDiv(config.seq, queryTile)),
                 static_cast<unsigned>(config.heads)};
  // Two buffers of a K and a V tile, the significance row, two key masks.
  kernel.sharedBytes =
      static_cast<unsigned>((4 * keyTile * qw + keyTile) * 4 + 2 * keyTile);
  kernel.source = source.finish(kAttentionMmaBody);
  return kernel;
}

} // namespace tailor::codegen::cuda
