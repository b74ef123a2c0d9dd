"""optim.ConfusionMatrix and optim.Logger against fixtures/torch7/scripts/11_confusion_logger."""
import os

import pytest

import pytorch_lite as torch
from pytorch_lite import optim

EXPECTED = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'fixtures', 'torch7',
                        'scripts', '11_confusion_logger.expected.txt')


@pytest.fixture(scope='module')
def expected():
    if not os.path.exists(EXPECTED):
        pytest.skip('Torch7 fixtures not available')
    with open(EXPECTED) as f:
        return f.read()


def filled_matrix():
    torch.manualSeed(17)
    conf = optim.ConfusionMatrix(['cat', 'dog', 'bird'])
    for i in range(60):
        target = i % 3
        scores = torch.randn(3)
        scores[target] = scores[target] + 1.0
        conf.add(scores, target)
    conf.batchAdd(torch.randn(6, 3), torch.Tensor([0, 1, 2, 2, 1, 0]))
    return conf


def test_print_layout_matches_torch7(expected):
    assert expected.startswith(str(filled_matrix()) + '\n')


def test_valids_match_torch7(expected):
    conf = filled_matrix()
    conf.updateValids()
    line = 'totalValid %.10g  averageValid %.10g\t\n' % (conf.totalValid, conf.averageValid)
    assert line in expected
    assert str(conf.mat) in expected and str(conf.valids) in expected
    assert conf.mat.typename == 'torch.LongTensor' and conf.valids.typename == 'torch.FloatTensor'


def test_zero_and_scalar_add():
    conf = filled_matrix()
    conf.zero()
    conf.add(1, 1)
    conf.add(0, 2)
    conf.add(0, -1)               # a negative target is a missing label
    assert conf.mat.sum() == 2 and conf.mat[2][0] == 1 and conf.totalValid == 0


def test_vector_targets_and_batch_forms():
    conf = optim.ConfusionMatrix(3)
    conf.add(torch.Tensor([0.1, 0.7, 0.2]), torch.Tensor([0, 1, 0]))
    conf.batchAdd(torch.Tensor([2, 0]), torch.Tensor([[0, 0, 1], [0, 1, 0]]))
    assert [conf.mat[t][p] for t, p in [(1, 1), (2, 2), (1, 0)]] == [1, 1, 1]
    text = str(conf)
    assert '[class:' not in text and text.splitlines()[1] == '[[       0       0       0]   -nan% '


def test_logger_file_matches_torch7(expected, tmp_path):
    fname = str(tmp_path / 'sub' / 'log.txt')
    logger = optim.Logger(fname)
    logger.setNames(['epoch', 'train loss', 'accuracy'])
    for epoch in range(1, 4):
        logger.add([epoch, 1 / (epoch + 1), 0.5 + 0.1 * epoch])
    logger.file.close()
    with open(fname) as f:
        content = f.read()
    assert content + 'logged lines\t3\t3\t\n' in expected
    assert len(logger.symbols) == 3 and len(logger.symbols[0]) == 3


def test_logger_dict_add_style_and_plot(tmp_path):
    fname = str(tmp_path / 'train.log')
    logger = optim.Logger(fname)
    for i in range(4):
        logger.add({'train error': 1.0 / (i + 1), 'phase': 'a'})
    logger.style({'train error': '-'})
    logger.file.close()
    with open(fname) as f:
        lines = f.read().split('\n')
    assert lines[0] == 'train error\tphase\t' and lines[1] == ' 1.0000e+00\ta\t'
    with pytest.raises(torch.TorchTypeError):
        logger.add({'train error': [1]})
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert logger.plot() is None
    else:
        out = logger.plot('train error')
        assert out == fname + '.png' and os.path.getsize(out) > 0


# -- t7 files: Torch7's layout (optim.ConfusionMatrix / optim.Logger registered) -----------------

from pytorch_lite.serialization import TorchObject  # noqa: E402


def torch7_confusion(mat_rows, classes):
    """A ConfusionMatrix as Torch7's __init__ + add + updateValids leave it (fields in its
    __init__ order; max's index buffers hold 1-based indices), built from plain values."""
    n = len(mat_rows)
    mat = torch.LongTensor(mat_rows)
    valids = [mat_rows[t][t] / sum(mat_rows[t]) for t in range(n)]
    unionvalids = [mat_rows[t][t] / (sum(mat_rows[t]) + sum(r[t] for r in mat_rows) - mat_rows[t][t])
                   for t in range(n)]
    total = sum(mat_rows[t][t] for t in range(n)) / sum(map(sum, mat_rows))
    fields = {'mat': mat, 'valids': torch.FloatTensor(valids),
              'unionvalids': torch.FloatTensor(unionvalids), 'nclasses': n,
              'totalValid': total, 'averageValid': sum(valids) / n, 'classes': classes,
              '_target': torch.FloatTensor(), '_prediction': torch.FloatTensor([0.1, 0.7, 0.2]),
              '_max': torch.FloatTensor([0.7]), '_pred_idx': torch.LongTensor([2]),
              '_targ_idx': torch.LongTensor(), 'averageUnionValid': sum(unionvalids) / n}
    return TorchObject('optim.ConfusionMatrix', fields)


FIXTURE_ROWS = [[11, 8, 3], [5, 14, 3], [5, 3, 14]]       # the matrix the Torch7 script printed


