//===- Artifact.cpp - Writing .tailor artifacts in tests ------------------===//

#include "tailor/testing/Artifact.h"

#include "tailor/safetensors/safetensors.h"

#include <algorithm>
#include <stdexcept>

namespace tailor::testing {
namespace {

constexpr std::uint64_t bufferAlignment = 16;

std::uint64_t elementSize(const std::string &dtype) {
  if (dtype == "bf16" || dtype == "f16")
    return 2;
  if (dtype == "f32" || dtype == "i32")
    return 4;
  if (dtype == "u8")
    return 1;
  throw std::invalid_argument("unknown dtype " + dtype);
}

std::uint64_t alignUp(std::uint64_t value) {
  return (value + bufferAlignment - 1) / bufferAlignment * bufferAlignment;
}

} // namespace

void Artifact::write(const std::string &path) const {
  safetensors::Writer writer;
  for (const auto &[name, array] : weights)
    writer.addFloat32(name, array.shape, array.toFloat32());
  for (const auto &[name, bytes] : byteTensors)
    writer.add(name, safetensors::DType::U8,
               {static_cast<std::int64_t>(bytes.size())}, bytes.data(),
               bytes.size());
  writer.setMetadata("tailor.manifest", manifest.dump());
  writer.write(path);
}

std::string PlanBuilder::buffer(const std::string &name,
                                const std::string &dtype,
                                std::vector<std::int64_t> dims) {
  std::uint64_t bytes = elementSize(dtype);
  for (std::int64_t dim : dims)
    bytes *= dim;
  declared.push_back({name, dtype, std::move(dims), bytes});
  return name;
}

void PlanBuilder::step(const std::string &op, nlohmann::json inputs,
                       nlohmann::json outputs, nlohmann::json weights,
                       nlohmann::json attrs, const std::string &guard) {
  nlohmann::json step = {{"op", op}, {"inputs", inputs}, {"outputs", outputs}};
  if (!weights.is_null() && !weights.empty())
    step["weights"] = weights;
  if (!attrs.is_null() && !attrs.empty())
    step["attrs"] = attrs;
  if (!guard.empty())
    step["guard"] = guard;
  steps.push_back(step);
}

PlanBuilder::Plan
PlanBuilder::finish(const std::vector<std::string> &inputs,
                    const std::vector<std::string> &outputs) const {
  const int end = static_cast<int>(steps.size());
  // Lifetime [first, last] in steps; model inputs are live from -1 (the copy
  // in), model outputs to `end` (the copy out).
  std::map<std::string, std::pair<int, int>> lifetime;
  auto touch = [&](const std::string &name, int at) {
    auto [it, inserted] = lifetime.emplace(name, std::make_pair(at, at));
    it->second.first = std::min(it->second.first, at);
    it->second.second = std::max(it->second.second, at);
  };
  for (const std::string &name : inputs)
    touch(name, -1);
  for (int i = 0; i < end; ++i) {
    for (const auto &item : steps[i]["inputs"].items())
      touch(item.value().get<std::string>(), i);
    for (const auto &item : steps[i]["outputs"].items())
      touch(item.value().get<std::string>(), i);
    if (steps[i].contains("guard"))
      touch(steps[i]["guard"].get<std::string>(), i);
  }
  for (const std::string &name : outputs)
    touch(name, end);

  // Largest first, each at the lowest offset clear of every placed buffer
  // whose lifetime overlaps its own.
  std::vector<const Declared *> order;
  for (const Declared &buffer : declared)
    order.push_back(&buffer);
  std::stable_sort(
      order.begin(), order.end(),
      [](const Declared *a, const Declared *b) { return a->bytes > b->bytes; });
  std::map<std::string, std::uint64_t> offsets;
  Plan plan;
  for (const Declared *buffer : order) {
    auto [first, last] = lifetime.at(buffer->name);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> taken;
    for (const Declared *other : order) {
      auto placed = offsets.find(other->name);
      if (placed == offsets.end())
        continue;
      auto [otherFirst, otherLast] = lifetime.at(other->name);
      if (otherFirst <= last && first <= otherLast)
        taken.emplace_back(placed->second, placed->second + other->bytes);
    }
    std::sort(taken.begin(), taken.end());
    std::uint64_t offset = 0;
    for (auto [begin, finish] : taken)
      if (offset + buffer->bytes > begin)
        offset = std::max(offset, alignUp(finish));
    offsets[buffer->name] = offset;
    plan.arenaBytesPerSample =
        std::max(plan.arenaBytesPerSample, offset + buffer->bytes);
  }

  plan.buffers = nlohmann::json::array();
  for (const Declared &buffer : declared) {
    std::vector<std::int64_t> shape = buffer.dims;
    shape.insert(shape.begin(), -1);
    plan.buffers.push_back({{"name", buffer.name},
                            {"dtype", buffer.dtype},
                            {"shape", shape},
                            {"offset_per_sample", offsets.at(buffer.name)}});
  }
  plan.steps = steps;
  for (int at = -1; at <= end; ++at) {
    std::uint64_t live = 0;
    for (const Declared &buffer : declared) {
      auto [first, last] = lifetime.at(buffer.name);
      if (first <= at && at <= last)
        live += buffer.bytes;
    }
    plan.peakLiveBytesPerSample = std::max(plan.peakLiveBytesPerSample, live);
  }
  return plan;
}

} // namespace tailor::testing
