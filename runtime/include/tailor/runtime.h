//===- runtime.h - Tailor runtime: load an artifact and run it --*- C++ -*-===//
//
// The public API of libtailor_runtime. No exception crosses this API and no
// call aborts the host program: everything that can fail returns a Status or
// a Result<T> whose message says what was wrong and where (file, variant,
// step, tensor, input).
//
//   auto model = tailor::Model::load("model.tailor");
//   if (!model.ok()) { report(model.status().message()); return; }
//   auto variant = model->variantForBudget(0.5);
//   auto session = tailor::Session::create(*model, {"cpu", 4});
//   std::map<std::string, tailor::Tensor> outputs;
//   auto stats = session->run(variant->name, {{"images", images}}, outputs);
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_H
#define TAILOR_RUNTIME_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#define TAILOR_API __attribute__((visibility("default")))

namespace tailor {

namespace detail {
struct ModelData;
} // namespace detail

/// The outcome of a call: ok, or an error with a message.
class TAILOR_API Status {
public:
  /// Ok.
  Status() = default;
  static Status error(std::string message) {
    Status status;
    status.failed = true;
    status.text = std::move(message);
    return status;
  }

  bool ok() const { return !failed; }
  /// Empty when ok.
  const std::string &message() const { return text; }

private:
  bool failed = false;
  std::string text;
};

/// A value or the Status saying why there is none.
template <typename T> class Result {
public:
  Result(T value) : content(std::move(value)) {}
  /// `status` must be an error; an ok one becomes an error saying so.
  Result(Status status)
      : content(status.ok() ? Status::error("internal error: a Result was "
                                            "made from an ok Status")
                            : std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(content); }
  /// Ok when there is a value.
  Status status() const { return ok() ? Status() : std::get<Status>(content); }

  /// Only when ok().
  T &value() { return std::get<T>(content); }
  const T &value() const { return std::get<T>(content); }
  T &operator*() { return value(); }
  const T &operator*() const { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

private:
  std::variant<T, Status> content;
};

enum class DType { F32, I32, U8 };

/// The manifest's name of a dtype: "f32", "i32", "u8".
TAILOR_API std::string_view dtypeName(DType dtype);
TAILOR_API std::size_t dtypeSize(DType dtype);
/// "[2, 3, 4]", as messages print shapes.
TAILOR_API std::string formatShape(const std::vector<std::int64_t> &shape);

/// A host tensor the caller owns: dtype, shape and densely packed row-major
/// data.
struct TensorView {
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  const void *data = nullptr;
};

/// A host tensor that owns its data (outputs, prepared inputs).
class TAILOR_API Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor; an error for a negative dimension or when the
  /// memory cannot be had.
  static Result<Tensor> allocate(DType dtype, std::vector<std::int64_t> shape);

  DType dtype() const { return type; }
  const std::vector<std::int64_t> &shape() const { return dims; }
  std::int64_t numElements() const;
  std::size_t numBytes() const { return bytes.size(); }

  void *data() { return bytes.data(); }
  const void *data() const { return bytes.data(); }
  /// The data as T; T must match the dtype (float, std::int32_t, std::uint8_t).
  template <typename T> T *dataAs() { return reinterpret_cast<T *>(data()); }
  template <typename T> const T *dataAs() const {
    return reinterpret_cast<const T *>(data());
  }

  TensorView view() const { return {type, dims, bytes.data()}; }

private:
  DType type = DType::F32;
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> bytes;
};

/// A model input or output: its shape has -1 for the batch dimension.
struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
};

/// Images are scaled to [0, 1], then x' = (x - mean) / std.
struct InputNormalization {
  double mean = 0;
  double std = 1;
};

struct ModelInfo {
  std::string kind; ///< "vit" or "encoder"
  std::string task; ///< "sequence" or "token"
  std::int64_t classes = 0;
  std::int64_t hidden = 0;
  std::int64_t layers = 0;
  std::int64_t heads = 0;
  std::string source; ///< where the compiler read the model from (optional)
  std::optional<InputNormalization> inputNormalization;
  /// How the artifact was compiled to multiply (tailorc --precision): the
  /// default precision of its CUDA sessions.
  std::string precision = "fp32";
  /// Words of the vocabulary an encoder artifact carries (model.vocabulary),
  /// which Model::encodeTexts encodes with; 0 when it has none and takes
  /// token ids only.
  std::int64_t vocabularySize = 0;
};

