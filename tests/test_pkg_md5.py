"""require 'md5' (torchnet's utils need it): digests against RFC 1321's test suite."""
from lua_compat.runtime import Runtime

RFC1321 = {"": "d41d8cd98f00b204e9800998ecf8427e", "a": "0cc175b9c0f1b6a831c399e269772661",
           "abc": "900150983cd24fb0d6963f7d28e17f72", "message digest": "f96b697d7cb7938d525a2f31aaf161d0",
           "abcdefghijklmnopqrstuvwxyz": "c3fcd3d76192e4007dfb496cca67e13b"}


def test_digests_streams_and_binary_form():
    rt = Runtime()
    for text, want in RFC1321.items():
        got = rt.execute("""
            local md5 = require 'md5'
            local s = ...
            local m = md5.new()
            for i = 1, #s, 3 do m:update(s:sub(i, i + 2)) end
            return md5.sumhexa(s), md5.tohex(md5.sum(s)), #md5.sum(s), m:hexdigest(), md5.tohex(m:finish())""", text)
        assert got == (want, want, 16, want, want)
    msg = rt.execute("return select(2, pcall(require('md5').sumhexa, {}))")
    assert "expected a string" in msg
