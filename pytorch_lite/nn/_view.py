"""What nn.View and nn.Reshape share (not a module file): the gradient is gradOutput viewed back
to the input's size, and the target sizes are kept as a Python list of ints (a LongStorage in
t7 files)."""
from ..storage import LongStorage


class SizeView:
    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput.contiguous().view(*input._size)
        return self.gradInput

    @classmethod
    def _t7_fields_in(cls, fields):
        for k in ("size", "batchsize"):
            if k in fields and fields[k] is not None and not isinstance(fields[k], list):
                fields[k] = [int(v) for v in fields[k]]
        if fields.get("numInputDims") is not None:
            fields["numInputDims"] = int(fields["numInputDims"])
        return fields

    def _t7_fields_out(self, fields):
        for k in ("size", "batchsize"):
            if isinstance(fields.get(k), list):
                fields[k] = LongStorage(fields[k])
        return fields
