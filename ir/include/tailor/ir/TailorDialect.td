//===- TailorDialect.td - The tailor dialect ---------------*- tablegen -*-===//
//
// The dialect definition and the base classes its ops and attributes use.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_TAILORDIALECT_TD
#define TAILOR_IR_TAILORDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Tailor_Dialect : Dialect {
  let name = "tailor";
  let cppNamespace = "::mlir::tailor";
  let summary = "Adaptive transformers: layers, token selection, policies";
  let description = [{
    The high-level form of an adaptive transformer as the importer emits it:
    weights are `tailor.global` symbols naming checkpoint tensors, activations
    are tensors with dynamic batch and sequence dimensions, and the adaptive
    techniques (token selection, per-sample layer and head policies, adaptive
    computation modules, block-sparse attention, weight tying) are explicit
    ops and attributes that later passes fold into static shapes.
  }];
  let useDefaultAttributePrinterParser = 1;
  // Checks the module-level `tailor.*` attributes the importer sets.
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
  private:
    // Each defined next to the generated definitions it registers.
    void registerAttributes();
    void registerOperations();
    void registerPlanOperations();
  }];
}

class Tailor_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tailor_Dialect, mnemonic, traits>;

class Tailor_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Tailor_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // TAILOR_IR_TAILORDIALECT_TD