def test_confusion_matrix_loads_from_torch7_layout(expected):
    blob = torch.serialize(torch7_confusion(FIXTURE_ROWS, ['cat', 'dog', 'bird']))
    conf = torch.deserialize(blob)
    assert isinstance(conf, optim.ConfusionMatrix)
    assert conf.nclasses == 3 and conf.classes == ['cat', 'dog', 'bird']
    assert [[conf.mat[t][p] for p in range(3)] for t in range(3)] == FIXTURE_ROWS
    assert conf._pred_idx[0] == 1                            # Lua's 2 is our 1
    assert expected.startswith(str(conf) + '\n')             # Torch7's print of that matrix
    conf.add(torch.Tensor([0.0, 0.0, 5.0]), 2)               # API 0-based: class 'bird'
    assert conf.mat[2][2] == 15 and conf._pred_idx[0] == 2
    # ours writes Torch7's layout back: same fields, same order, 1-based index buffers
    raw = torch.deserialize(torch.serialize(conf), use_registry=False)
    assert isinstance(raw, TorchObject) and raw.typename == 'optim.ConfusionMatrix'
    assert list(raw.fields) == list(torch7_confusion(FIXTURE_ROWS, []).fields)
    assert raw.fields['_pred_idx'][0] == 3 and raw.fields['mat'][2][2] == 15
    assert raw.fields['classes'] == ['cat', 'dog', 'bird'] and raw.fields['nclasses'] == 3


def test_confusion_matrix_round_trip(tmp_path):
    conf = filled_matrix()
    conf.updateValids()
    path = str(tmp_path / 'conf.t7')
    torch.save(path, {'conf': conf, 'epoch': 3})
    back = torch.load(path)['conf']
    assert isinstance(back, optim.ConfusionMatrix) and str(back) == str(conf)
    assert back.mat.typename == 'torch.LongTensor' and back.valids.typename == 'torch.FloatTensor'
    assert back.totalValid == conf.totalValid and back.averageUnionValid == conf.averageUnionValid
    assert back._pred_idx.size() == conf._pred_idx.size()
    assert all(back._pred_idx[i][0] == conf._pred_idx[i][0] for i in range(6))
    # an unchanged object read from a file writes back the same bytes
    blob = torch.serialize(back)
    assert torch.serialize(torch.deserialize(blob)) == blob
    # an empty class list (Lua's {}) and a stripped object without buffers
    empty = torch7_confusion([[1, 0], [0, 1]], [])
    for k in ('_target', '_prediction', '_max', '_pred_idx', '_targ_idx'):
        del empty.fields[k]
    c2 = torch.deserialize(torch.serialize(empty))
    assert c2.classes == [] and '[class:' not in str(c2)
    c2.batchAdd(torch.Tensor([[0.9, 0.1]]), torch.Tensor([1]))
    assert c2.mat[1][0] == 1


def torch7_logger_fields(name):
    """optim.Logger after setNames{'epoch','loss'} and three add{...}: Torch7's table (its
    io file left out, as torch.save cannot write one)."""
    return {'name': name, 'epsfile': name + '.eps', 'empty': False,
            'symbols': [[1, 2, 3], [0.5, 0.25, 0.125]], 'styles': [['+'], ['-']],
            'names': ['epoch', 'loss'], 'idx': {'epoch': 1, 'loss': 2}, 'showPlot': True,
            'defaultStyle': '+', 'logscale': False, 'nsymbols': 2}


def test_logger_loads_from_torch7_layout_and_saves_it(tmp_path):
    name = str(tmp_path / 'train.log')
    lg = torch.deserialize(torch.serialize(TorchObject('optim.Logger',
                                                       torch7_logger_fields(name))))
    assert isinstance(lg, optim.Logger)
    assert lg.symbols == {0: [1, 2, 3], 1: [0.5, 0.25, 0.125]} and lg.idx == {'epoch': 0, 'loss': 1}
    assert lg.names == {0: 'epoch', 1: 'loss'} and lg.styles[1] == ['-']
    assert lg.file is None and lg.plotfile == name + '.png'
    with pytest.raises(torch.TorchRuntimeError, match='no open file'):
        lg.add([4, 0.0625])
    lg.file = open(name, 'a')
    lg.add([4, 0.0625])
    lg.file.close()
    with open(name) as f:
        assert f.read() == ' 4.0000e+00\t 6.2500e-02\t\n'
    raw = torch.deserialize(torch.serialize(lg), use_registry=False)
    want = torch7_logger_fields(name)
    want['symbols'] = [[1, 2, 3, 4], [0.5, 0.25, 0.125, 0.0625]]
    assert {k: raw.fields[k] for k in want} == want and 'file' not in raw.fields


def test_logger_round_trip_list_and_dict_forms(tmp_path):
    lg = optim.Logger(str(tmp_path / 'a.log'))
    lg.add([1.0, 2.0])                                 # keys by position: names[k] = k
    lg.file.close()
    raw = torch.deserialize(torch.serialize(lg), use_registry=False)
    assert raw.fields['names'] == [1, 2] and raw.fields['idx'] is raw.fields['names']
    back = torch.deserialize(torch.serialize(lg))
    assert back.names == {0: 0, 1: 1} and back.idx is back.names and back.symbols == lg.symbols
    lg2 = optim.Logger(str(tmp_path / 'b.log'))
    lg2.add({'err': 0.5, 'phase': 'train'})
    lg2.file.close()
    back2 = torch.deserialize(torch.serialize(lg2))
    assert back2.symbols == {'err': [0.5], 'phase': ['train']} and back2.idx == back2.names