/// One compiled configuration of the model.
struct VariantInfo {
  std::string name;
  double budget = 0;                     ///< fraction of the full model's FLOPs
  std::int64_t flops = 0;                ///< per sample
  std::vector<std::int64_t> lengths;     ///< tokens kept after each layer
  std::uint64_t arenaBytesPerSample = 0; ///< peak activation memory
};

/// What one Session::run did.
struct RunStats {
  std::string variant;
  std::int64_t batch = 0;
  double wallSeconds = 0; ///< inputs in to outputs out
  std::int64_t flops = 0; ///< batch * the variant's flops
  /// The samples the backend computed: `batch` on the CPU; on CUDA the
  /// batch's bucket (the next power of two up to 256, then the next multiple
  /// of 256), the samples past `batch` zeros whose results are dropped.
  std::int64_t deviceBatch = 0;
  /// The arena this run used: deviceBatch * arena_bytes_per_sample.
  std::uint64_t arenaBytes = 0;
  /// Bytes the session allocated for the arena in this run: arenaBytes when
  /// the arena grew, 0 when the previous one was big enough and was reused.
  std::uint64_t arenaBytesAllocated = 0;
  /// CUDA: this run captured its variant's graph for deviceBatch (a later
  /// run of any batch of that bucket replays it). For a variant with ACM
  /// layers: this run captured the graphs between its host round trips.
  /// Always false on the CPU.
  bool graphCaptured = false;
  /// Adaptive computation (ACM layers): one entry per acm_route step of the
  /// plan, in order, each with one count per learner: how many tokens of
  /// the batch (`batch`, not the CUDA bucket's padding) ran learner j.
  /// Learner 0 runs on every token; learner j on those whose gate chose
  /// more than j learners. Empty for a variant without ACM layers.
  std::vector<std::vector<std::int64_t>> learnerTokens;
};

/// A CUDA kernel the runtime generates for a step of a plan; tailorc
/// compiles it ahead of time into the artifact's `kernel.<name>.cubin.<arch>`
/// and stores `source` as `kernel.<name>.cu` (docs/kernels.md).
struct CudaKernel {
  std::string name;
  std::string source;
};

/// Where a CUDA session got a kernel's code: the artifact's cubin for the
/// GPU's arch, the artifact's source or the runtime's own generator (both
/// compiled by NVRTC, through the on-disk cache).
enum class KernelOrigin { ArtifactCubin, ArtifactSource, Generated };

/// An encoder's inputs for a batch of texts or token id sequences.
struct TokenInputs {
  /// Every model input, batch first: the token ids (i32 [N, S]) and, when
  /// the model takes one, the key mask (u8 [N, S]: 1 for each real token,
  /// 0 for padding).
  std::map<std::string, Tensor> tensors;
  /// Real tokens of each sample ([CLS] included), at most S.
  std::vector<std::int64_t> lengths;
  /// Texts with more than S - 1 words, of which only the first S - 1 were
  /// kept (as in training).
  std::int64_t truncated = 0;
  /// Words outside the vocabulary, encoded as [UNK].
  std::int64_t unknownWords = 0;
};

/// A loaded artifact: the file mapped read-only and its manifest validated.
/// Immutable; copies share the mapping and may be used from any thread.
class TAILOR_API Model {
public:
  /// Maps `path` and validates the whole manifest.
  static Result<Model> load(const std::string &path);

  const std::string &path() const;
  const ModelInfo &info() const;
  const std::vector<TensorInfo> &inputs() const;
  const std::vector<TensorInfo> &outputs() const;
  /// In manifest order.
  const std::vector<VariantInfo> &variants() const;

  Result<VariantInfo> variant(std::string_view name) const;
  /// The variant with the largest budget <= `fraction`.
  Result<VariantInfo> variantForBudget(double fraction) const;
  /// The variant with the most FLOPs per sample <= `maxFlops`.
  Result<VariantInfo> variantForFlops(std::int64_t maxFlops) const;

