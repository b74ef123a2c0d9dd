"""Data-parallel training over MPI: the same model on 1 process or N ranks.

    python examples/distributed_mlp.py                  # one process
    mpirun -np 2 python examples/distributed_mlp.py     # two ranks: the same checksum

Every step takes a global batch of 64 seeded samples; each rank computes the gradient of its
share (distributed.shard), synchronize_gradients averages them over the ranks in one allreduce,
and optim.sgd steps exactly as it would in one process.  Rank 0 prints the sum of the weights.
examples/distributed_mlp.lua is the same script in Lua (`pytorch-lite run`).
"""
import pytorch_lite as torch
from pytorch_lite import distributed as dist
from pytorch_lite import nn, optim

BATCH, STEPS = 64, 30


def main():
    dist.init()
    if BATCH % dist.size():
        raise SystemExit("the global batch (%d) must split evenly over the %d ranks" % (BATCH, dist.size()))
    torch.manualSeed(1)
    inputs = torch.randn(BATCH * STEPS, 10)
    labels = torch.mv(inputs, torch.randn(10)).gt(0).long()          # classes 0 and 1
    model = nn.Sequential().add(nn.Linear(10, 16)).add(nn.Tanh()).add(nn.Linear(16, 2)).add(nn.LogSoftMax())
    criterion = nn.ClassNLLCriterion()
    params, grads = model.getParameters()
    dist.synchronize_parameters(params)                                # rank 0's weights everywhere

    for step in range(STEPS):
        x = dist.shard(inputs.narrow(0, step * BATCH, BATCH))          # this rank's rows of the batch
        y = dist.shard(labels.narrow(0, step * BATCH, BATCH))

        def feval(_):
            grads.zero()
            out = model.forward(x)
            loss = criterion.forward(out, y)
            model.backward(x, criterion.backward(out, y))
            dist.synchronize_gradients(grads)                          # the mean over the ranks
            return loss, grads
        optim.sgd(feval, params, {"learningRate": 0.5})
    dist.log("checksum %.6f" % params.sum())
    dist.finalize()


if __name__ == "__main__":
    main()
