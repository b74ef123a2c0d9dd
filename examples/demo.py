"""The main demo: Torch7 tensor code, in Python."""
import pytorch_lite as torch

x = torch.Tensor(2, 3).fill(1)
y = torch.Tensor([[1, 2, 3], [4, 5, 6]])
x.add(y)                      # in place, returns x: Torch7's rule
z = torch.add(x, 10)          # a new tensor
print("x =", x.tolist())
print("z =", z.tolist())
print("row 1 of z shares memory:", z[1].storage() is z.storage())
