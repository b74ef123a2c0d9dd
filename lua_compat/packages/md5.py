"""Python side of `require 'md5'` (lua/md5.lua): MD5 digests from hashlib."""
import hashlib

from pytorch_lite.errors import TorchTypeError


def _bytes(s, what):
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode("utf-8", "surrogateescape")
    raise TorchTypeError("md5.%s: expected a string, got %s" % (what, type(s).__name__))


def bridge(runtime):
    def new():
        return hashlib.md5()

    def update(h, s):
        h.update(_bytes(s, "update"))

    return dict(sum=lambda s: hashlib.md5(_bytes(s, "sum")).digest(),
                sumhexa=lambda s: hashlib.md5(_bytes(s, "sumhexa")).hexdigest(),
                new=new, update=update, digest=lambda h: h.copy().digest(),
                hexdigest=lambda h: h.copy().hexdigest())
