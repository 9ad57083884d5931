"""Run a command as if on an older x86-64 CPU, and say which SIMD code and BLAS kernel it gets.

    python tools/cpu_setting.py SETTING -- COMMAND [ARG...]

SETTING is one of

* ``native``: the machine as it is;
* ``avx2``: an AVX2-class CPU (Haswell and later, without AVX-512): OpenBLAS's
  Haswell kernels (``OPENBLAS_CORETYPE=Haswell``) and none of NumPy's AVX-512
  code paths (``NPY_DISABLE_CPU_FEATURES``: X86_V4 and the AVX512_* groups);
* ``x86-64-v2``: the oldest CPU NumPy's wheels run on (SSE4.2, no AVX): OpenBLAS's
  Prescott kernels and none of NumPy's dispatched code above its X86_V2 baseline
  (X86_V3, X86_V4, AVX512_*). X86_V2 itself is NumPy's baseline and cannot be
  turned off.

Only the groups NumPy found on this machine are named (naming one it did not
find makes NumPy warn on import, which a strict test run would turn into a
failure). The command then runs with those variables set; before it, a fresh
Python with the same environment reports what NumPy dispatches to and which
kernel each OpenBLAS (NumPy's and SciPy's) chose, on one line, and the command
is not run (exit 1) if the setting did not take effect. Where a setting cannot
apply (not an x86-64 machine; a CPU below the setting; a BLAS that is not
OpenBLAS) the command is skipped with the reason printed, and the exit status is 0.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

X86 = {"x86_64", "amd64", "x86-64"}


def _above_avx2(group: str) -> bool:
    return group == "X86_V4" or group.startswith("AVX512")


def _above_v2(group: str) -> bool:
    # Group names of NumPy 2.4 and later, and the single features older NumPy dispatched to.
    return _above_avx2(group) or group in {"X86_V3", "AVX", "F16C", "FMA3", "AVX2"}


#: setting -> (OPENBLAS_CORETYPE, which NumPy dispatch targets to disable, the features the CPU must have)
SETTINGS = {
    "native": (None, lambda group: False, ()),
    "avx2": ("Haswell", _above_avx2, ("AVX2", "FMA3")),
    "x86-64-v2": ("Prescott", _above_v2, ()),
}

#: OpenBLAS built without DYNAMIC_OLDER (as NumPy's and SciPy's wheels are) runs its
#: Prescott kernels for every pre-Nehalem core and reports them by the first such name.
BLAS_ALIASES = {"prescott": {"prescott", "katmai"}}


def probe() -> dict:
    """What this process's NumPy and OpenBLAS use (run in a child with the setting's environment)."""
    import numpy as np

    try:
        from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    blas = []
    try:
        import scipy.linalg  # noqa: F401 - loads SciPy's own OpenBLAS too
    except ImportError:
        pass
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = None
    else:
        blas = [{"owner": _owner(info.get("filepath", "")), "api": info.get("internal_api", "?"),
                 "version": info.get("version"), "kernel": info.get("architecture")}
                for info in threadpool_info() if info.get("user_api") == "blas"]
    return {
        "numpy": np.__version__,
        "baseline": list(__cpu_baseline__),
        "dispatch": list(__cpu_dispatch__),
        "found": [name for name in __cpu_dispatch__ if __cpu_features__.get(name)],
        "features": sorted(name for name, on in __cpu_features__.items() if on),
        "blas": blas,
    }


def _owner(path: str) -> str:
    """Whose copy of a BLAS library this is: 'numpy' for .../numpy.libs/libscipy_openblas..., and so on."""
    folder = os.path.basename(os.path.dirname(path))
    return folder.removesuffix(".libs") or os.path.basename(path) or "?"


def run_probe(env: dict) -> dict:
    result = subprocess.run([sys.executable, os.path.abspath(__file__), "--probe"], env=env,
                            capture_output=True, text=True)
    if result.returncode != 0 or result.stderr.strip():
        raise SystemExit(f"cpu: probing NumPy and BLAS failed (exit {result.returncode}):\n"
                         f"{result.stderr.strip()}")
    return json.loads(result.stdout)


def describe(state: dict, coretype: str | None) -> str:
    simd = " + ".join(state["baseline"][-1:] + state["found"]) or "none"
    if state["blas"] is None:
        return f"NumPy {state['numpy']} SIMD {simd}, BLAS kernel unknown (threadpoolctl missing)"
    kernels = []
    for kernel in sorted({str(b["kernel"]) for b in state["blas"]}):
        if coretype and kernel.lower() != coretype.lower() and kernel.lower() in BLAS_ALIASES.get(coretype.lower(), ()):
            kernel = f"{coretype} (which OpenBLAS reports as {kernel})"
        kernels.append(kernel)
    libs = ", ".join(f"{b['owner']}'s {b['api']} {b['version']}" for b in sorted(state["blas"], key=lambda b: b["owner"]))
    return f"NumPy {state['numpy']} SIMD {simd}, BLAS kernel {' / '.join(kernels) or 'none'} ({libs or 'no BLAS loaded'})"


def skip(setting: str, reason: str) -> int:
    print(f"cpu: {setting} setting skipped: {reason}", flush=True)
    return 0


def main(argv: list[str]) -> int:
    if argv == ["--probe"]:
        print(json.dumps(probe()))
        return 0
    if len(argv) < 3 or argv[1] != "--" or argv[0] not in SETTINGS:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    setting, command = argv[0], argv[2:]
    coretype, disable, needs = SETTINGS[setting]
    env = dict(os.environ)
    if setting != "native":
        machine = platform.machine().lower()
        if machine not in X86:
            return skip(setting, f"this machine is {machine}, not x86-64")
        native = run_probe(env)
        missing = [f for f in needs if f not in native["features"]]
        if missing:
            return skip(setting, f"this CPU lacks {' '.join(missing)}: it is below the setting")
        if native["blas"] is None:
            raise SystemExit(f"cpu: {setting}: threadpoolctl is needed to check the BLAS kernel")
        if not native["blas"] or any(b["api"] != "openblas" for b in native["blas"]):
            return skip(setting, f"the BLAS here is not OpenBLAS ({native['blas']}), "
                                 "so OPENBLAS_CORETYPE cannot choose its kernel")
        off = [group for group in native["found"] if disable(group)]
        env["OPENBLAS_CORETYPE"] = coretype
        if off:
            env["NPY_DISABLE_CPU_FEATURES"] = " ".join(off)
        else:
            env.pop("NPY_DISABLE_CPU_FEATURES", None)
    state = run_probe(env)
    assignments = " ".join(f"{k}='{env[k]}'" for k in ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES")
                           if k in env and setting != "native")
    print(f"cpu: {setting}{' (' + assignments + ')' if assignments else ''}: {describe(state, coretype)}", flush=True)
    if setting != "native":
        wrong = [g for g in state["found"] if disable(g)]
        expected = BLAS_ALIASES.get(coretype.lower(), {coretype.lower()})
        kernels = {str(b["kernel"]).lower() for b in state["blas"]}
        if wrong or not kernels or not kernels <= expected:
            print(f"cpu: the {setting} setting did not take effect (still dispatched: {wrong or 'none'}; "
                  f"BLAS kernels {sorted(kernels)}, wanted {coretype})", file=sys.stderr)
            return 1
    sys.stdout.flush()
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
