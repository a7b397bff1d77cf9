# lit configuration of the Tailor suite. Tests find tailor-opt (and the other
# tools the build puts in its bin folder) and FileCheck, not and count on PATH.
import os

import lit.formats

if not hasattr(config, "tailor_tools_dir"):
    lit_config.fatal(
        "run lit on the build's tests/lit folder (e.g. build/default/tests/lit), "
        "where CMake wrote lit.site.cfg.py"
    )

config.name = "Tailor"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.tailor_lit_obj_root

for tool in ["tailor-opt", "tailorc", "write-test-checkpoint"]:
    if not os.path.exists(os.path.join(config.tailor_tools_dir, tool)):
        lit_config.fatal(f"{tool} is not built in {config.tailor_tools_dir}")
for tool in ["FileCheck", "not", "count"]:
    if not os.path.exists(os.path.join(config.llvm_tools_dir, tool)):
        lit_config.fatal(f"{tool} is missing from {config.llvm_tools_dir}")

config.environment["PATH"] = os.path.pathsep.join(
    [config.tailor_tools_dir, config.llvm_tools_dir, config.environment["PATH"]]
)
