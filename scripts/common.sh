# Sourced by the scripts that set up and build before their own work
# (demo.sh, test.sh): section headers and the configure-and-build step.
jobs=${TAILOR_JOBS:-$(nproc)}
section() { printf '\n== %s ==\n' "$*"; }

# Configures and builds CMake preset $1 with $jobs jobs.
build_preset() {
  section "build ($1 preset)"
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" -j "$jobs"
}
