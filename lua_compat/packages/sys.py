"""Python side of `require 'sys'` (torch/sys, lua/sys.lua): clocks, sleeping and shell commands."""
import os
import subprocess
import time


def _execute(cmd):
    """cmd's stdout and stderr together, as `cmd 2>&1` read through popen."""
    r = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return r.stdout.decode("utf-8", "replace")


def _fstat(path):
    try:
        return os.stat(path).st_mtime
    except (OSError, TypeError):
        return None


def bridge(runtime):
    return dict(clock=time.time, usleep=lambda us: time.sleep(max(0.0, float(us)) / 1e6),
                execute=_execute, fstat=_fstat, pwd=os.getcwd)