  /// Encodes `texts` as the trainer encodes its glosses: each is split into
  /// lower-cased words and punctuation marks, then becomes [CLS] and the
  /// vocabulary ids of its first S - 1 words ([UNK] for a word outside the
  /// vocabulary), padded with [PAD] to the S tokens of the model's token ids
  /// input. An error when the artifact carries no vocabulary, for no texts,
  /// and for a text that needs padding when the model takes no key mask.
  Result<TokenInputs> encodeTexts(const std::vector<std::string> &texts) const;
  /// Token id sequences (each [CLS] first, as encodeTexts gives them)
  /// padded with [PAD] to the model's S tokens. An error for no sequences,
  /// an empty or longer one, and one that needs padding when the model takes
  /// no key mask; ids are checked against the embedding table when run.
  Result<TokenInputs>
  tokenInputs(const std::vector<std::vector<std::int32_t>> &sequences) const;

  /// The distinct kernels a "cuda:N" session at `precision` launches for
  /// `variant` (cuBLASLt's GEMMs aside) on a GPU of `arch` ("sm_80",
  /// "sm_90a": some kernels are made for one), in launch order; the same
  /// for every batch size. An error for an unknown variant or precision,
  /// or in a runtime built without CUDA. Needs no GPU.
  Result<std::vector<CudaKernel>> cudaKernels(std::string_view variant,
                                              const std::string &precision,
                                              const std::string &arch) const;

private:
  explicit Model(std::shared_ptr<const detail::ModelData> data);
  std::shared_ptr<const detail::ModelData> data;
  friend class Session;
};

struct SessionOptions {
  /// "cpu", or "cuda:N" for the N-th CUDA device ("cuda" is "cuda:0"; an
  /// error in a build without CUDA or where there is no such device).
  std::string device = "cpu";
  /// Worker threads of the CPU backend, the calling thread included; 0 means
  /// one per hardware thread.
  int threads = 0;
  /// How a CUDA session multiplies (GEMMs and attention): "fp32" (exact),
  /// or on tensor cores with f32 accumulation, "tf32" (GEMMs only), "bf16"
  /// or "fp16". A "bf16" or "fp16" session keeps the activations an
  /// artifact compiled at bf16 or fp16 plans at 16 bits in that type (half
  /// the arena), and its weights too; "fp32" and "tf32" sessions widen them
  /// to f32 (as the CPU does). Empty: the artifact's (ModelInfo::precision)
  /// on CUDA, "fp32" on the CPU, which takes "fp32" only.
  std::string precision;
};

/// Sets how many threads the BLAS may start inside each GEMM, for the whole
/// process (OpenBLAS's openblas_set_num_threads). A session splits GEMMs
/// across its own threads; with more than one, a BLAS that threads each
/// GEMM too oversubscribes the cores, so programs that run sessions with
/// several threads set this to 1. An error when the BLAS the runtime was
/// built with offers no such setting.
TAILOR_API Status setBlasThreads(int threads);

/// Runs variants of one model. A session keeps its arena and its threads
/// between runs; use it from one thread at a time (one session per thread).
class TAILOR_API Session {
public:
  static Result<Session> create(const Model &model,
                                const SessionOptions &options = {});

  Session(Session &&) noexcept;
  Session &operator=(Session &&) noexcept;
  ~Session();

  /// Runs `variant` on a batch. `inputs` names every model input once; all
  /// share the leading batch size. `outputs` receives every model output.
  Result<RunStats> run(std::string_view variant,
                       const std::map<std::string, TensorView> &inputs,
                       std::map<std::string, Tensor> &outputs);

  /// Empty and 0 for a moved-from session, whose run() is an error.
  const std::string &device() const;
  int threads() const;
  /// Every kernel a CUDA session has loaded (by the first run of each
  /// variant) and where its code came from, by kernel name; empty for a
  /// CPU session.
  std::map<std::string, KernelOrigin> kernelOrigins() const;

private:
  struct Impl;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace tailor

#endif // TAILOR_RUNTIME_H
