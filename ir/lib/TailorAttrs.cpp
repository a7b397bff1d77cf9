//===- TailorAttrs.cpp - tailor enums and attributes ----------------------===//
//
// The syntax of the attribute parameters (decimals, integer and bit lists)
// and the attribute verifiers.
//
//===----------------------------------------------------------------------===//

#include "tailor/ir/TailorAttrs.h"
#include "tailor/ir/TailorDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::tailor;

namespace {

FailureOr<APFloat> parseDecimal(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return APFloat(value);
}

FailureOr<std::optional<APFloat>> parseOptionalDecimal(AsmParser &parser) {
  FailureOr<APFloat> value = parseDecimal(parser);
  if (failed(value))
    return failure();
  return std::optional<APFloat>(*value);
}

/// The shortest decimal that reads back as `value`, with a fraction part so
/// that it lexes as a float: 0.5, 1.0, 2.5e-05 (not 5.000000e-01).
std::string formatDecimal(double value) {
  char text[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof(text), "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value)
      break;
  }
  StringRef decimal(text);
  if (decimal.contains('.') || !std::isfinite(value))
    return decimal.str();
  auto [mantissa, exponent] = decimal.split('e');
  return (mantissa + ".0" + (exponent.empty() ? "" : "e") + exponent).str();
}

void printDecimal(AsmPrinter &printer, const APFloat &value) {
  printer << formatDecimal(value.convertToDouble());
}

FailureOr<SmallVector<int64_t>> parseIntList(AsmParser &parser) {
  SmallVector<int64_t> values;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        return parser.parseInteger(values.emplace_back());
      }))
    return failure();
  return values;
}

void printIntList(AsmPrinter &printer, ArrayRef<int64_t> values) {
  printer << '[';
  llvm::interleaveComma(values, printer);
  printer << ']';
}

FailureOr<SmallVector<bool>> parseBitList(AsmParser &parser) {
  SmallVector<bool> bits;
  if (parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square, [&]() -> ParseResult {
            SMLoc loc = parser.getCurrentLocation();
            int64_t bit;
            if (parser.parseInteger(bit))
              return failure();
            if (bit != 0 && bit != 1)
              return parser.emitError(loc)
                     << "expected a bit (0 or 1), got " << bit;
            bits.push_back(bit == 1);
            return success();
          }))
    return failure();
  return bits;
}

void printBitList(AsmPrinter &printer, ArrayRef<bool> bits) {
  printer << '[';
  llvm::interleaveComma(bits, printer,
                        [&](bool bit) { printer << (bit ? 1 : 0); });
  printer << ']';
}

} // namespace

#include "tailor/ir/TailorEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tailor/ir/TailorAttrs.cpp.inc"

void TailorDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tailor/ir/TailorAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// LengthConfigAttr
//===----------------------------------------------------------------------===//

LogicalResult
LengthConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         APFloat budgetValue, ArrayRef<int64_t> lengths,
                         std::optional<int64_t> flops,
                         std::optional<APFloat> accuracyValue) {
  double budget = budgetValue.convertToDouble();
  // Written so that NaN fails too.
  if (!(budget > 0.0 && budget <= 1.0))
    return emitError() << "budget must be in (0, 1], got "
                       << formatDecimal(budget);
  if (lengths.empty())
    return emitError() << "lengths must have one entry per layer, got none";
  for (auto [layer, length] : llvm::enumerate(lengths)) {
    if (length <= 0)
      return emitError() << "lengths[" << layer << "] must be positive, got "
                         << length;
    // Drop-and-Restore puts the dropped tokens back before the last layer,
    // which then keeps them all: only the last entry may grow.
    if (layer > 0 && layer + 1 < lengths.size() && length > lengths[layer - 1])
      return emitError() << "lengths must not increase: lengths[" << layer
                         << "] = " << length << " > lengths[" << layer - 1
                         << "] = " << lengths[layer - 1];
  }
  if (flops && *flops <= 0)
    return emitError() << "flops must be positive, got " << *flops;
  if (accuracyValue) {
    double accuracy = accuracyValue->convertToDouble();
    if (!(accuracy >= 0.0 && accuracy <= 1.0))
      return emitError() << "accuracy must be in [0, 1], got "
                         << formatDecimal(accuracy);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// HeadMaskAttr
//===----------------------------------------------------------------------===//

LogicalResult HeadMaskAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   int64_t heads, ArrayRef<int64_t> kept) {
  if (heads <= 0)
    return emitError() << "heads must be positive, got " << heads;
  if (kept.empty())
    return emitError() << "kept must name at least one head";
  for (auto [index, head] : llvm::enumerate(kept)) {
    if (head < 0 || head >= heads)
      return emitError() << "kept head " << head << " is out of range [0, "
                         << heads << ")";
    if (index > 0 && head <= kept[index - 1])
      return emitError() << "kept must be sorted and unique: " << head
                         << " follows " << kept[index - 1];
  }
  return success();
}

bool HeadMaskAttr::isKept(int64_t head) const {
  return llvm::binary_search(getKept(), head);
}

//===----------------------------------------------------------------------===//
// BlockSparseAttr
//===----------------------------------------------------------------------===//

LogicalResult
BlockSparseAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        int64_t block, int64_t rows, int64_t cols,
                        ArrayRef<bool> mask) {
  if (block <= 0 || rows <= 0 || cols <= 0)
    return emitError() << "block, rows and cols must be positive, got block = "
                       << block << ", rows = " << rows << ", cols = " << cols;
  int64_t blocks;
  if (llvm::MulOverflow(rows, cols, blocks))
    return emitError() << "rows * cols overflows 64 bits";
  if (static_cast<int64_t>(mask.size()) != blocks)
    return emitError() << "mask must have rows * cols = " << blocks
                       << " entries, got " << mask.size();
  for (int64_t row = 0; row < rows; ++row)
    if (llvm::none_of(mask.slice(row * cols, cols),
                      [](bool bit) { return bit; }))
      return emitError() << "mask row " << row
                         << " keeps no block: every query block needs a key "
                            "block";
  return success();
}

bool BlockSparseAttr::isKept(int64_t row, int64_t col) const {
  return getMask()[row * getCols() + col];
}

//===----------------------------------------------------------------------===//
// TyingAttr
//===----------------------------------------------------------------------===//

LogicalResult TyingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                ArrayRef<int64_t> sources) {
  if (sources.empty())
    return emitError() << "sources must have one entry per layer, got none";
  for (auto [layer, source] : llvm::enumerate(sources)) {
    int64_t index = layer;
    if (source < 0 || source > index)
      return emitError() << "sources[" << layer << "] = " << source
                         << " must be in [0, " << layer
                         << "]: a layer ties to itself or an earlier layer";
    if (sources[source] != source)
      return emitError() << "sources[" << layer << "] = " << source
                         << " names a layer that is itself tied (sources["
                         << source << "] = " << sources[source]
                         << "): tie to the layer that owns the weights";
  }
  return success();
}
