//===- GraphBucketTest.cpp - CUDA graphs per batch-size bucket ------------===//
//
// A CUDA session pads a batch to its bucket (the next power of two up to
// 256) and captures one graph per variant and bucket: batches 3 and 4
// replay the graph of bucket 4, and every sample's outputs equal those of
// the sample run alone (bucket 1) whatever zeros pad it.
//
//===----------------------------------------------------------------------===//

#include "GpuHarness.h"
#include "Models.h"

#include <cstring>
#include <iostream>

namespace tailor::testing {
namespace {

/// Samples [first, first + count) of every input, in place.
std::map<std::string, TensorView>
samples(const std::map<std::string, TensorView> &views, std::int64_t first,
        std::int64_t count) {
  std::map<std::string, TensorView> slice;
  for (const auto &[name, view] : views) {
    std::size_t sampleBytes = dtypeSize(view.dtype);
    for (std::size_t i = 1; i < view.shape.size(); ++i)
      sampleBytes *= view.shape[i];
    TensorView part = view;
    part.shape[0] = count;
    part.data =
        static_cast<const std::uint8_t *>(view.data) + first * sampleBytes;
    slice[name] = part;
  }
  return slice;
}

/// Per-sample outputs stacked into one batch.
std::map<std::string, Tensor>
stack(const std::vector<std::map<std::string, Tensor>> &parts) {
  std::map<std::string, Tensor> stacked;
  for (const auto &[name, first] : parts.front()) {
    std::vector<std::int64_t> shape = first.shape();
    shape[0] = static_cast<std::int64_t>(parts.size());
    Tensor tensor = *Tensor::allocate(first.dtype(), shape);
    auto *at = static_cast<std::uint8_t *>(tensor.data());
    for (const auto &part : parts) {
      const Tensor &sample = part.at(name);
      std::memcpy(at, sample.data(), sample.numBytes());
      at += sample.numBytes();
    }
    stacked[name] = std::move(tensor);
  }
  return stacked;
}

TEST(GraphBuckets, BatchesOfOneBucketReplayOneGraph) {
  TAILOR_REQUIRE_GPU();
  const std::vector<ModelConfig> models = tinyModels();
  int index = 0;
  for (const ModelConfig &config : {models[0], models[2]}) {
    TempDir dir;
    buildArtifact(config, randomWeights(config))
        .write(dir.path("model.tailor"));
    Model model = loadModel(dir.path("model.tailor"));
    Result<Session> session = Session::create(model, {"cuda:0", 1, "fp32"});
    ASSERT_TRUE(session.ok()) << session.status().message();
    HostTensors inputs =
        modelInputs(config, randomInputs(config, 8, 40 + index++));
    const auto all = inputs.views();
    for (const VariantConfig &variant : config.variants) {
      std::vector<std::map<std::string, Tensor>> alone(8);
      for (std::int64_t i = 0; i < 8; ++i) {
        auto ran = session->run(variant.name, samples(all, i, 1), alone[i]);
        ASSERT_TRUE(ran.ok()) << ran.status().message();
        EXPECT_EQ(ran->deviceBatch, 1);
      }
      struct Expect {
        std::int64_t batch, bucket;
        bool captured;
      };
      for (const Expect &expect :
           {Expect{3, 4, true}, Expect{4, 4, false}, Expect{3, 4, false},
            Expect{5, 8, true}, Expect{8, 8, false}, Expect{2, 2, true}}) {
        std::map<std::string, Tensor> outputs;
        auto ran =
            session->run(variant.name, samples(all, 0, expect.batch), outputs);
        ASSERT_TRUE(ran.ok()) << ran.status().message();
        const std::string what = config.kind + " " + variant.name + " batch " +
                                 std::to_string(expect.batch);
        EXPECT_EQ(ran->batch, expect.batch) << what;
        EXPECT_EQ(ran->deviceBatch, expect.bucket) << what;
        EXPECT_EQ(ran->graphCaptured, expect.captured) << what;
        const double error = outputError(
            outputs, stack({alone.begin(), alone.begin() + expect.batch}));
        std::cout << "bucket " << what << " (bucket " << expect.bucket
                  << (expect.captured ? ", captured" : ", replayed")
                  << "): relative error against per-sample runs " << error
                  << "\n";
        EXPECT_LT(error, 1e-5) << what;
      }
    }
  }
}

} // namespace
} // namespace tailor::testing
