"""Build script: every csrc/<name>.pyx becomes the extension pytorch_lite.<name>.

Compiler directives are set once here.  PYTORCH_LITE_DEBUG=1 at build time turns bounds
and wrap-around checks back on (and drops -O3) for debugging a kernel.
"""
import glob
import os
import sys

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

DEBUG = os.environ.get("PYTORCH_LITE_DEBUG", "0") not in ("", "0")

directives = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "cdivision": True,
    "initializedcheck": DEBUG,
    "nonecheck": False,
    "embedsignature": True,
}

if sys.platform == "win32":
    compile_args, link_args = ["/openmp", "/O2"], []
else:
    compile_args = ["-fopenmp", "-O0" if DEBUG else "-O3"]
    link_args = ["-fopenmp"]

extensions = [
    Extension(
        "pytorch_lite." + os.path.splitext(os.path.basename(src))[0],
        [src],
        include_dirs=[numpy.get_include(), "csrc"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=compile_args,
        extra_link_args=link_args,
    )
    for src in sorted(glob.glob(os.path.join("csrc", "*.pyx")))
]

setup(ext_modules=cythonize(extensions, compiler_directives=directives,
                            include_path=["csrc"], quiet=True))
