"""A checkpoint laid out as char-rnn's train.lua saves it: ``{protos = {rnn = gModule,
criterion = ClassNLLCriterion}, opt = {...}, vocab = {char = index}, ...}``, its LSTM graph built
the way char-rnn's model/LSTM.lua wires it (OneHot input, i2h + h2h, Reshape(4, rnn_size),
SplitTable, gates, LogSoftMax decoder), OneHot stored under char-rnn's own class name."""
import pytorch_lite as torch
from pytorch_lite import nn, serialization


class CharRnnOneHot(nn.OneHot):
    """Written as char-rnn's Lua class 'OneHot' (util/OneHot.lua), which pytorch_lite has no class for."""
    __t7_typename__ = "OneHot"


def lstm(vocab_size, rnn_size, num_layers, dropout=0.0):
    inputs = [nn.Identity()()]
    for _ in range(num_layers):
        inputs += [nn.Identity()(), nn.Identity()()]      # prev_c, prev_h
    outputs = []
    for layer in range(num_layers):
        prev_c, prev_h = inputs[2 * layer + 1], inputs[2 * layer + 2]
        if layer == 0:
            x, size = CharRnnOneHot(vocab_size)(inputs[0]), vocab_size
        else:
            x, size = outputs[-1], rnn_size
            if dropout > 0:
                x = nn.Dropout(dropout)(x)
        sums = nn.CAddTable()([nn.Linear(size, 4 * rnn_size)(x), nn.Linear(rnn_size, 4 * rnn_size)(prev_h)])
        n1, n2, n3, n4 = nn.SplitTable(1)(nn.Reshape(4, rnn_size)(sums)).split(4)
        in_gate, forget_gate, out_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2), nn.Sigmoid()(n3)
        in_transform = nn.Tanh()(n4)
        next_c = nn.CAddTable()([nn.CMulTable()([forget_gate, prev_c]), nn.CMulTable()([in_gate, in_transform])])
        next_h = nn.CMulTable()([out_gate, nn.Tanh()(next_c)])
        outputs += [next_c, next_h]
    top = outputs[-1]
    if dropout > 0:
        top = nn.Dropout(dropout)(top)
    outputs.append(nn.LogSoftMax()(nn.Linear(rnn_size, vocab_size)(top)))
    return nn.gModule(inputs, outputs)


def save(path, vocab="abcdefgh", rnn_size=6, num_layers=2, seed=7):
    torch.manualSeed(seed)
    rnn = lstm(len(vocab), rnn_size, num_layers, dropout=0.5)
    checkpoint = {
        "protos": {"rnn": rnn, "criterion": nn.ClassNLLCriterion()},
        "opt": {"rnn_size": rnn_size, "num_layers": num_layers, "model": "lstm", "seq_length": 5,
                "batch_size": 3, "dropout": 0.5},
        "vocab": {c: i + 1 for i, c in enumerate(vocab)},
        "train_losses": torch.Tensor([2.1, 1.7]), "val_loss": 1.6, "epoch": 1.0, "i": 2,
    }
    serialization.save(path, checkpoint)
    return rnn
